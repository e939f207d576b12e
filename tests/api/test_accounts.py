"""signUp / signIn through the HTTP API."""

import bcrypt
import pytest
from fastapi import FastAPI
from sqlmodel import select

from db.models import User
from tests.client import SIGN_IN, SIGN_UP, GraphQLClient, code_of, error_of


async def stored_user(app: FastAPI, email: str) -> User:
    async with app.state.services.database.read() as session:
        result = await session.execute(select(User).where(User.email == email))
        user: User = result.scalar_one()
        return user


async def test_sign_up_returns_a_bearer_token_and_the_user(api: GraphQLClient) -> None:
    body = await api.post(SIGN_UP, {"email": "ada@example.com", "password": "correct horse"})
    payload = body["data"]["signUp"]
    assert payload["tokenType"] == "bearer"
    assert payload["expiresIn"] == 30 * 60
    assert payload["accessToken"].count(".") == 2
    assert payload["user"]["email"] == "ada@example.com"
    assert payload["user"]["createdAt"].endswith("+00:00")
    me = await api.post("{ me { id email } }", token=payload["accessToken"])
    assert me["data"]["me"] == {"id": payload["user"]["id"], "email": "ada@example.com"}


async def test_email_is_stored_trimmed_and_lower_cased(api: GraphQLClient, app) -> None:
    await api.sign_up(email="  Ada.Lovelace@Example.COM ")
    user = await stored_user(app, "ada.lovelace@example.com")
    assert user.email == "ada.lovelace@example.com"
    body = await api.post(
        SIGN_IN, {"email": "ADA.lovelace@example.com", "password": "correct horse"}
    )
    assert body["data"]["signIn"]["user"]["email"] == "ada.lovelace@example.com"


async def test_stored_password_is_a_bcrypt_hash_not_the_password(api: GraphQLClient, app) -> None:
    await api.sign_up(email="ada@example.com", password="correct horse")
    user = await stored_user(app, "ada@example.com")
    assert "correct horse" not in user.password_hash
    # passlib's bcrypt_sha256: bcrypt ($2b$) over a SHA-256 pre-hash.
    assert user.password_hash.startswith("$bcrypt-sha256$v=2,t=2b,")


async def test_email_taken_is_a_conflict_whatever_the_case(api: GraphQLClient) -> None:
    await api.sign_up(email="ada@example.com")
    body = await api.post(SIGN_UP, {"email": "ADA@Example.com", "password": "another one"})
    assert code_of(body) == "CONFLICT"
    assert body["data"] is None


@pytest.mark.parametrize(
    ("email", "password", "field"),
    [
        ("not-an-email", "correct horse", "email"),
        ("a@b", "correct horse", "email"),
        ("", "correct horse", "email"),
        ("ada@example.com", "short12", "password"),
        ("ada@example.com", "x" * 257, "password"),
    ],
)
async def test_bad_sign_up_input_names_the_field(
    api: GraphQLClient, email: str, password: str, field: str
) -> None:
    body = await api.post(SIGN_UP, {"email": email, "password": password})
    error = error_of(body)
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}


async def test_password_limits_are_inclusive(api: GraphQLClient) -> None:
    await api.sign_up(email="min@example.com", password="x" * 8)
    await api.sign_up(email="max@example.com", password="y" * 256)


async def test_sign_in_with_the_right_password(api: GraphQLClient) -> None:
    account = await api.sign_up(email="ada@example.com", password="correct horse")
    body = await api.post(SIGN_IN, {"email": "ada@example.com", "password": "correct horse"})
    payload = body["data"]["signIn"]
    assert payload["user"]["id"] == account.user_id
    assert payload["tokenType"] == "bearer"
    me = await api.post("{ me { email } }", token=payload["accessToken"])
    assert me["data"]["me"]["email"] == "ada@example.com"


async def test_wrong_password_and_unknown_email_look_the_same(api: GraphQLClient) -> None:
    await api.sign_up(email="ada@example.com", password="correct horse")
    wrong = await api.post(SIGN_IN, {"email": "ada@example.com", "password": "wrong horse"})
    unknown = await api.post(SIGN_IN, {"email": "bob@example.com", "password": "correct horse"})
    for body in (wrong, unknown):
        error = error_of(body)
        assert error["message"] == "Incorrect email or password"
        assert error["extensions"] == {"code": "UNAUTHENTICATED"}
        assert body["data"] is None


async def test_long_passwords_are_compared_in_full(api: GraphQLClient) -> None:
    # Both share their first 100 bytes, well past bcrypt's 72-byte limit.
    password = "p" * 100 + "-one"
    await api.sign_up(email="ada@example.com", password=password)
    other = "p" * 100 + "-two"
    body = await api.post(SIGN_IN, {"email": "ada@example.com", "password": other})
    assert error_of(body)["message"] == "Incorrect email or password"
    body = await api.post(SIGN_IN, {"email": "ada@example.com", "password": password})
    assert body["data"]["signIn"]["user"]["email"] == "ada@example.com"


async def test_multibyte_passwords_past_72_bytes_are_compared_in_full(api: GraphQLClient) -> None:
    password = "é" * 40 + "a"  # 81 bytes in UTF-8
    await api.sign_up(email="ada@example.com", password=password)
    body = await api.post(SIGN_IN, {"email": "ada@example.com", "password": "é" * 40 + "b"})
    assert code_of(body) == "UNAUTHENTICATED"


async def test_plain_bcrypt_hashes_still_verify_and_are_upgraded(api: GraphQLClient, app) -> None:
    legacy = bcrypt.hashpw(b"correct horse", bcrypt.gensalt(rounds=4)).decode()
    async with app.state.services.database.write() as session:
        session.add(User(email="old@example.com", password_hash=legacy, display_name="Old"))
    body = await api.post(SIGN_IN, {"email": "old@example.com", "password": "correct horse"})
    assert body["data"]["signIn"]["user"]["email"] == "old@example.com"
    upgraded = (await stored_user(app, "old@example.com")).password_hash
    assert upgraded.startswith("$bcrypt-sha256$")
    body = await api.post(SIGN_IN, {"email": "old@example.com", "password": "correct horse"})
    assert "errors" not in body
    body = await api.post(SIGN_IN, {"email": "old@example.com", "password": "wrong horse"})
    assert code_of(body) == "UNAUTHENTICATED"
