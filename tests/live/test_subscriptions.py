"""Subscriptions through real sockets against a real server (uvicorn on a loopback
port), on SQLite and PostgreSQL: authentication and every close code, expiry closing
an open socket, the limits, and deliveries decided per viewer."""

import hashlib
import json
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.client import SIGN_UP, Account, GraphQLClient
from tests.live.conftest import http_client
from tests.live.sockets import (
    EVENT_CHANGED,
    EVENTS_CHANGED,
    PROTOCOL,
    activate,
    open_socket,
    signed_in_socket,
)
from tests.planning.helpers import CREATE, DELETE, RSVP, UPDATE, ok
from tests.servers import LiveServer, live_server
from tests.tokens import claims_for, sign

SIGN_OUT_EVERYWHERE = "mutation { signOutEverywhere }"
LIMITED = {
    "SUBSCRIPTION_INIT_TIMEOUT_SECONDS": "1",
    "MAX_CONNECTIONS_PER_USER": "2",
    "MAX_SUBSCRIPTIONS_PER_CONNECTION": "2",
    "SUBSCRIPTION_MAX_MESSAGE_BYTES": "2048",
    "MAX_QUERY_DEPTH": "4",
}


@pytest.fixture
def limited_server(database_url: str) -> Iterator[LiveServer]:
    with live_server(database_url, env=LIMITED) as running:
        yield running


@pytest.fixture
async def limited_api(limited_server: LiveServer) -> AsyncIterator[GraphQLClient]:
    async with http_client(limited_server) as client:
        yield GraphQLClient(client)


async def refusal(server: LiveServer, payload: dict[str, Any]) -> tuple[int | None, str | None]:
    async with open_socket(server) as socket:
        await socket.send({"type": "connection_init", "payload": payload})
        return await socket.closed()


async def test_a_missing_or_refused_token_closes_with_4403_and_the_query_message(
    limited_server: LiveServer, limited_api: GraphQLClient
) -> None:
    server = limited_server
    ada = await limited_api.sign_up()
    assert await refusal(server, {}) == (4403, "Not authenticated")
    assert await refusal(server, {"Authorization": "Bearer not-a-token"}) == (
        4403,
        "Invalid token",
    )
    assert await refusal(server, {"Authorization": f"Basic {ada.token}"}) == (4403, "Invalid token")
    expired = sign(claims_for(ada.user_id, exp=int(time.time()) - 5))
    assert await refusal(server, {"Authorization": f"Bearer {expired}"}) == (4403, "Token expired")
    gone = sign(claims_for(str(uuid.uuid4())))
    assert await refusal(server, {"Authorization": f"Bearer {gone}"}) == (4403, "Invalid token")

    # The payload's key in any case, or the upgrade request's header.
    async with open_socket(server) as socket:
        assert await socket.init({"AUTHORIZATION": f"Bearer {ada.token}"}) == {
            "type": "connection_ack"
        }
    async with open_socket(server, headers=ada.headers) as socket:
        assert await socket.init() == {"type": "connection_ack"}

    await ok(limited_api, SIGN_OUT_EVERYWHERE, ada)
    assert await refusal(server, {"authorization": f"Bearer {ada.token}"}) == (
        4403,
        "Token revoked",
    )


async def test_no_connection_init_in_time_closes_with_4408(limited_server: LiveServer) -> None:
    async with open_socket(limited_server) as socket:
        assert await socket.closed() == (4408, "Connection initialisation timeout")


async def test_sockets_are_not_compressed(limited_server: LiveServer) -> None:
    # The client offers permessage-deflate; the server declines it (app/serving.py).
    async with open_socket(limited_server) as socket:
        assert socket.connection.request is not None
        assert "permessage-deflate" in socket.connection.request.headers["Sec-WebSocket-Extensions"]
        assert socket.connection.response is not None
        assert "Sec-WebSocket-Extensions" not in socket.connection.response.headers


async def test_the_legacy_graphql_ws_protocol_is_refused(limited_server: LiveServer) -> None:
    async with open_socket(limited_server, subprotocols=("graphql-ws",)) as socket:
        assert socket.connection.subprotocol is None
        assert await socket.closed() == (4406, "Subprotocol not acceptable")


async def test_a_live_socket_closes_when_its_token_expires(
    limited_server: LiveServer, limited_api: GraphQLClient
) -> None:
    ada = await limited_api.sign_up()
    probe = await create(limited_api, ada, title="Probe")
    short = sign(claims_for(ada.user_id, exp=int(time.time()) + 8))
    async with signed_in_socket(limited_server, short) as socket:
        await socket.subscribe("all", EVENTS_CHANGED)
        await activate(limited_api, ada, probe, [(socket, "all")])
        # The subscription is live; the socket closes at the token's expiry second
        # (checked by the server's clock, not by this test).
        assert await socket.closed() == (4403, "Token expired")


