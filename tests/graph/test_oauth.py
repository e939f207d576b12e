"""POST /auth/token: the OAuth2 password and refresh_token grants (RFC 6749)."""

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from app.settings import Settings
from db.types import utc_now
from main import create_app
from tests.lifecycle.conftest import Clock
from tests.lifecycle.session_client import SessionClient, failure

NO_STORE = {"cache-control": "no-store", "pragma": "no-cache"}


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    """The real app on a clock that stands still, so a throttled client's wait is exact."""
    application = create_app(settings, clock=Clock(utc_now()))
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
def session_api(http: httpx.AsyncClient) -> SessionClient:
    return SessionClient(http)


async def token(http: httpx.AsyncClient, **form: str) -> httpx.Response:
    return await http.post("/auth/token", data=form)


def assert_error(response: httpx.Response, error: str, status: int = 400) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["error"] == error
    assert set(body) == {"error", "error_description"}
    assert response.headers["content-type"] == "application/json"
    for name, value in NO_STORE.items():
        assert response.headers[name] == value
    return body


async def test_password_grant(http: httpx.AsyncClient, session_api: SessionClient):
    me = await session_api.sign_up()
    response = await token(http, grant_type="password", username=me.email, password=me.password)
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) >= {"access_token", "token_type", "expires_in", "refresh_token"}
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 1800
    for name, value in NO_STORE.items():
        assert response.headers[name] == value
    assert (await session_api.me(body["access_token"]))["data"]["me"]["id"] == me.user_id
    # The refresh token is the same kind the mutations use.
    assert "errors" not in await session_api.refresh(body["refresh_token"])


async def test_refresh_token_grant_rotates_like_the_mutation(
    http: httpx.AsyncClient, session_api: SessionClient
):
    me = await session_api.sign_up()
    response = await token(http, grant_type="refresh_token", refresh_token=me.refresh)
    assert response.status_code == 200, response.text
    rotated = response.json()["refresh_token"]
    assert rotated != me.refresh

    reused = assert_error(
        await token(http, grant_type="refresh_token", refresh_token=me.refresh), "invalid_grant"
    )
    assert reused["error_description"] == "Refresh token reused"
    assert failure(await session_api.refresh(rotated)) == (
        "UNAUTHENTICATED",
        "Invalid refresh token",
    )
    assert_error(
        await token(http, grant_type="refresh_token", refresh_token="garbage"), "invalid_grant"
    )


async def test_wrong_credentials(http: httpx.AsyncClient, session_api: SessionClient):
    me = await session_api.sign_up()
    body = assert_error(
        await token(http, grant_type="password", username=me.email, password="wrong one"),
        "invalid_grant",
    )
    assert body["error_description"] == "Incorrect email or password"


async def test_malformed_requests(http: httpx.AsyncClient):
    assert_error(await token(http, username="a@example.com", password="x"), "invalid_request")
    assert_error(await token(http, grant_type="password", password="x"), "invalid_request")
    assert_error(await token(http, grant_type="refresh_token"), "invalid_request")
    assert_error(await token(http, grant_type="client_credentials"), "unsupported_grant_type")
    # A JSON body is not a form body.
    response = await http.post("/auth/token", json={"grant_type": "password"})
    assert_error(response, "invalid_request")


async def test_throttled_password_grant(http: httpx.AsyncClient, session_api: SessionClient):
    me = await session_api.sign_up()
    for _ in range(5):
        await token(http, grant_type="password", username=me.email, password="wrong one")
    response = await token(http, grant_type="password", username=me.email, password=me.password)
    assert_error(response, "slow_down", status=429)
    assert response.headers["retry-after"] == "900"
    # The GraphQL mutation shares the same count.
    body = await session_api.sign_in(me.email, me.password)
    assert failure(body)[0] == "TOO_MANY_REQUESTS"


async def test_the_openapi_page_can_authorize_with_it(http: httpx.AsyncClient):
    schema = (await http.get("/openapi.json")).json()
    schemes = schema["components"]["securitySchemes"]
    [flow] = [s["flows"]["password"] for s in schemes.values() if s["type"] == "oauth2"]
    assert flow["tokenUrl"] == "/auth/token"
    form = schema["paths"]["/auth/token"]["post"]["requestBody"]["content"]
    assert "application/x-www-form-urlencoded" in form
    assert (await http.get("/docs")).status_code == 200
