"""Live updates across workers and instances sharing one database: revocations close
sockets everywhere, and every change reaches every subscriber once, in commit order
per event (SQLite: the change log each worker follows; PostgreSQL: LISTEN/NOTIFY)."""

import asyncio
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import AsyncExitStack
from datetime import datetime

import pytest
from websockets.exceptions import ConnectionClosed

from tests.client import GraphQLClient
from tests.lifecycle.session_client import CHANGE_PASSWORD, DELETE_ACCOUNT, REFRESH
from tests.live.conftest import http_client
from tests.live.sockets import (
    EVENT_CHANGED,
    EVENTS_CHANGED,
    activate,
    open_socket,
    signed_in_socket,
)
from tests.live.test_instances import apis  # noqa: F401 (a fixture, on these instances)
from tests.planning.helpers import CREATE, UPDATE, ok
from tests.servers import LiveServer, live_server

SIGN_OUT_EVERYWHERE = "mutation { signOutEverywhere }"
SIGN_IN = """mutation($email: String!, $password: String!) {
  signIn(email: $email, password: $password) { accessToken refreshToken } }"""
# The bound from a revocation's commit to every socket of the user closed.
REVOKED_WITHIN_SECONDS = 2.0


@pytest.fixture
def instances(database_url: str) -> Iterator[tuple[LiveServer, LiveServer]]:
    """Instance A runs two workers, instance B one; no sticky sessions anywhere."""
    env = {"SUBSCRIPTION_QUEUE_SIZE": "1000"}
    with (
        live_server(database_url, workers=2, env=env) as a,
        live_server(database_url, env=env) as b,
    ):
        yield a, b


async def sign_in(api: GraphQLClient, email: str, password: str) -> tuple[str, str]:
    """An access token and a refresh token."""
    body = await api.post(SIGN_IN, {"email": email, "password": password})
    return body["data"]["signIn"]["accessToken"], body["data"]["signIn"]["refreshToken"]


async def reuse(api: GraphQLClient, refresh: str) -> None:
    """Rotate `refresh`, then present it again: the server takes the copy for theft."""
    assert "errors" not in await api.post(REFRESH, {"token": refresh})
    reused = await api.post(REFRESH, {"token": refresh})
    assert reused["errors"][0]["message"] == "Refresh token reused", reused


async def test_revocation_closes_the_users_sockets_on_every_instance(
    instances: tuple[LiveServer, LiveServer],
    apis: tuple[GraphQLClient, GraphQLClient],  # noqa: F811
) -> None:
    a, b = instances
    on_a, on_b = apis
    ada = await on_a.sign_up()
    bob = await on_a.sign_up()
    cases = [
        (SIGN_OUT_EVERYWHERE, {}),
        (REFRESH, {}),  # a refresh token presented twice
        (CHANGE_PASSWORD, {"current": ada.password, "new": "another horse"}),
        (DELETE_ACCOUNT, {"password": "another horse"}),
    ]
    password = ada.password
    probe = (await ok(on_a, CREATE, bob, input={"title": "Probe"}))["createEvent"]["id"]
    async with signed_in_socket(b, bob.token) as bobs:
        await bobs.subscribe("all", EVENTS_CHANGED)
        await activate(on_a, bob, probe, [(bobs, "all")])
        for mutation, variables in cases:
            token, refresh = await sign_in(on_b, ada.email, password)
            async with AsyncExitStack() as stack:
                # Three sockets: two on A (its two workers take them as they come), one on B.
                sockets = [
                    await stack.enter_async_context(signed_in_socket(server, token))
                    for server in (a, a, b)
                ]
                for socket in sockets:
                    await socket.subscribe("all", EVENTS_CHANGED)
                if mutation == REFRESH:
                    await reuse(on_a, refresh)
                else:
                    body = await on_a.post(mutation, variables, token=token)
                    assert "errors" not in body, body
                revoked = time.monotonic()
                for socket in sockets:
                    assert await socket.closed() == (4403, "Token revoked")
                closed_after = time.monotonic() - revoked
                assert closed_after < REVOKED_WITHIN_SECONDS, (mutation, closed_after)
            password = variables.get("new", password)
        # Bob's socket was never touched.
        event = await ok(on_a, CREATE, bob, input={"title": "Bob's"})
        change = await bobs.change_for("all")
        assert (change["kind"], change["eventId"]) == ("CREATED", event["createEvent"]["id"])


