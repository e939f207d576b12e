"""A small graphql-transport-ws client over real sockets (the `websockets` package),
for tests against a real server: what graphql-ws's client does on the wire."""

import asyncio
import json
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any, Protocol

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from tests.client import Account, GraphQLClient
from tests.servers import LiveServer

PROTOCOL = "graphql-transport-ws"
# A bound that catches a hang, not a performance assertion.
WAIT = 30.0

EVENT_CHANGED = """subscription($id: ID!) { eventChanged(id: $id) {
  kind eventId at event { id title status attendeeCount } } }"""
EVENTS_CHANGED = """subscription($filter: EventFilter) { eventsChanged(filter: $filter) {
  kind eventId at event { id title status attendeeCount } } }"""
PROBE = """mutation($id: ID!, $title: String!) {
  updateEvent(id: $id, input: {title: $title}) { updatedAt } }"""
# How long one probe is waited for before the next is sent (a retry interval).
PROBE_WAIT = 2.0


class Socket:
    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection
        # Messages read while waiting for another operation's, by operation id.
        self._pending: dict[str, list[dict[str, Any]]] = {}
        # Everything received, for failure messages.
        self.history: list[dict[str, Any]] = []

    async def send(self, message: dict[str, Any]) -> None:
        await self.connection.send(json.dumps(message))

    async def receive(self) -> dict[str, Any]:
        raw = await asyncio.wait_for(self.connection.recv(), WAIT)
        message: dict[str, Any] = json.loads(raw)
        self.history.append(message)
        return message

    async def init(self, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        """connection_init; returns the server's answer (connection_ack, or raises
        ConnectionClosed when the socket was closed instead)."""
        await self.send({"type": "connection_init", "payload": payload or {}})
        return await self.receive()

    async def subscribe(self, op_id: str, query: str, **variables: Any) -> None:
        await self.send(
            {"id": op_id, "type": "subscribe", "payload": {"query": query, "variables": variables}}
        )

    async def complete(self, op_id: str) -> None:
        await self.send({"id": op_id, "type": "complete"})

    async def message_for(self, op_id: str) -> dict[str, Any]:
        """The next message of operation `op_id` (next, error or complete)."""
        pending = self._pending.get(op_id)
        if pending:
            return pending.pop(0)
        while True:
            message = await self.receive()
            if message.get("type") in ("ping", "pong"):
                continue
            if message.get("id") == op_id:
                return message
            self._pending.setdefault(str(message.get("id")), []).append(message)

    async def change_for(self, op_id: str) -> dict[str, Any]:
        """The next EventChange of operation `op_id`; fails on anything else."""
        message = await self.message_for(op_id)
        assert message["type"] == "next", message
        assert "errors" not in message["payload"], message
        change: dict[str, Any] = next(iter(message["payload"]["data"].values()))
        return change

    async def saw(self, op_id: str, event_id: str, at: str, wait: float) -> bool:
        """Whether operation `op_id` receives the change of `event_id` made at `at`
        within `wait` seconds. What comes before it is skipped: earlier changes of that
        event, and changes committed before the operation was registered but followed
        by this worker only after (the change log is polled on SQLite)."""
        try:
            async with asyncio.timeout(wait):
                while True:
                    message = await self.message_for(op_id)
                    payload = message.get("payload") or {}
                    assert message["type"] == "next", message
                    change = next(iter((payload.get("data") or {}).values()), None) or {}
                    if change.get("eventId") == event_id and same_instant(change["at"], at):
                        return True
        except TimeoutError:
            return False

    async def closed(self) -> tuple[int | None, str | None]:
        """Wait for the server to close the socket; its close code and reason."""
        try:
            while True:
                await self.receive()
        except ConnectionClosed:
            pass
        received = self.connection.protocol.close_rcvd
        return (received.code, received.reason) if received else (None, None)


def same_instant(one: str, other: str) -> bool:
    return datetime.fromisoformat(one) == datetime.fromisoformat(other)


def socket_url(server: LiveServer) -> str:
    return server.url.replace("http://", "ws://") + "/graphql"


@asynccontextmanager
async def open_socket(
    server: LiveServer,
    *,
    headers: dict[str, str] | None = None,
    subprotocols: tuple[str, ...] = (PROTOCOL,),
) -> AsyncIterator[Socket]:
    async with connect(
        socket_url(server),
        subprotocols=list(subprotocols),  # type: ignore[arg-type]
        additional_headers=headers,
        open_timeout=WAIT,
        max_size=None,
    ) as connection:
        yield Socket(connection)


@asynccontextmanager
async def signed_in_socket(server: LiveServer, token: str) -> AsyncIterator[Socket]:
    async with open_socket(server) as socket:
        ack = await socket.init({"Authorization": f"Bearer {token}"})
        assert ack == {"type": "connection_ack"}, ack
        yield socket


class Watcher(Protocol):
    """A socket (Socket above) or a stream over HTTP (tests/live/http_streams.py)."""

    async def saw(self, op_id: str, event_id: str, at: str, wait: float) -> bool: ...


async def activate(
    api: GraphQLClient, host: Account, event_id: str, operations: Sequence[tuple[Watcher, str]]
) -> None:
    """Wait until subscriptions are live. graphql-transport-ws acknowledges no
    `subscribe`, and the server registers an operation some time after reading it, so
    a change made at once might precede it. Retitle `event_id` (which every operation
    sees) until each operation has received the latest change (known by its `at`, the
    event's new updatedAt): they are live then, and no earlier probe can arrive later
    (one event's changes arrive in commit order)."""
    for attempt in range(1, 100):
        variables = {"id": event_id, "title": f"probe {attempt}"}
        body = await api.post(PROBE, variables, token=host.token)
        assert "errors" not in body, body
        at = body["data"]["updateEvent"]["updatedAt"]
        seen = [await socket.saw(op_id, event_id, at, PROBE_WAIT) for socket, op_id in operations]
        if all(seen):
            return
    raise AssertionError("the subscriptions never received a change")
