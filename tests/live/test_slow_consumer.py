"""A slow consumer over a real socket: a client that stops reading fills the server's
socket buffers, then each subscription's bounded queue (SUBSCRIPTION_QUEUE_SIZE); each
operation then ends with SUBSCRIPTION_OVERFLOW, and the socket stays open."""

import json
import socket as sockets
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from websockets.asyncio.client import connect

from tests.client import GraphQLClient
from tests.live.conftest import http_client
from tests.live.sockets import PROTOCOL, WAIT, Socket, socket_url
from tests.planning.helpers import CREATE, UPDATE, ok
from tests.servers import LiveServer, live_server

QUEUE_SIZE = 3
# Changes of ~100 KB each (one description, selected under 11 aliases): a few dozen
# fill the loopback buffers (the kernel's send buffer grows to 4 MB) of a client that
# reads nothing.
DESCRIPTION_BYTES = 9_000
CHANGES = 120
ALIASES = " ".join(f"d{n}: description" for n in range(10))
WATCH = (
    "subscription($id: ID!) { eventChanged(id: $id) { kind event { description "
    + ALIASES
    + " } } }"
)


@pytest.fixture
def server(database_url: str) -> Iterator[LiveServer]:
    with live_server(database_url, env={"SUBSCRIPTION_QUEUE_SIZE": str(QUEUE_SIZE)}) as running:
        yield running


@pytest.fixture
async def api(server: LiveServer) -> AsyncIterator[GraphQLClient]:
    async with http_client(server) as client:
        yield GraphQLClient(client)


def small_receive_buffer() -> sockets.socket:
    raw = sockets.socket(sockets.AF_INET, sockets.SOCK_STREAM)
    raw.setsockopt(sockets.SOL_SOCKET, sockets.SO_RCVBUF, 4096)
    return raw


async def test_a_consumer_that_stops_reading_gets_an_overflow_error(
    server: LiveServer, api: GraphQLClient
) -> None:
    host = await api.sign_up()
    event = (await ok(api, CREATE, host, input={"title": "Busy"}))["createEvent"]["id"]
    raw = small_receive_buffer()
    port = int(server.url.rsplit(":", 1)[1])
    raw.connect(("127.0.0.1", port))
    async with connect(
        socket_url(server),
        sock=raw,
        subprotocols=[PROTOCOL],  # type: ignore[list-item]
        open_timeout=WAIT,
        max_size=None,
        max_queue=1,  # the client library reads ahead no more than one message
    ) as connection:
        client = Socket(connection)
        assert await client.init({"Authorization": f"Bearer {host.token}"}) == {
            "type": "connection_ack"
        }
        await client.subscribe("slow", WATCH, id=event)
        await client.subscribe("other", WATCH, id=event)
        # The client reads nothing while the changes are made.
        for number in range(CHANGES):
            text = f"{number:04d}" + "x" * DESCRIPTION_BYTES
            await ok(api, UPDATE, host, id=event, input={"description": text})
        received: dict[str, list[dict[str, Any]]] = {"slow": [], "other": []}
        while not all(m and m[-1]["type"] == "complete" for m in received.values()):
            message = await client.receive()
            received[message["id"]].append(message)
        for messages in received.values():
            # A stream's own error comes as `next` with errors, then `complete`.
            *delivered, overflow, _complete = messages
            assert overflow["payload"]["data"] is None
            [error] = overflow["payload"]["errors"]
            assert error["extensions"]["code"] == "SUBSCRIPTION_OVERFLOW"
            assert error["message"] == "Too many undelivered changes: subscribe again and refetch"
            # What arrived before never goes back in time (a delivery carries the event
            # as it is when the change is dispatched), and is fewer than all changes.
            numbers = [
                int(m["payload"]["data"]["eventChanged"]["event"]["description"][:4])
                for m in delivered
            ]
            assert numbers == sorted(numbers)
            assert 0 < len(numbers) < CHANGES
        # The socket is still open: a new subscription on it receives the next change.
        await client.subscribe("again", WATCH, id=event)
        for attempt in range(50):
            await ok(api, UPDATE, host, id=event, input={"description": f"after {attempt}"})
            message = json.loads(await connection.recv())
            if message["id"] == "again":
                assert message["type"] == "next", message
                break
        else:
            pytest.fail("the new subscription received nothing")
