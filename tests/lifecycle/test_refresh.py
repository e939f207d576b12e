"""Refresh tokens: opaque, stored as digests, rotated once; reuse revokes the family
and every access token issued so far."""

import asyncio
import base64
import hashlib

from fastapi import FastAPI
from sqlmodel import col, select

from db.refresh_tokens import mark_used
from db.session_models import RefreshToken
from db.types import utc_now
from tests.lifecycle.conftest import Clock
from tests.lifecycle.session_client import REFRESH, SIGN_OUT, SessionClient, failure

FOURTEEN_DAYS = 14 * 24 * 3600


async def rows(app: FastAPI) -> list[RefreshToken]:
    async with app.state.services.database.read() as session:
        result = await session.execute(select(RefreshToken).order_by(col(RefreshToken.issued_at)))
        return list(result.scalars())


async def test_sign_up_and_sign_in_return_a_refresh_token(session_api: SessionClient):
    me = await session_api.sign_up()
    body = await session_api.sign_in(me.email, me.password)
    payload = body["data"]["signIn"]
    assert payload["refreshExpiresIn"] == FOURTEEN_DAYS
    for token in (me.refresh, payload["refreshToken"]):
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        assert len(raw) * 8 >= 256
        assert token.count(".") == 0  # opaque, not a JWT
    assert me.refresh != payload["refreshToken"]


async def test_only_a_digest_is_stored_with_user_family_and_times(
    app: FastAPI, session_api: SessionClient, clock: Clock
):
    me = await session_api.sign_up()
    [row] = await rows(app)
    assert row.digest == hashlib.sha256(me.refresh.encode()).hexdigest()
    assert me.refresh not in str(row.model_dump())
    assert str(row.user_id) == me.user_id
    assert row.issued_at == clock.now
    assert (row.expires_at - row.issued_at).total_seconds() == FOURTEEN_DAYS
    assert row.used_at is None and row.revoked_at is None


async def test_refresh_rotates_within_the_family(app: FastAPI, session_api: SessionClient):
    me = await session_api.sign_up()
    body = await session_api.refresh(me.refresh)
    assert "errors" not in body, body
    payload = body["data"]["refreshToken"]
    assert payload["tokenType"] == "bearer"
    assert payload["user"]["id"] == me.user_id
    assert payload["refreshToken"] != me.refresh
    # The new access token works; no access token was needed to refresh.
    assert (await session_api.me(payload["accessToken"]))["data"]["me"]["id"] == me.user_id
    first, second = await rows(app)
    assert first.family_id == second.family_id
    assert first.used_at is not None and second.used_at is None
    # And the new refresh token rotates again.
    again = await session_api.refresh(payload["refreshToken"])
    assert "errors" not in again, again


async def test_reusing_a_rotated_token_revokes_the_family(session_api: SessionClient):
    me = await session_api.sign_up()
    other = await session_api.sign_in(me.email, me.password)  # another device: own family
    rotated = (await session_api.refresh(me.refresh))["data"]["refreshToken"]

    reused = await session_api.refresh(me.refresh)
    assert reused["data"] is None
    assert failure(reused) == ("UNAUTHENTICATED", "Refresh token reused")
    # The thief's copy and the legitimate successor are both dead now...
    assert failure(await session_api.refresh(rotated["refreshToken"])) == (
        "UNAUTHENTICATED",
        "Invalid refresh token",
    )
    assert failure(await session_api.refresh(me.refresh)) == (
        "UNAUTHENTICATED",
        "Invalid refresh token",
    )
    # Every access token issued so far is refused: the thief may hold those too...
    for access in (me.access, rotated["accessToken"], other["data"]["signIn"]["accessToken"]):
        assert failure(await session_api.me(access)) == ("UNAUTHENTICATED", "Token revoked")
    # ...but the other device's family is untouched: it continues after one refresh.
    other_refresh = other["data"]["signIn"]["refreshToken"]
    renewed = await session_api.refresh(other_refresh)
    assert "errors" not in renewed, renewed
    fresh = await session_api.me(renewed["data"]["refreshToken"]["accessToken"])
    assert fresh["data"]["me"]["email"] == me.email


