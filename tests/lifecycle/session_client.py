"""GraphQL documents and a small client for the token lifecycle tests."""

from dataclasses import dataclass
from typing import Any

import httpx

from tests.client import GraphQLClient

PAYLOAD = "accessToken tokenType expiresIn refreshToken refreshExpiresIn user { id email }"

SIGN_UP = f"""
mutation ($email: String!, $password: String!) {{
  signUp(email: $email, password: $password) {{ {PAYLOAD} }}
}}"""

SIGN_IN = f"""
mutation ($email: String!, $password: String!) {{
  signIn(email: $email, password: $password) {{ {PAYLOAD} }}
}}"""

REFRESH = f"""
mutation ($token: String!) {{ refreshToken(refreshToken: $token) {{ {PAYLOAD} }} }}"""

SIGN_OUT = "mutation ($token: String!) { signOut(refreshToken: $token) }"

SIGN_OUT_EVERYWHERE = "mutation { signOutEverywhere }"

CHANGE_PASSWORD = f"""
mutation ($current: String!, $new: String!) {{
  changePassword(currentPassword: $current, newPassword: $new) {{ {PAYLOAD} }}
}}"""

DELETE_ACCOUNT = "mutation ($password: String!) { deleteAccount(password: $password) }"

ME = "query { me { id email } }"

PASSWORD = "correct horse battery"


@dataclass
class Session:
    email: str
    password: str
    access: str
    refresh: str
    user_id: str


def session_of(email: str, password: str, payload: dict[str, Any]) -> Session:
    return Session(
        email=email,
        password=password,
        access=payload["accessToken"],
        refresh=payload["refreshToken"],
        user_id=payload["user"]["id"],
    )


class SessionClient:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http
        self.post = GraphQLClient(http).post
        self._count = 0

    async def sign_up(self, email: str | None = None, password: str = PASSWORD) -> Session:
        self._count += 1
        email = email or f"person{self._count}@example.com"
        body = await self.post(SIGN_UP, {"email": email, "password": password})
        assert "errors" not in body, body
        return session_of(email, password, body["data"]["signUp"])

    async def sign_in(
        self, email: str, password: str, headers: dict[str, str] | None = None
    ) -> dict[str, Any]:
        return await self.post(SIGN_IN, {"email": email, "password": password}, headers=headers)

    async def refresh(self, token: str) -> dict[str, Any]:
        return await self.post(REFRESH, {"token": token})

    async def me(self, access: str) -> dict[str, Any]:
        return await self.post(ME, token=access)


def error_of(body: dict[str, Any]) -> dict[str, Any]:
    errors = body.get("errors") or []
    assert len(errors) == 1, body
    error: dict[str, Any] = errors[0]
    return error


def failure(body: dict[str, Any]) -> tuple[str, str]:
    """(extensions.code, message) of the response's single error."""
    error = error_of(body)
    return error["extensions"]["code"], error["message"]
