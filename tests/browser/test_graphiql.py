"""GraphiQL, as served by the app, in headless Chromium: sign in, then `me`."""

import json
from collections.abc import Callable

import httpx
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import ARTIFACTS_DIR, CDN, CdnAssets, Server
from tests.client import SIGN_UP

EMAIL = "graphiql@example.com"
PASSWORD = "correct horse battery"
SIGN_IN = f'mutation {{ signIn(email: "{EMAIL}", password: "{PASSWORD}") {{ accessToken }} }}'


def only_local(page: Page, assets: CdnAssets) -> None:
    """CDN files from the npm packages; any other outside request is refused."""
    page.route(
        "**/*",
        lambda route: (
            route.abort()
            if not route.request.url.startswith(("http://127.0.0.1", "http://localhost", "data:"))
            else route.fallback()
        ),
    )
    page.route(f"{CDN}**", assets.serve)  # routes added last are matched first


def set_editor(page: Page, selector: str, text: str) -> None:
    """Types into a GraphiQL editor as a person pasting would."""
    page.locator(f"{selector} .CodeMirror:visible").first.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(text)


def response_text(page: Page) -> str:
    text: str = page.locator(".graphiql-response .CodeMirror").first.evaluate(
        "element => element.CodeMirror.getValue()"
    )
    return text


def run(page: Page) -> None:
    page.locator(".graphiql-execute-button").click()


def test_graphiql_signs_in_and_shows_me(
    chromium: Browser, cdn_assets: CdnAssets, start_server: Callable[..., Server]
) -> None:
    server = start_server(ENVIRONMENT="development")
    signed_up = httpx.post(
        f"{server.url}/graphql",
        json={"query": SIGN_UP, "variables": {"email": EMAIL, "password": PASSWORD}},
    )
    assert "errors" not in signed_up.json(), signed_up.text

    page = chromium.new_page()
    only_local(page, cdn_assets)
    page.goto(f"{server.url}/graphql")
    expect(page.locator(".graphiql-query-editor .CodeMirror")).to_be_visible(timeout=15_000)

    set_editor(page, ".graphiql-query-editor", SIGN_IN)
    run(page)
    page.wait_for_function(
        "() => document.querySelector('.graphiql-response').innerText.includes('accessToken')"
    )
    token = json.loads(response_text(page))["data"]["signIn"]["accessToken"]

    page.get_by_role("button", name="Headers").click()
    set_editor(page, ".graphiql-editor-tool", json.dumps({"Authorization": f"Bearer {token}"}))
    set_editor(page, ".graphiql-query-editor", "{ me { email } }")
    run(page)
    expect(page.locator(".graphiql-response")).to_contain_text(EMAIL, timeout=10_000)
    assert json.loads(response_text(page)) == {"data": {"me": {"email": EMAIL}}}

    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / "graphiql-me.png"))
    page.close()

    # The real server's log: a request line per request, and no secret in it.
    log = server.log.read_text()
    assert '"operation": null' in log and '"outcome": "ok"' in log, log
    for secret in (PASSWORD, token, token.rsplit(".", 1)[-1], "Bearer"):
        assert secret not in log