async def test_concurrent_refreshes_with_one_token_have_one_winner(
    session_api: SessionClient,
):
    me = await session_api.sign_up()
    results = await asyncio.gather(*(session_api.refresh(me.refresh) for _ in range(4)))
    winners = [body for body in results if "errors" not in body]
    losers = [body for body in results if "errors" in body]
    assert len(winners) == 1
    assert len(losers) == 3
    # A loser presented a token that was rotated meanwhile: from the server's side that
    # is indistinguishable from theft, so the first one revokes the family and later
    # ones find the token revoked.
    messages = [failure(body) for body in losers]
    assert ("UNAUTHENTICATED", "Refresh token reused") in messages
    assert set(messages) <= {
        ("UNAUTHENTICATED", "Refresh token reused"),
        ("UNAUTHENTICATED", "Invalid refresh token"),
    }
    successor = winners[0]["data"]["refreshToken"]["refreshToken"]
    assert failure(await session_api.refresh(successor))[1] == "Invalid refresh token"


async def test_the_rotation_update_has_one_winner(app: FastAPI, session_api: SessionClient):
    """The guard itself: of two transactions marking one token used, one changes it."""
    await session_api.sign_up()
    [row] = await rows(app)
    database = app.state.services.database
    outcomes = []
    for _ in range(2):
        async with database.write() as session:
            outcomes.append(await mark_used(session, row.id, utc_now()))
    assert outcomes == [True, False]


async def test_unknown_or_malformed_refresh_tokens_are_invalid(session_api: SessionClient):
    me = await session_api.sign_up()
    for token in ("", "nope", me.refresh + "x", me.access, "a" * 10_000):
        assert failure(await session_api.refresh(token)) == (
            "UNAUTHENTICATED",
            "Invalid refresh token",
        ), token


async def test_an_expired_refresh_token_is_invalid(session_api: SessionClient, clock: Clock):
    me = await session_api.sign_up()
    clock.advance(FOURTEEN_DAYS - 1)
    alive = await session_api.refresh(me.refresh)
    assert "errors" not in alive, alive
    successor = alive["data"]["refreshToken"]["refreshToken"]
    clock.advance(FOURTEEN_DAYS)
    assert failure(await session_api.refresh(successor)) == (
        "UNAUTHENTICATED",
        "Invalid refresh token",
    )


async def test_a_signed_out_token_is_invalid_not_reused(session_api: SessionClient):
    me = await session_api.sign_up()
    await session_api.post(SIGN_OUT, {"token": me.refresh})
    assert failure(await session_api.refresh(me.refresh)) == (
        "UNAUTHENTICATED",
        "Invalid refresh token",
    )


async def test_refresh_and_sign_out_ignore_the_authorization_header(session_api: SessionClient):
    """The refresh token is their credential; a stale access token does not get in the way."""
    me = await session_api.sign_up()
    stale = {"Authorization": "Bearer not.a.token"}
    body = await session_api.post(REFRESH, {"token": me.refresh}, headers=stale)
    assert "errors" not in body, body
    successor = body["data"]["refreshToken"]["refreshToken"]
    body = await session_api.post(SIGN_OUT, {"token": successor}, headers=stale)
    assert body == {"data": {"signOut": True}}
    assert failure(await session_api.refresh(successor))[1] == "Invalid refresh token"


async def test_an_access_token_expires_by_the_apps_clock(session_api: SessionClient, clock: Clock):
    """Access tokens are checked against the injected clock, like refresh tokens: valid up
    to and including the second of their expiry, then refreshed."""
    me = await session_api.sign_up()
    clock.advance(30 * 60)
    assert "errors" not in await session_api.me(me.access)
    clock.advance(1)
    assert failure(await session_api.me(me.access)) == ("UNAUTHENTICATED", "Token expired")
    fresh = (await session_api.refresh(me.refresh))["data"]["refreshToken"]["accessToken"]
    assert "errors" not in await session_api.me(fresh)
