"""Sign-in throttling per email and per client address, with an injected clock."""

from typing import Any

from fastapi import FastAPI
from passlib.hash import bcrypt
from sqlmodel import col, select

from db.models import User
from tests.lifecycle.conftest import Clock, Serve
from tests.lifecycle.session_client import (
    CHANGE_PASSWORD,
    DELETE_ACCOUNT,
    SessionClient,
    error_of,
    failure,
)
from tests.lifecycle.throttle_helpers import aliased_sign_ins, failures_for

WRONG = ("UNAUTHENTICATED", "Incorrect email or password")


def throttled(body: dict[str, Any]) -> int:
    """retryAfter of a TOO_MANY_REQUESTS response."""
    error = error_of(body)
    assert error["extensions"]["code"] == "TOO_MANY_REQUESTS", body
    assert body["data"] is None
    retry_after = error["extensions"]["retryAfter"]
    assert isinstance(retry_after, int)
    return retry_after


async def fail(api: SessionClient, email: str, times: int) -> None:
    for _ in range(times):
        assert failure(await api.sign_in(email, "wrong password")) == WRONG


async def test_five_failures_lock_the_email_until_the_window_passes(
    session_api: SessionClient, clock: Clock
):
    me = await session_api.sign_up()
    await fail(session_api, me.email, 5)

    # Even the right password is refused now.
    assert throttled(await session_api.sign_in(me.email, me.password)) == 900
    clock.advance(600)
    assert throttled(await session_api.sign_in(me.email, me.password)) == 300
    clock.advance(299)
    assert throttled(await session_api.sign_in(me.email, me.password)) == 1
    clock.advance(1)
    assert "errors" not in await session_api.sign_in(me.email, me.password)


async def test_failures_outside_the_window_do_not_count(session_api: SessionClient, clock: Clock):
    me = await session_api.sign_up()
    await fail(session_api, me.email, 4)
    clock.advance(901)
    await fail(session_api, me.email, 4)  # 8 failures, never 5 inside 900 seconds
    assert "errors" not in await session_api.sign_in(me.email, me.password)


async def test_a_success_resets_the_email_count(app: FastAPI, session_api: SessionClient):
    me = await session_api.sign_up()
    await fail(session_api, me.email, 4)
    assert "errors" not in await session_api.sign_in(me.email, me.password)
    assert await failures_for(app, me.email) == 0
    await fail(session_api, me.email, 4)
    assert "errors" not in await session_api.sign_in(me.email, me.password)


async def test_the_lock_is_per_email_and_ignores_case(session_api: SessionClient):
    me = await session_api.sign_up("victim@example.com")
    bystander = await session_api.sign_up()
    await fail(session_api, "  Victim@Example.COM ", 5)
    assert throttled(await session_api.sign_in(me.email, me.password)) == 900
    assert "errors" not in await session_api.sign_in(bystander.email, bystander.password)


async def test_unknown_emails_are_locked_like_real_ones(session_api: SessionClient):
    await fail(session_api, "nobody@example.com", 5)
    assert throttled(await session_api.sign_in("nobody@example.com", "anything")) == 900


async def test_throttled_sign_ins_run_no_bcrypt(
    app: FastAPI, session_api: SessionClient, clock: Clock
):
    """A plain $2b$ hash is replaced on the next successful bcrypt check (rehash); while
    locked, the right password leaves it as it is, so no check ran."""
    me = await session_api.sign_up()
    legacy = bcrypt.using(rounds=4).hash(me.password)
    database = app.state.services.database
    async with database.write() as session:
        user = (await session.execute(select(User).where(col(User.email) == me.email))).scalar_one()
        user.password_hash = legacy
        session.add(user)

    async def stored_hash() -> str:
        async with database.read() as session:
            query = select(User.password_hash).where(col(User.email) == me.email)
            return str((await session.execute(query)).scalar_one())

    await fail(session_api, me.email, 5)
    for _ in range(3):
        throttled(await session_api.sign_in(me.email, me.password))
    assert await stored_hash() == legacy
    assert await failures_for(app, me.email) == 5  # refusals are not counted either

    clock.advance(900)
    assert "errors" not in await session_api.sign_in(me.email, me.password)
    assert (await stored_hash()).startswith("$bcrypt-sha256$")


