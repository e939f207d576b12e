"""Fixtures: a real app on a fresh SQLite file per test, spoken to over HTTP (ASGI)."""

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from main import Settings, create_app
from tests.client import GraphQLClient

TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # bcrypt at its lowest cost keeps the suite fast; it is still real bcrypt.
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        environment="test",
        database_url=f"sqlite:///{tmp_path / 'planner.db'}",
        secret_key=TEST_SECRET,
        bcrypt_rounds=4,
    )


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
