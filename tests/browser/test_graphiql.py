"""GraphiQL and /docs, as served by the app, in headless Chromium with every request
beyond this machine refused: both load from the app alone, under their
Content-Security-Policy, and a newcomer's first session works as the README tells it.

SAVE_SCREENSHOTS=1 (`make screenshots`) also writes the README's screenshot,
docs/graphiql-first-session.png; otherwise screenshots go to test-artifacts/.
"""

import json
import os
from collections.abc import Callable
from pathlib import Path

import httpx
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from graph.ide import AUTHORIZATION_PLACEHOLDER
from tests.browser.conftest import ARTIFACTS_DIR, PROJECT_DIR, Server, only_loopback
from tests.client import SIGN_UP

HEADERS_EDITOR = ".graphiql-editor-tool .graphiql-editor:not(.hidden)"
EMAIL = "you@example.com"  # the address in GraphiQL's default document
PASSWORD = "correct horse battery"
README_SCREENSHOT = PROJECT_DIR / "docs" / "graphiql-first-session.png"


def editor_text(page: Page, selector: str) -> str:
    text: str = page.locator(f"{selector} .CodeMirror").first.evaluate(
        "element => element.CodeMirror.getValue()"
    )
    return text


def response_json(page: Page) -> dict[str, object]:
    parsed: dict[str, object] = json.loads(editor_text(page, ".graphiql-response"))
    return parsed


def run_operation(page: Page, name: str) -> None:
    """The run button of a document with several operations offers each by name."""
    page.locator(".graphiql-execute-button").click()
    page.get_by_role("menuitem", name=name, exact=True).click()


def wait_for_response_with(page: Page, text: str) -> None:
    expect(page.locator(".graphiql-response")).to_contain_text(text, timeout=15_000)


def csp_reports(page: Page) -> list[str]:
    """Chromium reports each Content-Security-Policy refusal on the console."""
    reports: list[str] = []

    def note(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            reports.append(message.text)

    page.on("console", note)
    return reports


def screenshot(page: Page, name: str, readme: Path | None = None) -> None:
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / name))
    if readme is not None and os.environ.get("SAVE_SCREENSHOTS") == "1":
        page.screenshot(path=str(readme))


def test_graphiql_first_session_offline(
    chromium: Browser, start_server: Callable[..., Server]
) -> None:
    server = start_server(ENVIRONMENT="development")
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    outside = only_loopback(page)
    refused_by_csp = csp_reports(page)

    response = page.goto(f"{server.url}/graphql")
    assert response is not None
    assert "default-src 'none'" in response.headers["content-security-policy"]
    expect(page.locator(".graphiql-query-editor .CodeMirror")).to_be_visible(timeout=15_000)

    # It opens on the API's first steps, the Headers pane showing the header to send.
    document = editor_text(page, ".graphiql-query-editor")
    for operation in ("mutation SignUp", "mutation SignIn", "query Events"):
        assert operation in document
    headers = json.loads(editor_text(page, HEADERS_EDITOR))
    assert headers == {"Authorization": AUTHORIZATION_PLACEHOLDER}

    # SignUp as it stands; its accessToken lands in the Headers pane by itself.
    run_operation(page, "SignUp")
    wait_for_response_with(page, "accessToken")
    token = response_json(page)["data"]["signUp"]["accessToken"]  # type: ignore[index]
    expect(page.locator(HEADERS_EDITOR)).to_contain_text(token[-12:])
    assert json.loads(editor_text(page, HEADERS_EDITOR)) == {"Authorization": f"Bearer {token}"}

    run_operation(page, "CreateEvent")
    wait_for_response_with(page, "Team lunch")
    run_operation(page, "Events")
    wait_for_response_with(page, "totalCount")
    events = response_json(page)["data"]["events"]  # type: ignore[index]
    assert events["totalCount"] == 1, events
    assert events["edges"][0]["node"]["creator"] == {"email": EMAIL}, events
    screenshot(page, "graphiql-first-session.png", README_SCREENSHOT)

    assert outside.urls == [], "GraphiQL asked another machine for something"
    assert refused_by_csp == []
    context.close()

    # The real server's log: a request line per request, and no secret in it.
    log = server.log.read_text()
    assert '"operation": "SignUp"' in log and '"outcome": "ok"' in log, log
    for secret in (PASSWORD, token, token.rsplit(".", 1)[-1], "Bearer"):
        assert secret not in log


def test_docs_authorize_then_try_it_out_offline(
    chromium: Browser, start_server: Callable[..., Server]
) -> None:
    server = start_server(ENVIRONMENT="development")
    signed_up = httpx.post(
        f"{server.url}/graphql",
        json={"query": SIGN_UP, "variables": {"email": EMAIL, "password": PASSWORD}},
    )
    assert "errors" not in signed_up.json(), signed_up.text
    context = chromium.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    outside = only_loopback(page)
    refused_by_csp = csp_reports(page)

    response = page.goto(f"{server.url}/docs")
    assert response is not None
    assert "default-src 'none'" in response.headers["content-security-policy"]
    operation = page.locator("#operations-default-handle_http_post_graphql_post")
    expect(operation).to_be_visible(timeout=15_000)

    # Authorize: the OAuth2 password flow at /auth/token.
    page.get_by_role("button", name="Authorize").first.click()
    page.locator("#oauth_username").fill(EMAIL)
    page.locator("#oauth_password").fill(PASSWORD)
    page.locator(".auth-btn-wrapper .authorize").click()
    expect(page.get_by_role("heading", name="Authorized")).to_be_visible(timeout=10_000)
    page.get_by_role("button", name="Close").click()

    # Try it out on POST /graphql with its first example (the events query).
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    body = operation.locator(".live-responses-table .response-col_description pre").first
    expect(body).to_contain_text("totalCount", timeout=10_000)
    assert json.loads(body.inner_text()) == {"data": {"events": {"totalCount": 0, "edges": []}}}
    screenshot(page, "docs-try-it-out.png")

    assert outside.urls == [], "/docs asked another machine for something"
    assert refused_by_csp == []
    context.close()
