"""Subscriptions streamed over HTTP (multipart, Strawberry's transport: what Apollo
Client's HttpLink speaks) against real servers (uvicorn on a loopback port), on
SQLite and PostgreSQL: authentication as for queries, the stream ending when the
token expires or is revoked, the socket's limits and the same deliveries per viewer."""

import asyncio
import hashlib
import json
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.client import GraphQLClient
from tests.lifecycle.session_client import CHANGE_PASSWORD, DELETE_ACCOUNT
from tests.live.conftest import http_client
from tests.live.http_streams import ACCEPT, streaming
from tests.live.sockets import (
    EVENT_CHANGED,
    EVENTS_CHANGED,
    activate,
    open_socket,
    signed_in_socket,
)
from tests.live.test_live_instances import SIGN_IN
from tests.planning.helpers import CREATE, UPDATE, ok
from tests.servers import LiveServer, live_server
from tests.tokens import claims_for, sign

SIGN_OUT_EVERYWHERE = "mutation { signOutEverywhere }"
LIMITED = {"MAX_CONNECTIONS_PER_USER": "2", "MAX_QUERY_DEPTH": "4"}
MODERN = "application/graphql-response+json, " + ACCEPT


@pytest.fixture
def limited_server(database_url: str) -> Iterator[LiveServer]:
    with live_server(database_url, env=LIMITED) as running:
        yield running


@pytest.fixture
async def limited_http(limited_server: LiveServer) -> AsyncIterator[httpx.AsyncClient]:
    async with http_client(limited_server) as client:
        yield client


@pytest.fixture
async def http(server: LiveServer) -> AsyncIterator[httpx.AsyncClient]:
    async with http_client(server) as client:
        yield client


async def create(api: GraphQLClient, account: Any, **fields: Any) -> str:
    data = await ok(api, CREATE, account, input={"title": "An event", **fields})
    event_id: str = data["createEvent"]["id"]
    return event_id


async def refused(
    http: httpx.AsyncClient, token: str | None, accept: str = ACCEPT
) -> tuple[int, str, dict[str, Any]]:
    headers = {"accept": accept}
    if token is not None:
        headers["authorization"] = token
    response = await http.post("/graphql", json={"query": EVENTS_CHANGED}, headers=headers)
    assert response.headers["content-type"].startswith("application/"), response.headers
    body = response.json()
    assert "data" not in body, body
    [error] = body["errors"]
    return response.status_code, error["message"], error["extensions"]


async def test_a_refused_token_opens_no_stream_and_gets_the_query_message(
    server: LiveServer, http: httpx.AsyncClient, live_api: GraphQLClient
) -> None:
    ada = await live_api.sign_up()
    expired = sign(claims_for(ada.user_id, exp=int(time.time()) - 5))
    gone = sign(claims_for(str(uuid.uuid4())))
    cases = [
        (None, "Not authenticated"),
        ("Bearer not-a-token", "Invalid token"),
        (f"Basic {ada.token}", "Invalid token"),
        (f"Bearer {expired}", "Token expired"),
        (f"Bearer {gone}", "Invalid token"),
    ]
    for authorization, message in cases:
        # Under application/json every GraphQL response is a 200, as for queries.
        status, text, extensions = await refused(http, authorization)
        assert (status, text, extensions["code"]) == (200, message, "UNAUTHENTICATED")
        status, text, extensions = await refused(http, authorization, MODERN)
        assert (status, text, extensions["code"]) == (401, message, "UNAUTHENTICATED")
    await ok(live_api, SIGN_OUT_EVERYWHERE, ada)
    assert (await refused(http, f"Bearer {ada.token}"))[1] == "Token revoked"


async def test_only_a_post_that_asks_for_a_stream_subscribes(
    server: LiveServer, http: httpx.AsyncClient, live_api: GraphQLClient
) -> None:
    ada = await live_api.sign_up()
    query = {"query": EVENTS_CHANGED}
    # Over GET a subscription is refused as a mutation is (nothing streams over GET,
    # so a cross-site <img> or link cannot open one).
    response = await http.get("/graphql", params=query, headers={**ada.headers, "accept": ACCEPT})
    assert response.status_code == 405, response.text
    assert response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"
    # A POST that accepts only JSON gets no stream; nor does a "simple" cross-site one.
    response = await http.post("/graphql", json=query, headers=ada.headers)
    assert response.status_code == 406, response.text
    assert response.json()["errors"][0]["extensions"]["code"] == "NOT_ACCEPTABLE"
    response = await http.post(
        "/graphql",
        content=f'{{"query": "{EVENTS_CHANGED}"}}'.replace("\n", " "),
        headers={**ada.headers, "accept": ACCEPT, "content-type": "text/plain"},
    )
    assert response.status_code == 415, response.text
    # Queries and mutations with that Accept header are answered as ever.
    response = await http.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"accept": ACCEPT}
    )
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == {"data": {"__typename": "Query"}}


