"""graph/cors.py: the options, in Starlette's CORSMiddleware, allow exactly the
configured origins and (when asked) the loopback dev servers. The app's own CORS
answers in development and production are in tests/security/test_production.py."""

from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware

from graph.cors import cors_options

FRONTEND = "https://app.example"


def client(*, allow_localhost: bool) -> httpx.AsyncClient:
    options = cors_options([f"{FRONTEND}/"], allow_localhost=allow_localhost)
    app = Starlette(middleware=[Middleware(CORSMiddleware, **options)])
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://api")


@pytest.fixture
async def dev() -> AsyncIterator[httpx.AsyncClient]:
    async with client(allow_localhost=True) as http:
        yield http


async def preflight(http: httpx.AsyncClient, origin: str) -> httpx.Response:
    return await http.options(
        "/graphql",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )


async def test_a_configured_origin_may_send_the_authorization_header(
    dev: httpx.AsyncClient,
) -> None:
    response = await preflight(dev, FRONTEND)  # configured with a trailing slash
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == FRONTEND
    assert "authorization" in response.headers["access-control-allow-headers"].lower()
    assert "access-control-allow-credentials" not in response.headers
    assert response.headers["access-control-max-age"] == "600"


@pytest.mark.parametrize(
    "origin",
    ["http://localhost:5173", "http://127.0.0.1:3000", "https://[::1]", "http://localhost"],
)
async def test_loopback_dev_servers_on_any_port(dev: httpx.AsyncClient, origin: str) -> None:
    assert (await preflight(dev, origin)).status_code == 200


@pytest.mark.parametrize(
    "origin",
    [
        "http://localhost.evil.example",
        "http://localhost:5173.evil.example",
        "http://evil.example/http://localhost",
        "https://app.example.evil.example",
    ],
)
async def test_look_alike_origins_are_refused(dev: httpx.AsyncClient, origin: str) -> None:
    assert (await preflight(dev, origin)).status_code == 400


async def test_without_allow_localhost_loopback_is_just_another_origin() -> None:
    async with client(allow_localhost=False) as http:
        assert (await preflight(http, "http://localhost:5173")).status_code == 400
        assert (await preflight(http, FRONTEND)).status_code == 200
