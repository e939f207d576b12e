"""The Authorization header on guarded fields: every way a token can be wrong."""

import base64
import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from jose import jwt
from sqlalchemy import event as sa_event
from sqlmodel import col, delete

from auth.tokens import key_id
from db.models import User
from tests.client import GraphQLClient, error_of
from tests.conftest import TEST_SECRET

ME = "{ me { email } }"


def claims_for(user_id: str, **overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": user_id,
        "iat": now,
        "exp": now + 600,
        "jti": uuid.uuid4().hex,
        "type": "access",
        "iss": "planner",
        "aud": "planner",
        "ver": 0,
    }
    claims.update(overrides)
    return {name: value for name, value in claims.items() if value is not None}


def signed(claims: dict[str, Any], key: str = TEST_SECRET, algorithm: str = "HS256") -> str:
    # The kid names the key the app knows, so only the difference under test counts.
    return jwt.encode(claims, key, algorithm=algorithm, headers={"kid": key_id(TEST_SECRET)})


async def assert_unauthenticated(api: GraphQLClient, headers: dict[str, str], message: str):
    body = await api.post(ME, headers=headers)
    error = error_of(body)
    assert error["message"] == message
    assert error["extensions"] == {"code": "UNAUTHENTICATED"}
    assert body["data"] is None


async def test_no_header_is_not_authenticated(api: GraphQLClient) -> None:
    await assert_unauthenticated(api, {}, "Not authenticated")


async def test_a_valid_token_signs_in(api: GraphQLClient) -> None:
    account = await api.sign_up()
    body = await api.post(ME, headers={"Authorization": f"Bearer {account.token}"})
    assert body == {"data": {"me": {"email": account.email}}}


async def test_the_bearer_scheme_is_case_insensitive(api: GraphQLClient) -> None:
    account = await api.sign_up()
    body = await api.post(ME, headers={"Authorization": f"bearer {account.token}"})
    assert body["data"]["me"]["email"] == account.email


async def test_a_hand_made_token_with_all_claims_is_accepted(api: GraphQLClient) -> None:
    # Guards the tests below: each differs from this one in exactly one respect.
    account = await api.sign_up()
    token = signed(claims_for(account.user_id))
    body = await api.post(ME, token=token)
    assert body["data"]["me"]["email"] == account.email


async def test_expired_token(api: GraphQLClient) -> None:
    account = await api.sign_up()
    past = int(time.time()) - 3600
    token = signed(claims_for(account.user_id, iat=past - 60, exp=past))
    await assert_unauthenticated(api, {"Authorization": f"Bearer {token}"}, "Token expired")


CASES: dict[str, Callable[[str], str]] = {
    "bad signature": lambda uid: signed(claims_for(uid), key="another-key-" + "k" * 40),
    "alg none": lambda uid: (
        jwt.encode(claims_for(uid), "", algorithm="none")
        if "none" in jwt.ALGORITHMS.SUPPORTED
        else _none_token(claims_for(uid))
    ),
    "HS512": lambda uid: signed(claims_for(uid), algorithm="HS512"),
    "missing exp": lambda uid: signed({k: v for k, v in claims_for(uid).items() if k != "exp"}),
    "missing iat": lambda uid: signed({k: v for k, v in claims_for(uid).items() if k != "iat"}),
    "missing sub": lambda uid: signed({k: v for k, v in claims_for(uid).items() if k != "sub"}),
    "missing jti": lambda uid: signed({k: v for k, v in claims_for(uid).items() if k != "jti"}),
    "sub not an id": lambda uid: signed(claims_for("not-a-uuid")),
    "wrong type": lambda uid: signed(claims_for(uid, type="refresh")),
    "no type": lambda uid: signed({k: v for k, v in claims_for(uid).items() if k != "type"}),
    "wrong issuer": lambda uid: signed(claims_for(uid, iss="someone-else")),
    "wrong audience": lambda uid: signed(claims_for(uid, aud="someone-else")),
    "edited payload": lambda uid: _edited(signed(claims_for(uid))),
    "garbage": lambda uid: "not.a.token",
    "truncated": lambda uid: signed(claims_for(uid))[:-10],
}


def _none_token(claims: dict[str, Any]) -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


def _edited(token: str) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = str(uuid.uuid4())
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"{header}.{forged}.{signature}"


@pytest.mark.parametrize("case", list(CASES))
async def test_invalid_tokens(api: GraphQLClient, case: str) -> None:
    account = await api.sign_up()
    token = CASES[case](account.user_id)
    await assert_unauthenticated(api, {"Authorization": f"Bearer {token}"}, "Invalid token")


@pytest.mark.parametrize("header", ["Bearer", "Bearer ", "Basic abc", "Token abc", "abc"])
async def test_malformed_headers(api: GraphQLClient, header: str) -> None:
    await assert_unauthenticated(api, {"Authorization": header}, "Invalid token")


async def test_token_of_a_deleted_user(api: GraphQLClient, app) -> None:
    account = await api.sign_up()
    async with app.state.services.database.write() as session:
        await session.execute(delete(User).where(col(User.id) == uuid.UUID(account.user_id)))
    await assert_unauthenticated(api, account.headers, "Invalid token")


async def test_a_stale_token_version_is_revoked(api: GraphQLClient) -> None:
    account = await api.sign_up()
    token = signed(claims_for(account.user_id, ver=1))
    await assert_unauthenticated(api, {"Authorization": f"Bearer {token}"}, "Token revoked")


async def test_token_checked_and_user_loaded_once_per_request(api: GraphQLClient, app) -> None:
    account = await api.sign_up()
    await api.create_event(account)
    user_selects: list[str] = []

    def count(_conn, _cursor, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "FROM user_account" in statement:
            user_selects.append(statement)

    engine = app.state.services.database.engine.sync_engine
    sa_event.listen(engine, "before_cursor_execute", count)
    try:
        body = await api.post(
            "{ me { email } events { totalCount } again: events { totalCount } other: me { id } }",
            token=account.token,
        )
    finally:
        sa_event.remove(engine, "before_cursor_execute", count)
    assert "errors" not in body, body
    assert len(user_selects) == 1


async def test_guarded_fields_each_report_the_missing_token(api: GraphQLClient) -> None:
    body = await api.post("{ me { email } events { totalCount } }")
    messages = {error["message"] for error in body["errors"]}
    codes = {error["extensions"]["code"] for error in body["errors"]}
    assert messages == {"Not authenticated"}
    assert codes == {"UNAUTHENTICATED"}
    assert body["data"] is None


@pytest.mark.parametrize(
    "mutation",
    [
        'createEvent(input: {title: "x"}) { id }',
        'updateEvent(id: "x", input: {title: "x"}) { id }',
        'deleteEvent(id: "x")',
    ],
)
async def test_event_mutations_require_a_token(api: GraphQLClient, mutation: str) -> None:
    body = await api.post(f"mutation {{ {mutation} }}")
    assert error_of(body)["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize("query", ['{ event(id: "x") { id } }', "{ events { totalCount } }"])
async def test_event_queries_require_a_token(api: GraphQLClient, query: str) -> None:
    body = await api.post(query)
    assert error_of(body)["message"] == "Not authenticated"
