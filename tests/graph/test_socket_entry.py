"""graph/socket_entry.py: a subscription socket that skips FastAPI's routing behaves
exactly as one through the stock route (FastPaths(lean_sockets=False)): the same
acknowledgement, deliveries, refusal close code and reason, and Origin check. Each
app is served by a real uvicorn server on a loopback port, in the test's event loop."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from websockets.exceptions import InvalidStatus

from app.fast_paths import FastPaths
from app.settings import Settings
from graph.socket_entry import SocketEntry, socket_entry_internals_missing
from main import create_app
from tests.client import GraphQLClient
from tests.live.sockets import EVENT_CHANGED, activate, open_socket, signed_in_socket
from tests.planning.helpers import UPDATE, ok
from tests.servers import free_port


@dataclass
class InProcessServer:
    url: str


@asynccontextmanager
async def served(app: FastAPI) -> AsyncIterator[InProcessServer]:
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            if task.done():
                task.result()  # raises what stopped it
            await asyncio.sleep(0.05)
        yield InProcessServer(f"http://127.0.0.1:{port}")
    finally:
        server.should_exit = True
        await task


async def one_session(app: FastAPI, email: str) -> list[Any]:
    """What a client sees: ack, a change, a refused token, a foreign origin."""
    seen: list[Any] = []
    async with served(app) as server, httpx.AsyncClient(base_url=server.url, timeout=30) as http:
        api = GraphQLClient(http)
        host = await api.sign_up(email)
        event = await api.create_event(host, title="Watched")
        async with signed_in_socket(server, host.token) as socket:  # type: ignore[arg-type]
            await socket.subscribe("1", EVENT_CHANGED, id=event["id"])
            await activate(api, host, event["id"], [(socket, "1")])
            await ok(api, UPDATE, host, id=event["id"], input={"title": "Final"})
            change = await socket.change_for("1")
            seen.append((change["kind"], change["event"]["title"]))
        async with open_socket(server) as socket:  # type: ignore[arg-type]
            await socket.send({"type": "connection_init", "payload": {"Authorization": "x"}})
            seen.append(await socket.closed())
        with pytest.raises(InvalidStatus) as refused:
            async with open_socket(server, headers={"Origin": "https://elsewhere.example"}):  # type: ignore[arg-type]
                pass
        seen.append(refused.value.response.status_code)
    return seen


def middleware_of(app: FastAPI) -> list[object]:
    return [middleware.cls for middleware in app.user_middleware]


async def test_lean_and_stock_sockets_behave_the_same(settings: Settings) -> None:
    lean_app = create_app(settings)
    stock_app = create_app(settings, fast_paths=FastPaths(lean_sockets=False))
    assert SocketEntry in middleware_of(lean_app)
    assert SocketEntry not in middleware_of(stock_app)

    lean = await one_session(lean_app, "lean@example.com")
    stock = await one_session(stock_app, "stock@example.com")

    assert lean == stock
    assert lean == [("UPDATED", "Final"), (4403, "Invalid token"), 403]


def test_its_library_needs_are_there() -> None:
    assert socket_entry_internals_missing() is None
