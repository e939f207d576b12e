"""Fixtures for mail: a real SMTP server per test, and the app sending to it through
its outbox sender, with a clock tests can move forward (time still flows, so the
sender's retries come due)."""

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import col, select

from app.settings import Settings
from db.mail_models import MailJob
from db.types import utc_now
from main import create_app
from tests.client import GraphQLClient, client_of
from tests.mail.smtp_server import MailServer
from tests.settings import make_settings

FRONTEND = "https://app.example"


class Clock:
    """Real time plus an offset tests can move."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return utc_now() + self.offset

    def advance(self, **delta: float) -> None:
        self.offset += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    server = MailServer()
    server.start()
    yield server
    server.stop()


def mail_settings(database_url: str, port: int, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "mail_sender": True,
        "smtp_host": "127.0.0.1",
        "smtp_port": port,
        "smtp_security": "none",
        "smtp_timeout_seconds": 5.0,
        "mail_poll_seconds": 0.05,
        "mail_retry_seconds": 0.05,
        "mail_retry_max_seconds": 0.2,
        "mail_lease_seconds": 10.0,
        "mail_from": "Planner <planner@example.com>",
        "frontend_url": FRONTEND,
        **overrides,
    }
    return make_settings(database_url, **values)


@pytest.fixture
def settings(database_url: str, mail_server: MailServer) -> Settings:
    return mail_settings(database_url, mail_server.port)


@pytest.fixture
async def app(settings: Settings, clock: Clock) -> AsyncIterator[FastAPI]:
    application = create_app(settings, clock=clock)
    async with application.router.lifespan_context(application):
        yield application


class Instance(GraphQLClient):
    """A client of one app instance, which it keeps at hand (its database, its outbox)."""

    def __init__(self, http: httpx.AsyncClient, app: FastAPI) -> None:
        super().__init__(http)
        self.app = app


Serve = Callable[..., AbstractAsyncContextManager[Instance]]


@pytest.fixture
def serve(settings: Settings, clock: Clock) -> Serve:
    """`async with serve(**changed_settings) as api:` another instance on the test's
    database (its own sender, if it runs one)."""

    @asynccontextmanager
    async def running(**changes: Any) -> AsyncIterator[Instance]:
        application = create_app(settings.model_copy(update=changes), clock=clock)
        async with client_of(application) as client:
            yield Instance(client, application)

    return running


async def outbox(app: FastAPI) -> list[MailJob]:
    async with app.state.services.database.read() as session:
        result = await session.execute(select(MailJob).order_by(col(MailJob.created_at)))
        return list(result.scalars())


async def post(http: httpx.AsyncClient, query: str, **variables: Any) -> httpx.Response:
    return await http.post("/graphql", json={"query": query, "variables": variables})
