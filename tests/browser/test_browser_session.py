"""Browser sessions in Chromium: a page on an allowed origin signs in with
`session: BROWSER`, cannot read the refresh cookie from JavaScript, refreshes and signs
out without the token; a page on another origin cannot use the cookie."""

import json
import threading
from collections.abc import Callable, Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import PORTS, Server
from tests.client import SIGN_UP
from tests.servers import free_port

PAGE_DIR = Path(__file__).parent
EMAIL = "browser@example.com"
PASSWORD = "correct horse battery"
COOKIE = "__Host-planner-refresh"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass  # the page's URL carries the password


@pytest.fixture
def page_origin() -> Iterator[Callable[[str], str]]:
    """Serves the page from http://<host>:<port> (host 127.0.0.1: the API's site)."""
    servers: list[ThreadingHTTPServer] = []

    def start(host: str) -> str:
        port = free_port(PORTS)
        handler = partial(QuietHandler, directory=str(PAGE_DIR))
        server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://{host}:{port}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def open_page(context: Any, origin: str, server: Server, mode: str) -> tuple[str, Any]:
    page = context.new_page()
    page.route(
        "**/*",
        lambda route: (
            route.fallback()
            if route.request.url.startswith((origin, server.url))
            else route.abort()
        ),
    )
    query = urlencode(
        {"api": f"{server.url}/graphql", "email": EMAIL, "password": PASSWORD, "mode": mode}
    )
    page.goto(f"{origin}/browser_session.html?{query}")
    expect(page.locator("#status")).not_to_have_text("loading", timeout=15_000)
    status = page.locator("#status").inner_text()
    result = page.locator("#result").inner_text()
    return status, json.loads(result) if result else None


def test_a_browser_session_from_an_allowed_origin(
    chromium: Browser, start_server: Callable[..., Server], page_origin: Callable[[str], str]
) -> None:
    origin = page_origin("127.0.0.1")
    server = start_server(ENVIRONMENT="production", CORS_ORIGINS=origin)
    httpx.post(
        f"{server.url}/graphql",
        json={"query": SIGN_UP, "variables": {"email": EMAIL, "password": PASSWORD}},
    ).raise_for_status()
    context = chromium.new_context()
    try:
        status, result = open_page(context, origin, server, "session")
        assert status == "done", status
        assert result == {
            "signInRefreshToken": "",
            "cookieSeenByScript": False,
            "refreshed": True,
            "me": EMAIL,
            "signedOut": True,
            "afterSignOut": "Invalid refresh token",
        }
        # The browser did hold the cookie, as HttpOnly, Secure, SameSite=Strict, and
        # signOut removed it.
        assert [c for c in context.cookies() if c["name"] == COOKIE] == []
    finally:
        context.close()


def test_another_origin_cannot_use_the_cookie(
    chromium: Browser, start_server: Callable[..., Server], page_origin: Callable[[str], str]
) -> None:
    origin = page_origin("127.0.0.1")
    other = page_origin("127.0.0.1")  # same site, another origin, not in CORS_ORIGINS
    server = start_server(ENVIRONMENT="production", CORS_ORIGINS=origin)
    httpx.post(
        f"{server.url}/graphql",
        json={"query": SIGN_UP, "variables": {"email": EMAIL, "password": PASSWORD}},
    ).raise_for_status()
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.goto(f"{origin}/browser_session.html?mode=none")  # any page of that origin
        signed_in = page.evaluate(
            """async ({ api, email, password }) => {
              const response = await fetch(api, {
                method: "POST", credentials: "include",
                headers: { "Content-Type": "application/json" },
                body: JSON.stringify({
                  query: `mutation ($e: String!, $p: String!) {
                    signIn(email: $e, password: $p, session: BROWSER) { refreshToken } }`,
                  variables: { e: email, p: password },
                }),
              });
              return (await response.json()).data.signIn.refreshToken;
            }""",
            {"api": f"{server.url}/graphql", "email": EMAIL, "password": PASSWORD},
        )
        assert signed_in == ""
        [cookie] = [c for c in context.cookies() if c["name"] == COOKIE]
        assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Strict"

        status, _ = open_page(context, other, server, "steal")
        assert status.startswith("failed: TypeError: Failed to fetch"), status
        # The cookie was neither used nor rotated: it is still the one set above.
        [still] = [c for c in context.cookies() if c["name"] == COOKIE]
        assert still["value"] == cookie["value"]
    finally:
        context.close()
