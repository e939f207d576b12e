"""A small GraphQL client for tests: what a frontend's client does, over HTTP."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx

SIGN_UP = """
mutation SignUp($email: String!, $password: String!) {
  signUp(email: $email, password: $password) {
    accessToken tokenType expiresIn user { id email createdAt }
  }
}"""

SIGN_IN = """
mutation SignIn($email: String!, $password: String!) {
  signIn(email: $email, password: $password) {
    accessToken tokenType expiresIn user { id email createdAt }
  }
}"""

CREATE_EVENT = """
mutation Create($input: CreateEventInput!) {
  createEvent(input: $input) {
    id title description image tags location startsAt createdAt updatedAt
    creator { id email }
  }
}"""


@dataclass
class Account:
    email: str
    password: str
    token: str
    user_id: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


class GraphQLClient:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http
        self._count = 0

    async def post(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        all_headers = dict(headers or {})
        if token is not None:
            all_headers["Authorization"] = f"Bearer {token}"
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=all_headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def sign_up(self, email: str | None = None, password: str = "correct horse") -> Account:
        self._count += 1
        email = email or f"user{self._count}@example.com"
        body = await self.post(SIGN_UP, {"email": email, "password": password})
        assert "errors" not in body, body
        payload = body["data"]["signUp"]
        return Account(email, password, payload["accessToken"], payload["user"]["id"])

    async def create_event(self, account: Account, **fields: Any) -> dict[str, Any]:
        body = await self.post(
            CREATE_EVENT, {"input": {"title": "An event", **fields}}, token=account.token
        )
        assert "errors" not in body, body
        event: dict[str, Any] = body["data"]["createEvent"]
        return event


def error_of(body: dict[str, Any]) -> dict[str, Any]:
    """The single error of a response (and that there is exactly one)."""
    errors = body.get("errors") or []
    assert len(errors) == 1, body
    error: dict[str, Any] = errors[0]
    return error


def code_of(body: dict[str, Any]) -> str:
    return str(error_of(body)["extensions"]["code"])


@asynccontextmanager
async def client_of(application: Any) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client for `application` (a FastAPI app), running its lifespan."""
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client


@asynccontextmanager
async def serving(settings: Any) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client for a fresh app built with `settings`, running its lifespan."""
    from main import create_app  # not at import time: conftest imports this module

    async with client_of(create_app(settings)) as client:
        yield client