async def test_one_address_gets_30_failures_a_minute(serve: Serve, clock: Clock):
    async with serve() as api, serve(peer=("127.0.0.2", 50000)) as elsewhere:
        me = await api.sign_up()
        for number in range(30):
            assert failure(await api.sign_in(f"guess{number}@example.com", "nope1234")) == WRONG
        assert throttled(await api.sign_in(me.email, me.password)) == 60
        assert throttled(await api.sign_in("guess99@example.com", "nope1234")) == 60
        # Another address is not affected, nor is the account.
        assert "errors" not in await elsewhere.sign_in(me.email, me.password)
        clock.advance(60)
        assert "errors" not in await api.sign_in(me.email, me.password)


async def test_aliased_sign_ins_get_one_check_per_request(app: FastAPI, session_api: SessionClient):
    """graphql-core runs mutation fields one after another and stops at the first
    non-null field that fails, so ten aliases still make one guess."""
    me = await session_api.sign_up()
    guesses = aliased_sign_ins([(me.email, f"guess number {n}") for n in range(10)])
    body = await session_api.post(guesses)
    assert body["data"] is None
    assert failure(body) == WRONG
    assert error_of(body)["path"] == ["a0"]
    assert await failures_for(app, me.email) == 1

    for _ in range(4):
        await session_api.post(guesses)
    assert await failures_for(app, me.email) == 5
    # The limit holds for aliased requests too, and the right password does not help.
    right = aliased_sign_ins([(me.email, me.password)] * 3)
    assert throttled(await session_api.post(right)) == 900
    assert await failures_for(app, me.email) == 5


async def test_every_check_of_an_aliased_request_counts(app: FastAPI, session_api: SessionClient):
    """The checks that run are exactly those up to the first failing alias."""
    me = await session_api.sign_up()
    await fail(session_api, me.email, 3)
    mixed = aliased_sign_ins([(me.email, me.password)] * 2 + [(me.email, "wrong password")] * 3)
    body = await session_api.post(mixed)
    assert body["data"] is None
    assert failure(body) == WRONG and error_of(body)["path"] == ["a2"]
    # a0 and a1 ran (and reset the count), a2 ran and failed, a3 and a4 never ran.
    assert await failures_for(app, me.email) == 1


async def test_many_emails_in_one_aliased_request_still_make_one_guess(
    app: FastAPI, session_api: SessionClient
):
    emails = [f"target{n}@example.com" for n in range(10)]
    body = await session_api.post(aliased_sign_ins([(email, "password1") for email in emails]))
    assert failure(body) == WRONG
    counts = [await failures_for(app, email) for email in emails]
    assert counts == [1] + [0] * 9


async def test_password_checks_of_signed_in_users_count_too(session_api: SessionClient):
    """A stolen access token must not become a way around the limit."""
    me = await session_api.sign_up()
    await fail(session_api, me.email, 2)
    for _ in range(2):
        body = await session_api.post(
            CHANGE_PASSWORD, {"current": "guess1234", "new": "whatever1"}, token=me.access
        )
        assert error_of(body)["extensions"]["field"] == "currentPassword"
    body = await session_api.post(DELETE_ACCOUNT, {"password": "guess1234"}, token=me.access)
    assert error_of(body)["extensions"]["field"] == "password"

    assert throttled(await session_api.sign_in(me.email, me.password)) == 900
    body = await session_api.post(DELETE_ACCOUNT, {"password": me.password}, token=me.access)
    assert throttled(body) == 900
    body = await session_api.post(
        CHANGE_PASSWORD, {"current": me.password, "new": "whatever1"}, token=me.access
    )
    assert throttled(body) == 900
