"""GraphiQL (GET /graphql), /docs and the files they load, over HTTP: every file from
the app itself, under a Content-Security-Policy that allows only its origin."""

import base64
import hashlib
import json
import re
from typing import Any

import httpx
from fastapi import FastAPI

from graph.ide import AUTHORIZATION_PLACEHOLDER, FIRST_STEPS

HTML = {"accept": "text/html"}
# src="..." and href="..." in a page.
_LINKS = re.compile(r"""\b(?:src|href)=["']([^"']+)["']""")


def directives(response: httpx.Response) -> dict[str, list[str]]:
    policy = response.headers["content-security-policy"]
    parts = (part.split() for part in policy.split(";") if part.strip())
    return {name: sources for name, *sources in parts}


def assert_own_origin_only(response: httpx.Response) -> None:
    policy = directives(response)
    assert policy["default-src"] == ["'none'"]
    for name in ("script-src", "style-src", "connect-src", "font-src", "img-src"):
        others = [s for s in policy[name] if s != "'self'" and not s.startswith("'sha256-")]
        assert others in ([], ["data:"]), (name, policy[name])
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    assert "'unsafe-eval'" not in response.headers["content-security-policy"]
    links = _LINKS.findall(response.text)
    assert links, response.text
    assert all(link.startswith("/static/") for link in links), links


async def test_graphiql_loads_only_the_apps_files(http: httpx.AsyncClient) -> None:
    page = await http.get("/graphql", headers=HTML)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert_own_origin_only(page)
    assert "unpkg.com" not in page.text and "<script>" not in page.text
    for link in _LINKS.findall(page.text):
        served = await http.get(link)
        assert served.status_code == 200, link
        assert len(served.content) > 100, link


async def test_graphiql_opens_on_the_first_steps(http: httpx.AsyncClient) -> None:
    page = await http.get("/graphql", headers=HTML)
    block = re.search(
        r'<script type="application/json" id="planner-graphiql-defaults">(.*?)</script>',
        page.text,
        re.DOTALL,
    )
    assert block is not None, page.text
    defaults = json.loads(block.group(1))
    assert defaults["query"] == FIRST_STEPS
    assert json.loads(defaults["headers"]) == {"Authorization": AUTHORIZATION_PLACEHOLDER}


async def run_step(http: httpx.AsyncClient, name: str, token: str = "") -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = {"query": FIRST_STEPS, "operationName": name}
    response = await http.post("/graphql", json=body, headers=headers)
    result: dict[str, Any] = response.json()
    assert "errors" not in result, result
    data: dict[str, Any] = result["data"]
    return data


async def test_the_first_steps_run_as_written(http: httpx.AsyncClient) -> None:
    """Each operation of GraphiQL's default document, in the order it tells."""
    token = (await run_step(http, "SignUp"))["signUp"]["accessToken"]
    assert (await run_step(http, "SignIn"))["signIn"]["accessToken"]
    created = await run_step(http, "CreateEvent", token)
    assert created["createEvent"]["title"] == "Team lunch"
    events = (await run_step(http, "Events", token))["events"]
    assert events["totalCount"] == 1
    assert events["edges"][0]["node"]["creator"]["email"] == "you@example.com"


async def test_docs_is_swagger_ui_from_the_app(http: httpx.AsyncClient) -> None:
    page = await http.get("/docs")
    assert page.status_code == 200
    assert_own_origin_only(page)
    assert "cdn.jsdelivr.net" not in page.text and "fastapi.tiangolo.com" not in page.text
    # Its one inline script runs because the policy names its hash, and nothing else.
    inline = re.findall(r"<script>(.*?)</script>", page.text, re.DOTALL)
    assert len(inline) == 1
    digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
    assert directives(page)["script-src"] == ["'self'", f"'sha256-{digest}'"]
    for link in _LINKS.findall(page.text):
        assert (await http.get(link)).status_code == 200, link


async def test_redoc_is_off(http: httpx.AsyncClient) -> None:
    assert (await http.get("/redoc")).status_code == 404


async def test_static_files_stay_inside_static(http: httpx.AsyncClient) -> None:
    for path in ("/static/../main.py", "/static/%2e%2e/main.py", "/static/vendor/../../.env"):
        assert (await http.get(path)).status_code == 404, path


async def test_pages_follow_the_root_path(app: FastAPI) -> None:
    """Behind a proxy that strips a prefix, the pages link below it."""
    root_path = "/planner"
    transport = httpx.ASGITransport(app=app, root_path=root_path)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        graphiql = await client.get(f"{root_path}/graphql", headers=HTML)
        docs = await client.get(f"{root_path}/docs")
    for page in (graphiql, docs):
        links = _LINKS.findall(page.text)
        assert links and all(link.startswith(f"{root_path}/static/") for link in links), links
    assert f"url: '{root_path}/openapi.json'" in docs.text
