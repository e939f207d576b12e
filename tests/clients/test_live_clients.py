"""The graphql-ws npm client, alone and under Apollo Client's GraphQLWsLink, against a
real `python main.py serve`: a token that expires while the socket is open closes it
with 4403 "Token expired", and the client reconnects by itself with the fresh token
its connectionParams hands out, resubscribes, and keeps receiving changes. And Apollo
Client's HttpLink, subscribing over HTTP (multipart): the stream ends with "Token
expired", and the app subscribes again with a fresh token."""

import json
import time
import uuid
from typing import Any

import httpx
import pytest

from tests.clients.conftest import NodeClients
from tests.servers import live_server
from tests.tokens import claims_for, sign

SIGN_UP = """mutation($email: String!, $password: String!) {
  signUp(email: $email, password: $password) { accessToken user { id } } }"""
CREATE = "mutation($input: CreateEventInput!) { createEvent(input: $input) { id } }"
EXPIRES_IN_SECONDS = 4


def _post(url: str, query: str, token: str | None = None, **variables: Any) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = httpx.post(url, json={"query": query, "variables": variables}, headers=headers).json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def _sign_up(url: str) -> tuple[str, str]:
    email = f"live-{uuid.uuid4().hex[:10]}@example.com"
    payload = _post(url, SIGN_UP, email=email, password="correct horse")["signUp"]
    return payload["accessToken"], payload["user"]["id"]


@pytest.mark.parametrize("mode", ["graphql-ws", "apollo"])
def test_a_client_reconnects_with_a_fresh_token_after_expiry(
    node_clients: NodeClients, database_url: str, mode: str
) -> None:
    with live_server(database_url) as server:
        graphql = f"{server.url}/graphql"
        host_token, _ = _sign_up(graphql)
        fresh_token, viewer_id = _sign_up(graphql)
        event_id = _post(graphql, CREATE, host_token, input={"title": "Watched"})["createEvent"][
            "id"
        ]
        # The viewer's first token: real, signed with the server's key, about to expire.
        expiring = sign(claims_for(viewer_id, exp=int(time.time()) + EXPIRES_IN_SECONDS))
        config = {
            "httpUrl": graphql,
            "wsUrl": graphql.replace("http://", "ws://"),
            "tokens": [expiring, fresh_token],
            "hostToken": host_token,
            "eventId": event_id,
        }
        result = node_clients.run("live.mjs", mode, json.dumps(config), timeout=90)

    assert result["failure"] is None, result
    assert result["errors"] == [], result
    assert result["closes"][0] == {"code": 4403, "reason": "Token expired"}, result
    assert result["connects"] == 2, result
    assert result["tokensGiven"] == 2, result
    titles = [d["title"] for d in result["deliveries"]]
    assert {d["kind"] for d in result["deliveries"]} == {"UPDATED"}, result
    assert {d["eventId"] for d in result["deliveries"]} == {event_id}, result
    # Changes made before the expiry arrived before it, the later ones after reconnecting.
    assert titles[0] == "before expiry" and titles[-1] == "after reconnecting", titles
    assert titles == sorted(titles, key=lambda t: t == "after reconnecting"), titles


def test_apollo_http_link_streams_until_the_token_expires(
    node_clients: NodeClients, database_url: str
) -> None:
    """Apollo Client 4's HttpLink subscribes over HTTP (multipart): the stream ends
    with "Token expired" when its token does, subscribing again with a fresh token
    brings the changes back, and a refused token gets the query's message."""
    with live_server(database_url) as server:
        graphql = f"{server.url}/graphql"
        host_token, _ = _sign_up(graphql)
        fresh_token, viewer_id = _sign_up(graphql)
        event_id = _post(graphql, CREATE, host_token, input={"title": "Watched"})["createEvent"][
            "id"
        ]
        expiring = sign(claims_for(viewer_id, exp=int(time.time()) + EXPIRES_IN_SECONDS))
        config = {
            "httpUrl": graphql,
            "tokens": [expiring, fresh_token],
            "refusedToken": sign(claims_for(str(uuid.uuid4()))),
            "hostToken": host_token,
            "eventId": event_id,
        }
        result = node_clients.run("http_live.mjs", json.dumps(config), timeout=90)

    assert result["failure"] is None, result
    expired = {"message": "Token expired", "code": "UNAUTHENTICATED"}
    assert result["ends"][0] == [expired], result
    assert result["refused"] == [{"message": "Invalid token", "code": "UNAUTHENTICATED"}], result
    titles = [d["title"] for d in result["deliveries"]]
    assert {d["kind"] for d in result["deliveries"]} == {"UPDATED"}, result
    assert titles[0] == "before expiry" and titles[-1] == "after resubscribing", titles