async def test_a_stream_delivers_what_each_viewer_may_see(
    server: LiveServer, http: httpx.AsyncClient, live_api: GraphQLClient
) -> None:
    api = live_api
    ada = await api.sign_up()
    bob = await api.sign_up()
    probe = await create(api, ada, title="Probe")
    async with (
        streaming(http, EVENTS_CHANGED, token=ada.token) as adas,
        streaming(http, EVENTS_CHANGED, token=bob.token) as bobs,
    ):
        content_type = adas.response.headers["content-type"]
        assert content_type.startswith("multipart/mixed"), content_type
        assert "subscriptionSpec=1.0" in content_type
        await activate(api, ada, probe, [(adas, ""), (bobs, "")])

        # Changes made by another client reach the stream as they happen.
        private = await create(api, ada, title="Private", visibility="PRIVATE")
        change = await adas.change()
        assert (change["kind"], change["eventId"], change["event"]["title"]) == (
            "CREATED",
            private,
            "Private",
        )
        await ok(api, UPDATE, ada, id=private, input={"title": "Private, renamed"})
        assert (await adas.change())["kind"] == "UPDATED"
        # Bob, a stranger to it, receives nothing about the private event: his next
        # delivery is the public one created after it (one worker dispatches in order).
        public = await create(api, bob, title="Public")
        for stream in (adas, bobs):
            change = await stream.change()
            assert (change["kind"], change["eventId"]) == ("CREATED", public), stream.history

        # eventChanged on an event he cannot see: NOT_FOUND, and the stream ends.
        async with streaming(http, EVENT_CHANGED, token=bob.token, id=private) as hidden:
            payload = await hidden.payload()
            assert payload["errors"][0]["extensions"]["code"] == "NOT_FOUND", payload
            assert payload["errors"][0]["message"] == "Event not found"
            await hidden.end()

    # Access ends (back to DRAFT): one ACCESS_LOST with no event, and the stream ends.
    shared = await create(api, ada, title="Shared")
    async with streaming(http, EVENT_CHANGED, token=bob.token, id=shared) as watching:
        await activate(api, ada, shared, [(watching, "")])
        await ok(api, UPDATE, ada, id=shared, input={"status": "DRAFT"})
        change = await watching.change()
        assert (change["kind"], change["eventId"], change["event"]) == (
            "ACCESS_LOST",
            shared,
            None,
        ), watching.history
        await watching.end()


async def test_a_stream_ends_when_its_token_expires(
    server: LiveServer, http: httpx.AsyncClient, live_api: GraphQLClient
) -> None:
    ada = await live_api.sign_up()
    probe = await create(live_api, ada, title="Probe")
    exp = int(time.time()) + 8
    short = sign(claims_for(ada.user_id, exp=exp))
    async with streaming(http, EVENTS_CHANGED, token=short) as stream:
        await activate(live_api, ada, probe, [(stream, "")])
        # Live; the stream ends at the token's expiry second (the server's clock).
        payload = await stream.payload()
        assert time.time() >= exp
        [error] = payload["errors"]
        assert (error["message"], error["extensions"]["code"]) == (
            "Token expired",
            "UNAUTHENTICATED",
        )
        await stream.end()


