"""SECRET_KEY signs, PREVIOUS_SECRET_KEYS verify; tokens name their key in `kid`."""

import logging

import pytest
from jose import jwt

from auth.tokens import key_id
from tests.lifecycle.conftest import Serve
from tests.lifecycle.session_client import SessionClient, failure

OLD = "old-signing-key-0123456789-0123456789-abcdef"
NEW = "new-signing-key-9876543210-9876543210-fedcba"
RETIRED = "retired-key-that-nobody-uses-any-more-000000"
INVALID = ("UNAUTHENTICATED", "Invalid token")


async def me_id(api: SessionClient, access: str) -> str:
    body = await api.me(access)
    assert "errors" not in body, body
    return str(body["data"]["me"]["id"])


async def test_old_tokens_work_until_the_old_key_is_removed(
    serve: Serve, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.DEBUG)
    async with serve(secret_key=OLD) as api:
        before = await api.sign_up()
    assert jwt.get_unverified_header(before.access)["kid"] == key_id(OLD)

    async with serve(secret_key=NEW, previous_secret_keys=f" {RETIRED} , {OLD} ") as api:
        assert await me_id(api, before.access) == before.user_id
        during = (await api.sign_in(before.email, before.password))["data"]["signIn"]
        assert jwt.get_unverified_header(during["accessToken"])["kid"] == key_id(NEW)
        # Refresh tokens are opaque, so a key change does not touch them.
        refreshed = (await api.refresh(before.refresh))["data"]["refreshToken"]
        assert jwt.get_unverified_header(refreshed["accessToken"])["kid"] == key_id(NEW)

    async with serve(secret_key=NEW) as api:
        assert failure(await api.me(before.access)) == INVALID
        assert await me_id(api, during["accessToken"]) == before.user_id
        bodies = [str(await api.me(token)) for token in (before.access, during["accessToken"])]

    for key in (OLD, NEW, RETIRED):
        assert key not in caplog.text
        assert all(key not in body for body in bodies)


async def test_a_missing_unknown_or_lying_kid_is_invalid(serve: Serve):
    async with serve(secret_key=NEW, previous_secret_keys=OLD) as api:
        me = await api.sign_up()
        claims = jwt.get_unverified_claims(me.access)
        assert await me_id(api, jwt.encode(claims, NEW, "HS256", headers={"kid": key_id(NEW)}))

        forged = {
            "no kid": jwt.encode(claims, NEW, "HS256"),
            "unknown kid": jwt.encode(claims, NEW, "HS256", headers={"kid": "somebody-else"}),
            "kid is not a string": jwt.encode(claims, NEW, "HS256", headers={"kid": 7}),
            "kid names another key": jwt.encode(claims, OLD, "HS256", headers={"kid": key_id(NEW)}),
            "retired key": jwt.encode(claims, RETIRED, "HS256", headers={"kid": key_id(RETIRED)}),
        }
        for case, token in forged.items():
            assert failure(await api.me(token)) == INVALID, case
