"""Browser sessions: the refresh token in an HttpOnly cookie, honoured only on POST
application/json requests from the API's own origin or one of CORS_ORIGINS."""

from http.cookies import SimpleCookie
from typing import Any

import httpx
import pytest

from app.settings import Settings
from tests.client import code_of, error_of, serving
from tests.settings import make_settings

OWN = "http://testserver"
FRONTEND = "https://app.example"
COOKIE = "__Host-planner-refresh"
PASSWORD = "correct horse"

SIGN_UP = """
mutation($email: String!, $password: String!, $session: SessionKind) {
  signUp(email: $email, password: $password, session: $session) { accessToken refreshToken }
}"""
SIGN_IN = """
mutation($email: String!, $password: String!, $session: SessionKind) {
  signIn(email: $email, password: $password, session: $session) { accessToken refreshToken }
}"""
REFRESH = "mutation { refreshToken { accessToken refreshToken } }"
SIGN_OUT = "mutation { signOut }"
EVERYWHERE = "mutation { signOutEverywhere }"


@pytest.fixture
def settings(database_url: str) -> Settings:
    return make_settings(database_url, cors_origins=FRONTEND)


async def post(
    http: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    origin: str | None = OWN,
    cookie: str | None = None,
    token: str | None = None,
) -> httpx.Response:
    headers = {}
    if origin is not None:
        headers["Origin"] = origin
    if cookie is not None:  # by hand: httpx keeps Secure cookies off plain http
        headers["Cookie"] = f"{COOKIE}={cookie}"
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return await http.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
    )


def set_cookie(response: httpx.Response) -> SimpleCookie:
    jar: SimpleCookie = SimpleCookie()
    for header in response.headers.get_list("set-cookie"):
        jar.load(header)
    return jar


async def browser_sign_in(http: httpx.AsyncClient, origin: str = OWN) -> tuple[str, str]:
    """(access token, refresh cookie) of a new account signed in as a browser."""
    await post(http, SIGN_UP, {"email": "ada@example.com", "password": PASSWORD})
    response = await post(
        http,
        SIGN_IN,
        {"email": "ada@example.com", "password": PASSWORD, "session": "BROWSER"},
        origin=origin,
    )
    payload = response.json()["data"]["signIn"]
    return payload["accessToken"], set_cookie(response)[COOKIE].value


async def test_sign_in_sets_a_host_only_http_only_strict_cookie(http: httpx.AsyncClient):
    await post(http, SIGN_UP, {"email": "ada@example.com", "password": PASSWORD})
    response = await post(
        http, SIGN_IN, {"email": "ada@example.com", "password": PASSWORD, "session": "BROWSER"}
    )
    payload = response.json()["data"]["signIn"]
    assert payload["refreshToken"] == ""
    morsel = set_cookie(response)[COOKIE]
    assert len(morsel.value) >= 43
    assert morsel["httponly"] and morsel["secure"]
    assert morsel["samesite"].lower() == "strict"
    assert morsel["path"] == "/" and not morsel["domain"]
    assert int(morsel["max-age"]) == 14 * 24 * 3600


async def test_sign_up_as_a_browser(http: httpx.AsyncClient):
    response = await post(
        http, SIGN_UP, {"email": "ada@example.com", "password": PASSWORD, "session": "BROWSER"}
    )
    assert response.json()["data"]["signUp"]["refreshToken"] == ""
    assert COOKIE in set_cookie(response)


async def test_the_default_session_keeps_the_token_in_the_payload(http: httpx.AsyncClient):
    response = await post(http, SIGN_UP, {"email": "ada@example.com", "password": PASSWORD})
    assert response.json()["data"]["signUp"]["refreshToken"] != ""
    assert "set-cookie" not in response.headers


async def test_refresh_with_the_cookie_rotates_it(http: httpx.AsyncClient):
    _, cookie = await browser_sign_in(http)
    response = await post(http, REFRESH, cookie=cookie)
    payload = response.json()["data"]["refreshToken"]
    assert payload["refreshToken"] == "" and payload["accessToken"]
    rotated = set_cookie(response)[COOKIE].value
    assert rotated != cookie
    assert "errors" not in (await post(http, REFRESH, cookie=rotated)).json()


async def test_a_reused_cookie_revokes_the_session(http: httpx.AsyncClient):
    _, cookie = await browser_sign_in(http)
    rotated = set_cookie(await post(http, REFRESH, cookie=cookie))[COOKIE].value
    reused = await post(http, REFRESH, cookie=cookie)
    assert error_of(reused.json())["message"] == "Refresh token reused"
    assert set_cookie(reused)[COOKIE]["max-age"] == "0"  # cleared
    assert code_of((await post(http, REFRESH, cookie=rotated)).json()) == "UNAUTHENTICATED"