async def test_limits_on_sockets_operations_messages_and_documents(
    limited_server: LiveServer, limited_api: GraphQLClient
) -> None:
    ada = await limited_api.sign_up()
    probe = await create(limited_api, ada, title="Probe")
    async with signed_in_socket(limited_server, ada.token) as first:
        # MAX_SUBSCRIPTIONS_PER_CONNECTION=2: the third operation gets an error.
        await first.subscribe("1", EVENTS_CHANGED)
        await first.subscribe("2", EVENT_CHANGED, id=probe)
        await activate(limited_api, ada, probe, [(first, "1"), (first, "2")])
        await first.subscribe("3", EVENTS_CHANGED)
        refused = await first.message_for("3")
        assert refused["type"] == "error"
        assert refused["payload"][0]["message"] == "Subscription limit reached"
        assert refused["payload"][0]["extensions"]["code"] == "SUBSCRIPTION_LIMIT_REACHED"
        # MAX_CONNECTIONS_PER_USER=2: a third socket of the same user is closed.
        async with signed_in_socket(limited_server, ada.token):
            assert await refusal(limited_server, {"Authorization": f"Bearer {ada.token}"}) == (
                4429,
                "Too many connections",
            )
        # Another user is not counted against ada.
        bob = await limited_api.sign_up()
        async with signed_in_socket(limited_server, bob.token) as bobs:
            # The query limits apply to subscription documents (MAX_QUERY_DEPTH=4).
            deep = (
                "subscription { eventsChanged { event { creator { events { edges "
                "{ node { id } } } } } } }"
            )
            await bobs.subscribe("deep", deep)
            error = await bobs.message_for("deep")
            assert error["type"] == "error", error
            assert error["payload"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
            # A message over SUBSCRIPTION_MAX_MESSAGE_BYTES closes the socket (1009).
            await bobs.subscribe("big", "subscription { eventsChanged { kind } }" + " " * 4096)
            assert await bobs.closed() == (1009, "Message too big")
        # ada's first socket is still open and working.
        await ok(limited_api, CREATE, ada, input={"title": "Still here"})
        assert (await first.change_for("1"))["event"]["title"] == "Still here"


# --- deliveries, decided per viewer ---


async def create(api: GraphQLClient, account: Account, **fields: Any) -> str:
    data = await ok(api, CREATE, account, input={"title": "An event", **fields})
    event_id: str = data["createEvent"]["id"]
    return event_id


async def update(api: GraphQLClient, account: Account, event_id: str, **fields: Any) -> None:
    await ok(api, UPDATE, account, id=event_id, input=fields)


async def test_every_kind_of_change_reaches_those_who_may_see_it(
    server: LiveServer, live_api: GraphQLClient
) -> None:
    api = live_api
    ada = await api.sign_up()
    bob = await api.sign_up()
    probe = await create(api, ada, title="Probe")
    async with (
        signed_in_socket(server, ada.token) as adas,
        signed_in_socket(server, bob.token) as bobs,
    ):
        await adas.subscribe("all", EVENTS_CHANGED)
        await bobs.subscribe("all", EVENTS_CHANGED)
        await activate(api, ada, probe, [(adas, "all"), (bobs, "all")])
        private = await create(api, ada, title="Private", visibility="PRIVATE")
        change = await adas.change_for("all")
        assert (change["kind"], change["eventId"], change["event"]["title"]) == (
            "CREATED",
            private,
            "Private",
        ), (adas.history, bobs.history)
        assert change["at"].endswith("Z") or "+00:00" in change["at"]

        # Bob cannot see the private event: subscribing to it is NOT_FOUND, the
        # socket stays open, and nothing about it reaches him.
        await bobs.subscribe("private", EVENT_CHANGED, id=private)
        refused = await bobs.message_for("private")
        assert refused["type"] == "error", refused
        assert refused["payload"][0]["extensions"]["code"] == "NOT_FOUND"
        assert refused["payload"][0]["message"] == "Event not found"
        await update(api, ada, private, title="Private, renamed")
        assert (await adas.change_for("all"))["kind"] == "UPDATED"

        public = await create(api, ada, title="Public", capacity=1)
        # Changes are dispatched in commit order, so bob's first delivery being the
        # public event shows that nothing of the private one came before it.
        for socket in (adas, bobs):
            change = await socket.change_for("all")
            assert (change["kind"], change["eventId"]) == ("CREATED", public)
        await bobs.subscribe("one", EVENT_CHANGED, id=public)
        await activate(api, ada, public, [(adas, "all"), (bobs, "all"), (bobs, "one")])

        await update(api, ada, public, title="Public, renamed")
        for socket, op_id in ((adas, "all"), (bobs, "all"), (bobs, "one")):
            change = await socket.change_for(op_id)
            assert (change["kind"], change["event"]["title"]) == ("UPDATED", "Public, renamed")

        await ok(api, RSVP, bob, eventId=public, response="GOING")
        for socket, op_id in ((adas, "all"), (bobs, "all"), (bobs, "one")):
            change = await socket.change_for(op_id)
            assert (change["kind"], change["event"]["attendeeCount"]) == ("ATTENDANCE", 1)
        await update(api, ada, public, capacity=5)
        assert (await bobs.change_for("one"))["kind"] == "ATTENDANCE"
        assert (await bobs.change_for("all"))["kind"] == "ATTENDANCE"
        assert (await adas.change_for("all"))["kind"] == "ATTENDANCE"

        # Back to DRAFT: bob loses access. One ACCESS_LOST on each subscription, with
        # no event; eventChanged then completes, and nothing more about it follows.
        await update(api, ada, public, status="DRAFT")
        assert (await adas.change_for("all"))["kind"] == "UPDATED"
        for op_id in ("all", "one"):
            change = await bobs.change_for(op_id)
            assert (change["kind"], change["eventId"], change["event"]) == (
                "ACCESS_LOST",
                public,
                None,
            )
        assert (await bobs.message_for("one"))["type"] == "complete"
        await update(api, ada, public, title="Draft again")
        assert (await adas.change_for("all"))["kind"] == "UPDATED"

        last = await create(api, ada, title="Last")
        for socket in (adas, bobs):
            change = await socket.change_for("all")
            assert (change["kind"], change["eventId"]) == ("CREATED", last)
        await update(api, ada, last, status="CANCELLED")
        for socket in (adas, bobs):
            change = await socket.change_for("all")
            assert (change["kind"], change["event"]["status"]) == ("CANCELLED", "CANCELLED")
        await ok(api, DELETE, ada, id=last)
        for socket in (adas, bobs):
            change = await socket.change_for("all")
            assert (change["kind"], change["eventId"], change["event"]) == ("DELETED", last, None)
        # Deleting the private event tells only those who could see it.
        await ok(api, DELETE, ada, id=private)
        assert (await adas.change_for("all"))["kind"] == "DELETED"
        marker = await create(api, ada, title="Marker")
        assert (await bobs.change_for("all"))["eventId"] == marker


async def test_a_filter_limits_what_arrives(server: LiveServer, live_api: GraphQLClient) -> None:
    api = live_api
    ada = await api.sign_up()
    probe = await create(api, ada, title="Probe", tags=["music"])
    async with signed_in_socket(server, ada.token) as socket:
        await socket.subscribe("tagged", EVENTS_CHANGED, filter={"tag": "music"})
        await activate(api, ada, probe, [(socket, "tagged")])
        await create(api, ada, title="Untagged")
        tagged = await create(api, ada, title="Tagged", tags=["music"])
        change = await socket.change_for("tagged")
        assert (change["kind"], change["eventId"]) == ("CREATED", tagged)


async def test_subscribing_needs_the_protocol_handshake_first(server: LiveServer) -> None:
    async with open_socket(server, subprotocols=(PROTOCOL,)) as socket:
        await socket.subscribe("early", EVENTS_CHANGED)
        assert await socket.closed() == (4401, "Unauthorized")


async def test_trusted_documents_mode_also_governs_the_socket(
    database_url: str, tmp_path: Path
) -> None:
    """Only the manifest's operations run, over the socket as over HTTP."""
    manifest = {
        "format": "apollo-persisted-query-manifest",
        "version": 1,
        "operations": [
            {"id": sha256(SIGN_UP), "name": "SignUp", "type": "mutation", "body": SIGN_UP},
        ],
    }
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(manifest))
    with live_server(database_url, env={"TRUSTED_DOCUMENTS": str(path)}) as trusted:
        async with http_client(trusted) as http:
            body = (
                await http.post(
                    "/graphql",
                    json={
                        "variables": {"email": "ada@example.com", "password": "correct horse"},
                        "extensions": {
                            "persistedQuery": {"version": 1, "sha256Hash": sha256(SIGN_UP)}
                        },
                    },
                )
            ).json()
        token = body["data"]["signUp"]["accessToken"]
        async with signed_in_socket(trusted, token) as socket:
            await socket.subscribe("free", EVENTS_CHANGED)
            refused = await socket.message_for("free")
            assert refused["type"] == "error", refused
            assert refused["payload"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_ALLOWED"
            await socket.send({"type": "ping"})
            assert await socket.receive() == {"type": "pong"}  # the socket stays open


def sha256(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()
