"""Fixtures for the token lifecycle: the real app with an injectable clock, and apps
built on demand with other settings (keys, limits, trusted proxies) on the same DB."""

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from db.types import utc_now
from main import Settings, create_app
from tests.lifecycle.session_client import SessionClient

PEER = ("127.0.0.1", 50000)


class Clock:
    """What the app takes as now; tests move it instead of sleeping."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock(utc_now())


@pytest.fixture
async def app(settings: Settings, clock: Clock) -> AsyncIterator[FastAPI]:
    application = create_app(settings, clock=clock)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
def session_api(http: httpx.AsyncClient) -> SessionClient:
    return SessionClient(http)


Serve = Callable[..., AbstractAsyncContextManager[SessionClient]]


@pytest.fixture
def serve(settings: Settings, clock: Clock) -> Serve:
    """`async with serve(secret_key=..., peer=(...)) as client:` an app built with these
    settings changed, on the test's database, reached from `peer`."""

    @asynccontextmanager
    async def running(peer: tuple[str, int] = PEER, **changes: Any) -> AsyncIterator[SessionClient]:
        application = create_app(settings.model_copy(update=changes), clock=clock)
        async with application.router.lifespan_context(application):
            transport = httpx.ASGITransport(app=application, client=peer)
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
                yield SessionClient(http)

    return running