@pytest.mark.parametrize(
    "origin", [None, "https://evil.example", "http://testserver.evil.example", "null"]
)
async def test_the_cookie_is_ignored_without_an_allowed_origin(http: httpx.AsyncClient, origin):
    _, cookie = await browser_sign_in(http)
    response = await post(http, REFRESH, cookie=cookie, origin=origin)
    assert error_of(response.json())["message"] == "Invalid refresh token"
    assert "set-cookie" not in response.headers
    # The cookie still works where it is allowed: it was not consumed.
    assert "errors" not in (await post(http, REFRESH, cookie=cookie)).json()


async def test_the_cookie_is_ignored_on_get(http: httpx.AsyncClient):
    _, cookie = await browser_sign_in(http)
    response = await http.get(
        "/graphql",
        params={"query": REFRESH},
        headers={"Origin": OWN, "Cookie": f"{COOKIE}={cookie}"},
    )
    assert response.status_code == 405
    assert "errors" not in (await post(http, REFRESH, cookie=cookie)).json()


async def test_a_cors_origin_may_use_the_cookie(http: httpx.AsyncClient):
    _, cookie = await browser_sign_in(http, origin=FRONTEND)
    response = await post(http, REFRESH, cookie=cookie, origin=FRONTEND)
    assert "errors" not in response.json()
    assert response.headers["access-control-allow-credentials"] == "true"
    assert response.headers["access-control-allow-origin"] == FRONTEND


async def test_credentials_only_for_cors_origins(http: httpx.AsyncClient):
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }
    allowed = await http.options("/graphql", headers={"Origin": FRONTEND, **preflight})
    assert allowed.headers["access-control-allow-credentials"] == "true"
    # A loopback origin: let in by CORS outside production, never with credentials.
    local = await http.options("/graphql", headers={"Origin": "http://localhost:5173", **preflight})
    assert local.headers["access-control-allow-origin"] == "http://localhost:5173"
    assert "access-control-allow-credentials" not in local.headers


async def test_browser_session_needs_an_allowed_origin(http: httpx.AsyncClient):
    await post(http, SIGN_UP, {"email": "ada@example.com", "password": PASSWORD})
    response = await post(
        http,
        SIGN_IN,
        {"email": "ada@example.com", "password": PASSWORD, "session": "BROWSER"},
        origin="https://evil.example",
    )
    error = error_of(response.json())
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "session"}
    assert "set-cookie" not in response.headers


async def test_sign_out_with_the_cookie_ends_the_session_and_clears_it(http: httpx.AsyncClient):
    _, cookie = await browser_sign_in(http)
    response = await post(http, SIGN_OUT, cookie=cookie)
    assert response.json() == {"data": {"signOut": True}}
    assert set_cookie(response)[COOKIE]["max-age"] == "0"
    assert code_of((await post(http, REFRESH, cookie=cookie)).json()) == "UNAUTHENTICATED"


async def test_sign_out_everywhere_clears_the_cookie(http: httpx.AsyncClient):
    access, cookie = await browser_sign_in(http)
    response = await post(http, EVERYWHERE, cookie=cookie, token=access)
    assert response.json() == {"data": {"signOutEverywhere": True}}
    assert set_cookie(response)[COOKIE]["max-age"] == "0"
    assert code_of((await post(http, REFRESH, cookie=cookie)).json()) == "UNAUTHENTICATED"


async def test_refresh_without_argument_or_cookie(http: httpx.AsyncClient):
    response = await post(http, REFRESH)
    assert error_of(response.json())["extensions"]["code"] == "UNAUTHENTICATED"


async def test_the_argument_still_works_as_before(http: httpx.AsyncClient):
    body = (await post(http, SIGN_UP, {"email": "ada@example.com", "password": PASSWORD})).json()
    token = body["data"]["signUp"]["refreshToken"]
    response = await post(
        http,
        "mutation($t: String!) { refreshToken(refreshToken: $t) { refreshToken } }",
        {"t": token},
        origin=None,
    )
    assert response.json()["data"]["refreshToken"]["refreshToken"] not in ("", token)


async def test_production_keeps_loopback_origins_out(database_url: str):
    settings = make_settings(
        database_url,
        environment="production",
        secret_key="a-key-made-up-for-this-test-only-0123456789abcdef",
        mail_enabled=False,
        cors_origins=FRONTEND,
    )
    async with serving(settings) as http:
        _, cookie = await browser_sign_in(http)
        response = await post(http, REFRESH, cookie=cookie, origin="http://localhost:5173")
        assert code_of(response.json()) == "UNAUTHENTICATED"
