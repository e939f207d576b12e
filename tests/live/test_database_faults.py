"""The database goes away under a running server and comes back: requests end in
bounded time with a masked error, /healthz says 503, and the same process recovers.

PostgreSQL only: the app reaches it through tests/tcp_proxy.py, which the test breaks
(connections refused, or a black hole that accepts and never answers) and repairs.
"""

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from sqlalchemy.engine import make_url

from tests.client import SIGN_IN, Account, GraphQLClient, error_of
from tests.live.conftest import http_client
from tests.servers import LiveServer, free_port, live_server
from tests.tcp_proxy import TcpProxy

PAGE = "query { events(first: 10) { edges { node { title } } } }"
# The bounds the server is configured with; requests must end on their own, before
# the HTTP client's own (much longer) timeout would cut them.
TIMEOUTS = {"DB_CONNECT_TIMEOUT": "2", "DB_COMMAND_TIMEOUT": "3", "DB_POOL_TIMEOUT": "3"}
LEAKS = ("asyncpg", "sqlalchemy", "SELECT", "Traceback", "127.0.0.1", "Connection")


@pytest.fixture
def proxy(database_kind: str, database_url: str) -> Iterator[TcpProxy]:
    if database_kind != "postgresql":
        pytest.skip("a database outage needs a database server; SQLite is a local file")
    url = make_url(database_url)
    tcp = TcpProxy((url.host or "127.0.0.1", url.port or 5432), free_port())
    try:
        yield tcp
    finally:
        tcp.close()


@pytest.fixture
def proxied_server(proxy: TcpProxy, database_url: str) -> Iterator[LiveServer]:
    # Written as operators do (`postgres://`); the app picks the async driver.
    url = make_url(database_url).set(drivername="postgres", host="127.0.0.1", port=proxy.port)
    with live_server(url.render_as_string(hide_password=False), env=TIMEOUTS) as server:
        yield server


@pytest.fixture
async def proxied_http(proxied_server: LiveServer) -> AsyncIterator[httpx.AsyncClient]:
    async with http_client(proxied_server) as client:
        yield client


async def _assert_masked_failure(api: GraphQLClient, account: Account) -> None:
    for body in (
        await api.post(SIGN_IN, {"email": account.email, "password": account.password}),
        await api.post(PAGE, token=account.token),
    ):
        error = error_of(body)
        assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
        assert set(error["extensions"]) <= {"code", "requestId"}
        assert error["message"] == "Internal server error"
        assert not any(leak in str(body) for leak in LEAKS), body


async def _assert_serving(api: GraphQLClient, account: Account) -> None:
    assert (await api.http.get("/healthz")).status_code == 200
    signed_in = await api.post(SIGN_IN, {"email": account.email, "password": account.password})
    assert signed_in["data"]["signIn"]["user"]["id"] == account.user_id
    listed = await api.post(PAGE, token=account.token)
    assert listed == {"data": {"events": {"edges": [{"node": {"title": "Before"}}]}}}


@pytest.mark.parametrize("fault", ["refuse", "blackhole"])
async def test_outage_fails_fast_and_the_same_process_recovers(
    fault: str, proxy: TcpProxy, proxied_server: LiveServer, proxied_http: httpx.AsyncClient
) -> None:
    api = GraphQLClient(proxied_http)
    account = await api.sign_up("ada@example.com")
    await api.create_event(account, title="Before")
    await _assert_serving(api, account)

    proxy.set_mode("refuse" if fault == "refuse" else "blackhole")
    await _assert_masked_failure(api, account)
    health = await proxied_http.get("/healthz")
    assert health.status_code == 503
    assert health.json() == {"status": "unavailable", "database": "unavailable"}

    proxy.set_mode("forward")
    await _assert_serving(api, account)
    assert proxied_server.running  # recovered without a restart


async def test_connections_dropped_while_idle_are_replaced_unnoticed(
    proxy: TcpProxy, proxied_http: httpx.AsyncClient
) -> None:
    """A database restart (or a firewall dropping idle connections) between requests:
    the pool notices on checkout (pre-ping) and the next request just works."""
    api = GraphQLClient(proxied_http)
    account = await api.sign_up("ada@example.com")
    await api.create_event(account, title="Before")
    await _assert_serving(api, account)

    proxy.set_mode("forward")  # cuts every open connection, accepts new ones
    await _assert_serving(api, account)
