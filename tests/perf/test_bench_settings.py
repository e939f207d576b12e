"""The bench-only switches: off by default, refused in production, and when on, the REST
twin answers exactly what GraphQL answers."""

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from main import ConfigurationError, Settings, create_app
from tests import databases
from tests.client import GraphQLClient, serving
from tests.conftest import TEST_SECRET

EVENTS = "query { events(first: 20) { edges { node { id title tags creator { email } } } } }"


def _settings(tmp_path: Path, **overrides) -> Settings:
    values = {
        "environment": "test",
        "database_url": databases.migrated_sqlite(tmp_path / "bench.db"),
        "secret_key": TEST_SECRET,
        "bcrypt_rounds": 4,
        **overrides,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
async def bench_http(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async with serving(_settings(tmp_path, bench_mode=True)) as client:
        yield client


@pytest.mark.parametrize("switch", ["bench_mode", "bench_auth_off"])
def test_bench_switches_are_refused_in_production(tmp_path, switch):
    switches = {"bench_mode": True, switch: True}
    settings = _settings(tmp_path, environment="production", **switches)
    with pytest.raises(ConfigurationError):
        create_app(settings)


def test_auth_off_needs_bench_mode(tmp_path):
    with pytest.raises(ConfigurationError):
        create_app(_settings(tmp_path, bench_auth_off=True))


async def test_no_rest_twin_by_default(http):
    assert (await http.get("/bench/events")).status_code == 404


async def test_rest_twin_returns_what_graphql_returns(bench_http):
    api = GraphQLClient(bench_http)
    alice, bob = await api.sign_up(), await api.sign_up()
    for i in range(3):
        await api.create_event(alice if i % 2 else bob, title=f"Event {i}", tags=["x", f"t{i}"])

    graphql = await api.post(EVENTS, token=alice.token)
    rest = await bench_http.get("/bench/events?first=20", headers=alice.headers)

    assert rest.status_code == 200
    assert rest.json() == graphql
    assert len(graphql["data"]["events"]["edges"]) == 3


async def test_rest_twin_checks_the_token(bench_http):
    response = await bench_http.get("/bench/events", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401


async def test_auth_off_serves_events_without_a_token(tmp_path):
    async with serving(_settings(tmp_path, bench_mode=True, bench_auth_off=True)) as client:
        body = (await client.post("/graphql", json={"query": EVENTS})).json()
        assert body == {"data": {"events": {"edges": []}}}