async def test_revocation_ends_the_users_streams_on_every_instance(
    database_url: str, server: LiveServer, live_api: GraphQLClient
) -> None:
    ada = await live_api.sign_up()
    bob = await live_api.sign_up()
    probe = await create(live_api, bob, title="Probe")
    cases = [
        (SIGN_OUT_EVERYWHERE, {}),
        (CHANGE_PASSWORD, {"current": ada.password, "new": "another horse"}),
        (DELETE_ACCOUNT, {"password": "another horse"}),
    ]
    password = ada.password
    with live_server(database_url) as other:
        async with (
            http_client(other) as on_other,
            streaming(on_other, EVENTS_CHANGED, token=bob.token) as bobs,
        ):
            await activate(live_api, bob, probe, [(bobs, "")])
            for mutation, variables in cases:
                body = await live_api.post(SIGN_IN, {"email": ada.email, "password": password})
                token = body["data"]["signIn"]["accessToken"]
                async with streaming(on_other, EVENTS_CHANGED, token=token) as adas:
                    await activate(live_api, bob, probe, [(adas, "")])
                    body = await live_api.post(mutation, variables, token=token)
                    assert "errors" not in body, body
                    revoked_at = time.monotonic()
                    payload = await adas.payload()
                    # The bound, from the revocation's commit to the last payload.
                    assert time.monotonic() - revoked_at < 2.0, payload
                    [error] = payload["errors"]
                    assert (error["message"], error["extensions"]["code"]) == (
                        "Token revoked",
                        "UNAUTHENTICATED",
                    )
                    await adas.end()
                password = variables.get("new", password)
            # Bob's stream was never touched (it saw the probes meanwhile).
            event = await create(live_api, bob, title="Bob's")
            while (change := await bobs.change())["eventId"] != event:
                assert (change["kind"], change["eventId"]) == ("UPDATED", probe), bobs.history
            assert change["kind"] == "CREATED", bobs.history


async def test_streams_count_against_the_connections_per_user(
    limited_server: LiveServer, limited_http: httpx.AsyncClient
) -> None:
    api = GraphQLClient(limited_http)
    ada = await api.sign_up()
    probe = await create(api, ada, title="Probe")
    async with (
        signed_in_socket(limited_server, ada.token) as socket,
        streaming(limited_http, EVENTS_CHANGED, token=ada.token) as stream,
    ):
        await socket.subscribe("all", EVENTS_CHANGED)
        await activate(api, ada, probe, [(socket, "all"), (stream, "")])
        # Two held (MAX_CONNECTIONS_PER_USER=2): a third stream, or socket, is refused.
        status, message, extensions = await refused(limited_http, f"Bearer {ada.token}", MODERN)
        assert (status, message, extensions["code"]) == (
            429,
            "Too many connections",
            "TOO_MANY_CONNECTIONS",
        )
        async with open_socket(limited_server) as third:
            await third.send(
                {"type": "connection_init", "payload": {"Authorization": f"Bearer {ada.token}"}}
            )
            assert await third.closed() == (4429, "Too many connections")
    # Closed by the client: the places are free again once the server has released
    # them (a write to the shared count, a moment after each close).
    for _attempt in range(25):
        async with streaming(limited_http, EVENTS_CHANGED, token=ada.token) as again:
            if again.response.status_code == 429:
                await asyncio.sleep(0.2)
                continue
            await activate(api, ada, probe, [(again, "")])
            return
    pytest.fail("the released places were never free again")


async def test_a_stream_obeys_the_document_limits_of_queries(
    limited_server: LiveServer, limited_http: httpx.AsyncClient
) -> None:
    api = GraphQLClient(limited_http)
    ada = await api.sign_up()
    # MAX_QUERY_DEPTH=4
    deep = (
        "subscription { eventsChanged { event { creator { events { edges { node { id } } } } } } }"
    )
    async with streaming(limited_http, deep, token=ada.token) as stream:
        payload = await stream.payload()
        assert payload["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED", payload
        await stream.end()


async def test_trusted_documents_mode_also_governs_streams(
    database_url: str, tmp_path: Path
) -> None:
    """Only the manifest's operations run, streamed as over the socket."""
    document_id = hashlib.sha256(EVENTS_CHANGED.encode()).hexdigest()
    manifest = {
        "format": "apollo-persisted-query-manifest",
        "version": 1,
        "operations": [
            {"id": document_id, "name": "Changes", "type": "subscription", "body": EVENTS_CHANGED}
        ],
    }
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(manifest))
    token = sign(claims_for(str(uuid.uuid4())))  # refused, but only once the document runs
    with live_server(database_url, env={"TRUSTED_DOCUMENTS": str(path)}) as trusted:
        async with http_client(trusted) as http:
            headers = {"accept": ACCEPT, "authorization": f"Bearer {token}"}
            free = await http.post("/graphql", json={"query": EVENTS_CHANGED}, headers=headers)
            assert free.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_ALLOWED"
            known = await http.post("/graphql", json={"documentId": document_id}, headers=headers)
            assert known.json()["errors"][0]["message"] == "Invalid token", known.text
