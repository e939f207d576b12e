"""Fixtures: a real app on a fresh database per test, spoken to over HTTP (ASGI).

Every test that uses a database runs twice: on SQLite, and on PostgreSQL when
TEST_DATABASE_URL names a server (skipped with the reason otherwise). See
tests/databases.py.
"""

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from app.settings import Settings, load_settings
from main import create_app
from tests import databases
from tests.client import GraphQLClient
from tests.settings import make_settings
from tests.skip_summary import write_skip_summary


@pytest.fixture(autouse=True)
def _settings_read_afresh() -> Iterator[None]:
    """A test that builds the app from the environment reads it, not an earlier test's."""
    yield
    load_settings.cache_clear()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    # Runs before pytest's short summary of failures and its closing count line.
    write_skip_summary(terminalreporter)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_kind(request: pytest.FixtureRequest) -> str:
    kind: str = request.param
    return kind


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return databases.migrated_sqlite_template(tmp_path_factory.mktemp("sqlite-template"))


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """TEST_DATABASE_URL, checked once per run; skips (or fails, in CI) without it."""
    server = databases.postgres_server_url()
    if server is None:
        pytest.skip(
            f"PostgreSQL tests need {databases.POSTGRES_ENV} (e.g. postgresql://postgres@127.0.0.1:5432/test)"
        )
    problem = databases.reachable(server)
    if problem is not None:
        message = f"PostgreSQL at {databases.POSTGRES_ENV} is unreachable: {problem}"
        if databases.postgres_required():
            pytest.fail(message)
        pytest.skip(message)
    return server


@pytest.fixture(scope="session")
def postgres_run_database(postgres_server: str) -> Iterator[str]:
    """This run's own migrated database, dropped when the run ends."""
    databases.drop_abandoned_databases(postgres_server)
    with databases.postgres_database(postgres_server, migrated=True) as url:
        yield url


@pytest.fixture
def database_url(database_kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A migrated, empty database of the kind under test."""
    if database_kind == "sqlite":
        return databases.sqlite_copy(request.getfixturevalue("sqlite_template"), tmp_path)
    url: str = request.getfixturevalue("postgres_run_database")
    databases.empty_tables(url)
    return url


@pytest.fixture
def empty_database_url(
    database_kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[str]:
    """A database of the kind under test with no schema at all (not migrated)."""
    if database_kind == "sqlite":
        yield databases.sqlite_url(tmp_path / "empty.db")
        return
    server: str = request.getfixturevalue("postgres_server")
    with databases.postgres_database(server, migrated=False) as url:
        yield url


@pytest.fixture
def settings(database_url: str) -> Settings:
    return make_settings(database_url)


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def http(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@pytest.fixture
def api(http: httpx.AsyncClient) -> GraphQLClient:
    return GraphQLClient(http)
