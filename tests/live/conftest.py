"""Fixtures for tests against real uvicorn processes (see tests/servers.py)."""

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from tests.client import GraphQLClient
from tests.servers import LiveServer, live_server

# Generous: a bound that catches a hang, not a performance assertion.
REQUEST_TIMEOUT = httpx.Timeout(60.0)


@pytest.fixture
def server(database_url: str) -> Iterator[LiveServer]:
    with live_server(database_url) as running:
        yield running


@pytest.fixture
async def live_api(server: LiveServer) -> AsyncIterator[GraphQLClient]:
    async with http_client(server) as client:
        yield GraphQLClient(client)


def http_client(server: LiveServer) -> httpx.AsyncClient:
    # Idle connections expire here well before uvicorn closes them (5 s): at equal
    # timeouts a burst under load could send on a connection the server was closing
    # (httpx.ReadError, seen on a loaded machine).
    limits = httpx.Limits(max_connections=250, max_keepalive_connections=250, keepalive_expiry=1.0)
    return httpx.AsyncClient(base_url=server.url, timeout=REQUEST_TIMEOUT, limits=limits)
