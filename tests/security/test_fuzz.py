"""Generated GraphQL operations against the real app, signed in: whatever a client
sends, valid or not, the answer is never a 5xx and never INTERNAL_SERVER_ERROR."""

import asyncio
from collections.abc import Iterator
from contextlib import AsyncExitStack
from datetime import UTC
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, from_schema, nodes

from app.settings import Settings
from main import create_app
from schema import schema
from tests import databases
from tests.client import SIGN_UP
from tests.settings import make_settings

SDL = schema.as_str()
# DateTime is a custom scalar: give it real timestamps (and, in negative mode, the
# generator adds values of the wrong type on its own).
SCALARS = {
    "DateTime": st.datetimes(timezones=st.just(UTC)).map(
        lambda moment: nodes.String(moment.isoformat())
    )
}
FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,  # the same examples on every run: a failure is reproducible
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


class InProcessClient:
    """The real app over httpx's ASGI transport, driven from synchronous code (a
    Hypothesis test body) through an event loop of its own."""

    def __init__(self, app_settings: Settings) -> None:
        self.runner = asyncio.Runner()
        self.stack = AsyncExitStack()
        app = create_app(app_settings)
        self.http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, raise_app_exceptions=False),
            base_url="http://testserver",
        )
        self.runner.run(self.stack.enter_async_context(app.router.lifespan_context(app)))
        self.runner.run(self.stack.enter_async_context(self.http))

    def post(self, body: dict[str, Any], token: str | None = None) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.runner.run(self.http.post("/graphql", json=body, headers=headers))

    def close(self) -> None:
        self.runner.run(self.stack.aclose())
        self.runner.close()


@pytest.fixture(scope="module")
def signed_in(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[InProcessClient, str]]:
    path: Path = tmp_path_factory.mktemp("fuzz") / "planner.db"
    databases.migrate(databases.sqlite_url(path))
    client = InProcessClient(make_settings(f"sqlite:///{path}"))
    try:
        variables = {"email": "fuzz@example.com", "password": "correct horse"}
        body = client.post({"query": SIGN_UP, "variables": variables}).json()
        token = body["data"]["signUp"]["accessToken"]
        # Something to find, update and delete.
        create = 'mutation { createEvent(input: {title: "Fuzz", tags: ["a"]}) { id } }'
        assert "errors" not in client.post({"query": create}, token).json()
        yield client, token
    finally:
        client.close()


def check(client: InProcessClient, token: str, query: str) -> None:
    response = client.post({"query": query}, token)
    assert response.status_code < 500, (query, response.text)
    if response.status_code != 200:  # e.g. 413 for a huge document: still not a 5xx
        return
    body: dict[str, Any] = response.json()
    for error in body.get("errors") or []:
        assert "code" in error.get("extensions", {}), (query, error)
        assert error["extensions"]["code"] != "INTERNAL_SERVER_ERROR", (query, error)


@pytest.mark.parametrize("mode", [Mode.POSITIVE, Mode.NEGATIVE], ids=["positive", "negative"])
def test_generated_queries(signed_in: tuple[InProcessClient, str], mode: Mode) -> None:
    client, token = signed_in

    @FUZZ
    @given(query=from_schema(SDL, custom_scalars=SCALARS, mode=mode))
    def run(query: str) -> None:
        check(client, token, query)

    run()


@pytest.mark.parametrize("mode", [Mode.POSITIVE, Mode.NEGATIVE], ids=["positive", "negative"])
def test_generated_mutations(signed_in: tuple[InProcessClient, str], mode: Mode) -> None:
    client, token = signed_in
    fields = ["createEvent", "updateEvent", "deleteEvent", "signIn", "signUp"]

    @FUZZ
    @given(query=from_schema(SDL, fields=fields, custom_scalars=SCALARS, mode=mode))
    def run(query: str) -> None:
        check(client, token, query)

    run()
