"""Generated GraphQL operations against the real app, signed in: whatever a client
sends, valid or not, the answer is never a 5xx and never INTERNAL_SERVER_ERROR."""

from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, from_schema, nodes

from main import Settings, create_app
from schema import schema
from tests.client import SIGN_UP
from tests.conftest import TEST_SECRET

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


@pytest.fixture(scope="module")
def signed_in(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, str]]:
    path: Path = tmp_path_factory.mktemp("fuzz") / "planner.db"
    app_settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        environment="test",
        database_url=f"sqlite:///{path}",
        secret_key=TEST_SECRET,
        bcrypt_rounds=4,
    )
    with TestClient(create_app(app_settings), raise_server_exceptions=False) as client:
        variables = {"email": "fuzz@example.com", "password": "correct horse"}
        body = client.post("/graphql", json={"query": SIGN_UP, "variables": variables}).json()
        token = body["data"]["signUp"]["accessToken"]
        # Something to find, update and delete.
        client.post(
            "/graphql",
            json={"query": 'mutation { createEvent(input: {title: "Fuzz", tags: ["a"]}) { id } }'},
            headers={"Authorization": f"Bearer {token}"},
        )
        yield client, token


def check(client: TestClient, token: str, query: str) -> None:
    response = client.post(
        "/graphql", json={"query": query}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code < 500, (query, response.text)
    if response.status_code != 200:  # e.g. 413 for a huge document: still not a 5xx
        return
    body: dict[str, Any] = response.json()
    for error in body.get("errors") or []:
        assert "code" in error.get("extensions", {}), (query, error)
        assert error["extensions"]["code"] != "INTERNAL_SERVER_ERROR", (query, error)


@pytest.mark.parametrize("mode", [Mode.POSITIVE, Mode.NEGATIVE], ids=["positive", "negative"])
def test_generated_queries(signed_in: tuple[TestClient, str], mode: Mode) -> None:
    client, token = signed_in

    @FUZZ
    @given(query=from_schema(SDL, custom_scalars=SCALARS, mode=mode))
    def run(query: str) -> None:
        check(client, token, query)

    run()


@pytest.mark.parametrize("mode", [Mode.POSITIVE, Mode.NEGATIVE], ids=["positive", "negative"])
def test_generated_mutations(signed_in: tuple[TestClient, str], mode: Mode) -> None:
    client, token = signed_in
    fields = ["createEvent", "updateEvent", "deleteEvent", "signIn", "signUp"]

    @FUZZ
    @given(query=from_schema(SDL, fields=fields, custom_scalars=SCALARS, mode=mode))
    def run(query: str) -> None:
        check(client, token, query)

    run()
