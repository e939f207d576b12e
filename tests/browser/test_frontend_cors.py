"""A frontend on another origin (localhost, another port) signs in and lists events
with fetch and the Bearer header: CORS lets the configured origin in, no other."""

import threading
from collections.abc import Callable, Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import ARTIFACTS_DIR, Server
from tests.client import CREATE_EVENT, SIGN_UP
from tests.servers import free_port

PAGE_DIR = Path(__file__).parent
EMAIL = "frontend@example.com"
PASSWORD = "correct horse battery"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass  # the page's URL carries the password; keep it out of the test output


@pytest.fixture
def page_server() -> Iterator[Callable[[], str]]:
    """Serves frontend.html from http://localhost:<port>, a different origin."""
    servers: list[ThreadingHTTPServer] = []

    def start() -> str:
        port = free_port()
        handler = partial(QuietHandler, directory=str(PAGE_DIR))
        server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://localhost:{port}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def seed(server: Server) -> None:
    signed_up = httpx.post(
        f"{server.url}/graphql",
        json={"query": SIGN_UP, "variables": {"email": EMAIL, "password": PASSWORD}},
    ).json()
    token = signed_up["data"]["signUp"]["accessToken"]
    for title in ("Launch party", "Team lunch"):
        created = httpx.post(
            f"{server.url}/graphql",
            json={"query": CREATE_EVENT, "variables": {"input": {"title": title}}},
            headers={"Authorization": f"Bearer {token}"},
        ).json()
        assert "errors" not in created, created


def open_frontend(chromium: Browser, origin: str, server: Server) -> tuple[object, str]:
    page = chromium.new_page()
    # Only the two local servers: nothing leaves the machine.
    page.route(
        "**/*",
        lambda route: (
            route.fallback()
            if route.request.url.startswith((origin, server.url))
            else route.abort()
        ),
    )
    query = urlencode({"api": f"{server.url}/graphql", "email": EMAIL, "password": PASSWORD})
    page.goto(f"{origin}/frontend.html?{query}")
    expect(page.locator("#status")).not_to_have_text("loading", timeout=15_000)
    return page, page.locator("#status").inner_text()


def test_allowed_origin_signs_in_and_lists_events(
    chromium: Browser,
    start_server: Callable[..., Server],
    page_server: Callable[[], str],
) -> None:
    origin = page_server()
    other_origin = page_server()
    server = start_server(ENVIRONMENT="production", CORS_ORIGINS=origin)
    seed(server)

    page, status = open_frontend(chromium, origin, server)
    assert status == "done"
    titles = page.locator("#events li").all_inner_texts()  # type: ignore[attr-defined]
    assert titles == ["Team lunch", "Launch party"]
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / "frontend-cors.png"))  # type: ignore[attr-defined]

    # The same page from an origin not in CORS_ORIGINS: the browser blocks it.
    _, status = open_frontend(chromium, other_origin, server)
    assert status.startswith("failed: TypeError: Failed to fetch"), status
