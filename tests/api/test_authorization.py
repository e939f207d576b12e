"""The Authorization header on guarded fields. Forged and broken tokens are covered
case by case in tests/security/test_forged_tokens.py; these are the remaining claims,
revocation, and how often a request checks its token."""

import time
from typing import Any

import pytest

from db.statement_count import counted_statements
from tests.client import GraphQLClient, error_of
from tests.tokens import DROP, claims_for, sign

ME = "{ me { email } }"
SEND_BEARER = "Send the header Authorization: Bearer <accessToken> (from signIn or signUp)"


async def assert_unauthenticated(
    api: GraphQLClient, headers: dict[str, str], message: str, hint: str | None = None
):
    body = await api.post(ME, headers=headers)
    error = error_of(body)
    assert error["message"] == message
    hinted = {} if hint is None else {"hint": hint}
    assert error["extensions"] == {"code": "UNAUTHENTICATED", **hinted}
    assert body["data"] is None


async def test_no_header_is_not_authenticated(api: GraphQLClient) -> None:
    await assert_unauthenticated(api, {}, "Not authenticated", SEND_BEARER)


@pytest.mark.parametrize(
    "authorization",
    [
        pytest.param("Basic dXNlcjpwYXNz", id="basic-scheme"),
        pytest.param("Token abc.def.ghi", id="token-scheme"),
        pytest.param("eyJhbGciOiJIUzI1NiJ9.e30.c2ln", id="bare-token"),
        pytest.param("Bearer", id="bearer-without-token"),
    ],
)
async def test_another_scheme_or_none_is_told_what_to_send(
    api: GraphQLClient, authorization: str
) -> None:
    headers = {"Authorization": authorization}
    await assert_unauthenticated(api, headers, "Invalid token", SEND_BEARER)


async def test_a_bad_bearer_token_has_no_hint(api: GraphQLClient) -> None:
    # The scheme was right: sending the header again would not help.
    await assert_unauthenticated(api, {"Authorization": "Bearer not-a-jwt"}, "Invalid token")


async def test_an_expired_token_is_told_to_refresh(api: GraphQLClient) -> None:
    account = await api.sign_up()
    now = int(time.time())
    token = sign(claims_for(account.user_id, iat=now - 3600, exp=now - 60))
    await assert_unauthenticated(
        api,
        {"Authorization": f"Bearer {token}"},
        "Token expired",
        "Refresh with refreshToken, or sign in again",
    )


async def test_a_valid_token_signs_in(api: GraphQLClient) -> None:
    account = await api.sign_up()
    body = await api.post(ME, headers={"Authorization": f"Bearer {account.token}"})
    assert body == {"data": {"me": {"email": account.email}}}


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"iat": DROP}, id="no-iat"),
        pytest.param({"jti": DROP}, id="no-jti"),
        pytest.param({"type": DROP}, id="no-type"),
        pytest.param({"sub": "not-a-uuid"}, id="sub-not-an-id"),
        pytest.param({"ver": "0"}, id="ver-not-an-int"),
    ],
)
async def test_other_claim_problems(api: GraphQLClient, changes: dict[str, Any]) -> None:
    account = await api.sign_up()
    token = sign(claims_for(account.user_id, **changes))
    await assert_unauthenticated(api, {"Authorization": f"Bearer {token}"}, "Invalid token")


async def test_a_stale_token_version_is_revoked(api: GraphQLClient) -> None:
    account = await api.sign_up()
    token = sign(claims_for(account.user_id, ver=1))
    await assert_unauthenticated(api, {"Authorization": f"Bearer {token}"}, "Token revoked")


async def test_token_checked_and_user_loaded_once_per_request(api: GraphQLClient, app) -> None:
    account = await api.sign_up()
    await api.create_event(account)

    with counted_statements(app.state.services.database) as statements:
        body = await api.post(
            "{ me { email } events { totalCount } again: events { totalCount } other: me { id } }",
            token=account.token,
        )

    assert "errors" not in body, body
    user_selects = [s for s in statements if "FROM user_account" in s]
    assert len(user_selects) == 1, statements


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
        "signOutEverywhere",
        'changePassword(currentPassword: "a", newPassword: "b") { accessToken }',
        'deleteAccount(password: "x")',
    ],
)
async def test_signed_in_mutations_require_a_token(api: GraphQLClient, mutation: str) -> None:
    body = await api.post(f"mutation {{ {mutation} }}")
    assert error_of(body)["message"] == "Not authenticated"
    assert error_of(body)["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize("query", ['{ event(id: "x") { id } }', "{ events { totalCount } }"])
async def test_event_queries_require_a_token(api: GraphQLClient, query: str) -> None:
    body = await api.post(query)
    assert error_of(body)["message"] == "Not authenticated"
