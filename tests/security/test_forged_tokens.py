"""Forged and broken access tokens (RFC 8725): each is UNAUTHENTICATED, none a 500.

Tokens are made here with python-jose (or by hand, where jose refuses to make them)
and sent over HTTP to the real app; a correctly made token is accepted first, so each
refusal below is caused by the one thing that test changes.
"""

import base64
import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI

from db.users import get_user
from tests.client import Account, GraphQLClient, code_of, error_of
from tests.tokens import DROP, b64json, header_for, sign
from tests.tokens import claims_for as claims_of

ME = "{ me { id email } }"


def claims_for(account: Account, **changes: object) -> dict[str, object]:
    return claims_of(account.user_id, **changes)


async def refused(api: GraphQLClient, authorization: str) -> dict[str, Any]:
    body = await api.post(ME, headers={"Authorization": authorization})
    assert code_of(body) == "UNAUTHENTICATED", body
    assert body["data"] is None
    return error_of(body)


@pytest.fixture
async def account(api: GraphQLClient) -> Account:
    return await api.sign_up()


async def test_a_correctly_made_token_is_accepted(api: GraphQLClient, account: Account) -> None:
    body = await api.post(ME, token=sign(claims_for(account)))
    assert body["data"]["me"]["id"] == account.user_id, body


async def test_lower_case_bearer_is_accepted(api: GraphQLClient, account: Account) -> None:
    body = await api.post(ME, headers={"Authorization": f"bearer {account.token}"})
    assert body["data"]["me"]["email"] == account.email, body


@pytest.mark.parametrize("alg", ["none", "None", "NONE", "nOnE"])
async def test_alg_none(api: GraphQLClient, account: Account, alg: str) -> None:
    token = f"{header_for(alg)}.{b64json(claims_for(account))}."
    await refused(api, f"Bearer {token}")


async def test_hs512_on_the_hs256_key(api: GraphQLClient, account: Account) -> None:
    await refused(api, f"Bearer {sign(claims_for(account), algorithm='HS512')}")


async def test_rs256_signed_by_an_rsa_key(api: GraphQLClient, account: Account) -> None:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    await refused(api, f"Bearer {sign(claims_for(account), key=pem, algorithm='RS256')}")


async def test_rs256_header_over_an_hs256_signature(api: GraphQLClient, account: Account) -> None:
    # Algorithm confusion: the header claims RS256, the signature is HMAC with our key.
    valid = sign(claims_for(account))
    _, payload, signature = valid.split(".")
    header = header_for("RS256")
    await refused(api, f"Bearer {header}.{payload}.{signature}")


async def test_signed_with_another_key(api: GraphQLClient, account: Account) -> None:
    other = "another-secret-key-that-is-long-enough-9876543210"
    await refused(api, f"Bearer {sign(claims_for(account), key=other)}")


async def test_payload_edited_after_signing(api: GraphQLClient, account: Account) -> None:
    victim = await api.sign_up()
    header, _, signature = sign(claims_for(account)).split(".")
    edited = b64json(claims_for(victim))
    await refused(api, f"Bearer {header}.{edited}.{signature}")


async def test_expired(api: GraphQLClient, account: Account) -> None:
    now = int(time.time())
    token = sign(claims_for(account, iat=now - 3600, exp=now - 60))
    assert (await refused(api, f"Bearer {token}"))["message"] == "Token expired"


async def test_not_valid_before_a_future_nbf(api: GraphQLClient, account: Account) -> None:
    token = sign(claims_for(account, nbf=int(time.time()) + 3600))
    await refused(api, f"Bearer {token}")


EXP_AS_STRING = object()  # an expiry ten minutes ahead, written as a string


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"exp": DROP}, id="no-exp"),
        pytest.param({"exp": EXP_AS_STRING}, id="exp-as-string"),
        pytest.param({"sub": DROP}, id="no-sub"),
        pytest.param({"type": "refresh"}, id="refresh-type-as-access"),
        pytest.param({"iss": "someone-else"}, id="wrong-iss"),
        pytest.param({"aud": "another-api"}, id="wrong-aud"),
    ],
)
async def test_claims(api: GraphQLClient, account: Account, changes: dict[str, Any]) -> None:
    if changes.get("exp") is EXP_AS_STRING:  # made now: collection may be long before
        changes = {**changes, "exp": str(int(time.time()) + 600)}
    token = sign(claims_for(account, **changes))
    assert (await refused(api, f"Bearer {token}"))["message"] == "Invalid token"


async def test_sub_of_a_deleted_user(api: GraphQLClient, account: Account, app: FastAPI) -> None:
    token = sign(claims_for(account))
    async with app.state.services.database.write() as session:
        user = await get_user(session, uuid.UUID(account.user_id))
        await session.delete(user)
    await refused(api, f"Bearer {token}")


def _truncated(token: str) -> str:
    return token[: len(token) - 10]


def _two_parts(token: str) -> str:
    return ".".join(token.split(".")[:2])


def _four_parts(token: str) -> str:
    return token + "." + token.split(".")[2]


def _garbage(_token: str) -> str:
    return "%%%not*base64!!!.@@@@.####"


def _huge(token: str) -> str:
    header, payload, signature = token.split(".")
    return f"{header}.{payload}{'A' * 100_000}.{signature}"


def _huge_signed(token: str) -> str:
    claims = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
    return sign({**claims, "padding": "x" * 100_000})


@pytest.mark.parametrize(
    "breaks",
    [_truncated, _two_parts, _four_parts, _garbage, _huge, _huge_signed],
    ids=["truncated", "two-part", "four-part", "garbage", "100kB", "100kB-signed"],
)
async def test_broken_tokens(
    api: GraphQLClient, account: Account, breaks: Callable[[str], str]
) -> None:
    await refused(api, f"Bearer {breaks(account.token)}")


@pytest.mark.parametrize("header", ["Bearer", "Bearer ", "Bearer    "])
async def test_bearer_without_a_token(api: GraphQLClient, account: Account, header: str) -> None:
    await refused(api, header)


@pytest.mark.parametrize("scheme", ["Basic", "Token", "JWT", "Bearer:"])
async def test_a_scheme_other_than_bearer(
    api: GraphQLClient, account: Account, scheme: str
) -> None:
    await refused(api, f"{scheme} {account.token}")


@pytest.mark.parametrize(
    "raw", [b"Bearer \xe9\xe9\xe9", b"Bearer a.b\xff.c", b"Bearer \x00\x01"], ids=repr
)
async def test_non_ascii_bytes_in_the_header(api: GraphQLClient, raw: bytes) -> None:
    response = await api.http.post(
        "/graphql", json={"query": ME}, headers=[(b"Authorization", raw)]
    )
    assert response.status_code == 200
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
