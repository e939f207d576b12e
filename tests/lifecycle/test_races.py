"""Races that SQLite's serialised writers would hide: they matter on PostgreSQL, and
run on both databases (tests/conftest.py)."""

import asyncio
import uuid

import pytest
from fastapi import FastAPI
from sqlmodel import col, func, select

from db.session_models import RefreshToken
from tests.lifecycle.session_client import (
    SIGN_OUT,
    SIGN_OUT_EVERYWHERE,
    SessionClient,
    error_of,
    failure,
)
from tests.lifecycle.throttle_helpers import failures_for


@pytest.fixture
def pg(app: FastAPI, session_api: SessionClient) -> tuple[FastAPI, SessionClient]:
    return app, session_api


async def test_concurrent_refreshes_have_one_winner(pg):
    _app, api = pg
    for round_ in range(3):
        me = await api.sign_up(f"racer{round_}@example.com")
        results = await asyncio.gather(*(api.refresh(me.refresh) for _ in range(6)))
        winners = [body for body in results if "errors" not in body]
        assert len(winners) == 1, results
        for body in results:
            if "errors" in body:
                assert failure(body)[0] == "UNAUTHENTICATED"


async def test_concurrent_guesses_stay_within_the_limit(pg):
    app, api = pg
    me = await api.sign_up("target@example.com")
    results = await asyncio.gather(*(api.sign_in(me.email, f"guess {n}") for n in range(12)))
    codes = [error_of(body)["extensions"]["code"] for body in results]
    assert codes.count("UNAUTHENTICATED") == 5
    assert codes.count("TOO_MANY_REQUESTS") == 7
    assert await failures_for(app, me.email) == 5


async def live_tokens(app, user_id: str) -> int:
    async with app.state.services.database.read() as session:
        result = await session.execute(
            select(func.count()).where(
                col(RefreshToken.user_id) == uuid.UUID(user_id),
                col(RefreshToken.revoked_at).is_(None),
                col(RefreshToken.used_at).is_(None),
            )
        )
        return int(result.scalar_one())


async def test_no_token_escapes_a_concurrent_revocation(pg):
    """A rotation racing signOutEverywhere or signOut must not leave a live token."""
    app, api = pg
    for round_ in range(8):
        me = await api.sign_up(f"escape{round_}@example.com")
        phone = (await api.sign_in(me.email, me.password))["data"]["signIn"]["refreshToken"]
        await asyncio.gather(
            api.refresh(me.refresh),
            api.refresh(phone),
            api.post(SIGN_OUT_EVERYWHERE, token=me.access),
        )
        assert await live_tokens(app, me.user_id) == 0, round_

        again = (await api.sign_in(me.email, me.password))["data"]["signIn"]["refreshToken"]
        await asyncio.gather(api.refresh(again), api.post(SIGN_OUT, {"token": again}))
        assert await live_tokens(app, me.user_id) == 0, round_