async def test_changes_reach_every_instance_once_and_in_commit_order(
    instances: tuple[LiveServer, LiveServer],
    apis: tuple[GraphQLClient, GraphQLClient],  # noqa: F811
) -> None:
    a, b = instances
    on_a, on_b = apis
    ada = await on_a.sign_up()
    events = [
        (await ok(on_a, CREATE, ada, input={"title": f"Event {n}"}))["createEvent"]["id"]
        for n in range(10)
    ]
    async with (
        signed_in_socket(a, ada.token) as on_instance_a,
        signed_in_socket(b, ada.token) as on_instance_b,
    ):
        watched = events[0]
        for socket in (on_instance_a, on_instance_b):
            await socket.subscribe("all", EVENTS_CHANGED)
            await socket.subscribe("one", EVENT_CHANGED, id=watched)
        operations = [(s, op) for s in (on_instance_a, on_instance_b) for op in ("all", "one")]
        await activate(on_b, ada, watched, operations)

        # 200 changes at once, made through both instances (and A's two workers).
        async def change(n: int) -> None:
            api = on_a if n % 2 else on_b
            await ok(api, UPDATE, ada, id=events[n % 10], input={"title": f"Change {n}"})

        await asyncio.gather(*(change(n) for n in range(200)))
        marker = (await ok(on_b, CREATE, ada, input={"title": "Marker"}))["createEvent"]["id"]

        for socket in (on_instance_a, on_instance_b):
            seen: list[tuple[str, str]] = []
            times: dict[str, list[datetime]] = {}
            while True:
                delivered = await socket.change_for("all")
                if delivered["eventId"] == marker:
                    break
                seen.append((delivered["kind"], delivered["eventId"]))
                at = datetime.fromisoformat(delivered["at"])
                times.setdefault(delivered["eventId"], []).append(at)
            # Every change once: 20 per event, nothing twice, nothing else.
            assert Counter(seen) == {("UPDATED", event_id): 20 for event_id in events}
            # Per event in commit order (each change is stamped inside its transaction,
            # which holds the event's lock).
            for stamps in times.values():
                assert stamps == sorted(stamps)
            one = [await socket.change_for("one") for _ in range(20)]
            assert {c["eventId"] for c in one} == {watched}
            stamps = [datetime.fromisoformat(c["at"]) for c in one]
            assert stamps == sorted(stamps)


async def test_the_socket_limit_counts_a_users_sockets_on_every_instance(
    database_url: str,
) -> None:
    env = {"MAX_CONNECTIONS_PER_USER": "2"}
    with live_server(database_url, env=env) as a, live_server(database_url, env=env) as b:
        async with http_client(a) as http:
            api = GraphQLClient(http)
            ada, bob = await api.sign_up(), await api.sign_up()
            async with signed_in_socket(a, ada.token), AsyncExitStack() as on_b:
                await on_b.enter_async_context(signed_in_socket(b, ada.token))
                for server in (a, b):
                    async with open_socket(server) as third:
                        await third.send(
                            {
                                "type": "connection_init",
                                "payload": {"Authorization": f"Bearer {ada.token}"},
                            }
                        )
                        assert await third.closed() == (4429, "Too many connections")
                # Another user is not counted against ada.
                async with signed_in_socket(b, bob.token):
                    pass
                await on_b.aclose()  # ada closes her socket on B: a place is free again
                assert await accepted_soon(a, ada.token)


async def accepted_soon(server: LiveServer, token: str) -> bool:
    """Whether a socket with `token` is accepted within a few seconds (a closed socket's
    place is released by its server as it shuts the socket down)."""
    for _attempt in range(25):
        async with open_socket(server) as socket:
            try:
                ack = await socket.init({"Authorization": f"Bearer {token}"})
            except ConnectionClosed:
                await asyncio.sleep(0.2)
                continue
            return bool(ack == {"type": "connection_ack"})
    return False
