"""`python main.py purge-tokens` deletes expired refresh tokens and old failures."""

import os
import sys

import anyio
from fastapi import FastAPI
from sqlmodel import select

from db.session_models import LoginFailure, RefreshToken
from main import PROJECT_DIR, Settings
from tests.lifecycle.conftest import Clock, Serve
from tests.lifecycle.session_client import SessionClient, failure


async def test_purge_tokens_command(
    app: FastAPI, session_api: SessionClient, clock: Clock, settings: Settings
):
    real_now = clock.now
    clock.advance(-15 * 24 * 3600)  # all of this happened 15 days ago
    old = await session_api.sign_up()
    assert "errors" not in await session_api.refresh(old.refresh)  # a used row, expired too
    assert failure(await session_api.sign_in("someone@example.com", "wrong pass"))[0]
    clock.now = real_now
    fresh = (await session_api.sign_in(old.email, old.password))["data"]["signIn"]
    assert failure(await session_api.sign_in("someone@example.com", "wrong pass"))[0]

    env = {
        "PATH": os.environ.get("PATH", ""),
        "DATABASE_URL": settings.database_url,
        "SECRET_KEY": "purge-test-key-0123456789-0123456789-0123",
        "ENVIRONMENT": "test",
    }
    with anyio.fail_after(120):
        result = await anyio.run_process(
            [sys.executable, "main.py", "purge-tokens"], cwd=PROJECT_DIR, env=env, check=False
        )
    assert result.returncode == 0, result.stderr.decode()
    output = result.stdout.decode().strip()
    assert output == (
        "purged 2 expired refresh tokens, 1 old sign-in failures, 0 expired mail link "
        "tokens, 0 finished mails"
    )

    async with app.state.services.database.read() as session:
        tokens = (await session.execute(select(RefreshToken))).scalars().all()
        failures = (await session.execute(select(LoginFailure))).scalars().all()
    assert len(tokens) == 1 and len(failures) == 1
    assert "errors" not in await session_api.refresh(fresh["refreshToken"])


async def test_the_app_purges_at_startup(
    app: FastAPI, session_api: SessionClient, clock: Clock, serve: Serve
):
    real_now = clock.now
    clock.advance(-15 * 24 * 3600)
    await session_api.sign_up()
    assert failure(await session_api.sign_in("someone@example.com", "wrong pass"))[0]
    clock.now = real_now

    async def counts() -> tuple[int, int]:
        async with app.state.services.database.read() as session:
            tokens = (await session.execute(select(RefreshToken))).scalars().all()
            failures = (await session.execute(select(LoginFailure))).scalars().all()
        return len(tokens), len(failures)

    async with serve(purge_interval_seconds=0):
        assert await counts() == (1, 1)  # switched off: nothing happens
    async with serve():
        assert await counts() == (0, 0)
