"""signOut, signOutEverywhere, changePassword and deleteAccount."""

import uuid

from fastapi import FastAPI
from sqlmodel import col, func, select

from db.models import Event
from db.session_models import RefreshToken
from tests.lifecycle.session_client import (
    CHANGE_PASSWORD,
    DELETE_ACCOUNT,
    SIGN_OUT,
    SIGN_OUT_EVERYWHERE,
    SessionClient,
    error_of,
    failure,
)

CREATE_EVENT = 'mutation { createEvent(input: {title: "Mine"}) { id } }'
INVALID_REFRESH = ("UNAUTHENTICATED", "Invalid refresh token")
REVOKED = ("UNAUTHENTICATED", "Token revoked")


async def test_sign_out_revokes_the_family_and_is_idempotent(session_api: SessionClient):
    me = await session_api.sign_up()
    rotated = (await session_api.refresh(me.refresh))["data"]["refreshToken"]["refreshToken"]
    other = (await session_api.sign_in(me.email, me.password))["data"]["signIn"]["refreshToken"]

    for _ in range(2):  # no access token needed; the second call changes nothing
        body = await session_api.post(SIGN_OUT, {"token": rotated})
        assert body == {"data": {"signOut": True}}
    assert failure(await session_api.refresh(rotated)) == INVALID_REFRESH
    # Another sign-in is another session.
    assert "errors" not in await session_api.refresh(other)
    # Unknown tokens: still true, nothing to revoke.
    assert (await session_api.post(SIGN_OUT, {"token": "not-a-token"}))["data"]["signOut"]


async def test_sign_out_everywhere_needs_a_signed_in_user(session_api: SessionClient):
    body = await session_api.post(SIGN_OUT_EVERYWHERE)
    assert failure(body) == ("UNAUTHENTICATED", "Not authenticated")


async def test_sign_out_everywhere_kills_existing_tokens_at_once(session_api: SessionClient):
    me = await session_api.sign_up()
    laptop = (await session_api.sign_in(me.email, me.password))["data"]["signIn"]
    someone_else = await session_api.sign_up()
    assert "errors" not in await session_api.me(laptop["accessToken"])

    body = await session_api.post(SIGN_OUT_EVERYWHERE, token=me.access)
    assert body == {"data": {"signOutEverywhere": True}}

    # Both access tokens, still unexpired, now fail; so does every refresh token.
    for access in (me.access, laptop["accessToken"]):
        assert failure(await session_api.me(access)) == REVOKED
        assert failure(await session_api.post(CREATE_EVENT, token=access)) == REVOKED
    for refresh in (me.refresh, laptop["refreshToken"]):
        assert failure(await session_api.refresh(refresh)) == INVALID_REFRESH
    # Other people are not affected; signing in again works.
    assert "errors" not in await session_api.me(someone_else.access)
    again = (await session_api.sign_in(me.email, me.password))["data"]["signIn"]
    assert "errors" not in await session_api.me(again["accessToken"])


async def test_change_password_with_a_wrong_current_password(session_api: SessionClient):
    me = await session_api.sign_up()
    body = await session_api.post(
        CHANGE_PASSWORD, {"current": "wrong password", "new": "a new password"}, token=me.access
    )
    error = error_of(body)
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "currentPassword"}
    assert "errors" not in await session_api.me(me.access)  # nothing was revoked


async def test_change_password_checks_the_new_password(session_api: SessionClient):
    me = await session_api.sign_up()
    body = await session_api.post(
        CHANGE_PASSWORD, {"current": me.password, "new": "short"}, token=me.access
    )
    assert error_of(body)["extensions"] == {"code": "BAD_USER_INPUT", "field": "newPassword"}


async def test_change_password_needs_a_signed_in_user(session_api: SessionClient):
    body = await session_api.post(CHANGE_PASSWORD, {"current": "whatever1", "new": "whatever2"})
    assert failure(body) == ("UNAUTHENTICATED", "Not authenticated")


async def test_change_password_ends_other_sessions_and_returns_a_new_one(
    session_api: SessionClient,
):
    me = await session_api.sign_up()
    phone = (await session_api.sign_in(me.email, me.password))["data"]["signIn"]
    body = await session_api.post(
        CHANGE_PASSWORD, {"current": me.password, "new": "a brand new secret"}, token=me.access
    )
    assert "errors" not in body, body
    fresh = body["data"]["changePassword"]
    assert fresh["user"]["id"] == me.user_id

    for access in (me.access, phone["accessToken"]):
        assert failure(await session_api.me(access)) == REVOKED
    for refresh in (me.refresh, phone["refreshToken"]):
        assert failure(await session_api.refresh(refresh)) == INVALID_REFRESH
    assert (await session_api.me(fresh["accessToken"]))["data"]["me"]["id"] == me.user_id
    assert "errors" not in await session_api.refresh(fresh["refreshToken"])

    old = await session_api.sign_in(me.email, me.password)
    assert failure(old) == ("UNAUTHENTICATED", "Incorrect email or password")
    assert "errors" not in await session_api.sign_in(me.email, "a brand new secret")


async def test_delete_account_with_a_wrong_password(session_api: SessionClient):
    me = await session_api.sign_up()
    body = await session_api.post(DELETE_ACCOUNT, {"password": "not my password"}, token=me.access)
    assert error_of(body)["extensions"] == {"code": "BAD_USER_INPUT", "field": "password"}
    assert "errors" not in await session_api.me(me.access)


async def test_delete_account_removes_the_user_their_events_and_tokens(
    app: FastAPI, session_api: SessionClient
):
    me = await session_api.sign_up()
    other = await session_api.sign_up()
    for account in (me, me, other):
        assert "errors" not in await session_api.post(CREATE_EVENT, token=account.access)

    body = await session_api.post(DELETE_ACCOUNT, {"password": me.password}, token=me.access)
    assert body == {"data": {"deleteAccount": True}}

    assert failure(await session_api.me(me.access)) == ("UNAUTHENTICATED", "Invalid token")
    assert failure(await session_api.refresh(me.refresh)) == INVALID_REFRESH
    signed_in = await session_api.sign_in(me.email, me.password)
    assert failure(signed_in) == ("UNAUTHENTICATED", "Incorrect email or password")
    async with app.state.services.database.read() as session:
        events = (await session.execute(select(Event.creator_id))).scalars().all()
        tokens = await session.execute(
            select(func.count()).where(col(RefreshToken.user_id) == uuid.UUID(me.user_id))
        )
        assert tokens.scalar_one() == 0
    assert [str(creator) for creator in events] == [other.user_id]
    # The email is free again.
    assert (await session_api.sign_up(me.email)).user_id != me.user_id
