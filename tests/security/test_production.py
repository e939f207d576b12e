"""Production mode: the secret key, what is switched off, CORS, masked errors."""

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from app.secret_key import KNOWN_DEVELOPMENT_KEYS, ConfigurationError
from app.settings import Settings
from main import create_app
from tests import databases
from tests.client import GraphQLClient, code_of, error_of, serving
from tests.settings import make_settings

PRODUCTION_KEY = "a-production-key-made-for-this-test-only-7f3a9c1e"
FRONTEND = "https://app.example.com"


def production(tmp_path: Path, **overrides: object) -> Settings:
    """Production settings on a migrated SQLite file of this test's own."""
    values: dict[str, object] = {
        "environment": "production",
        "secret_key": PRODUCTION_KEY,
        "cors_origins": FRONTEND,
        # Production refuses to start without a mail server unless mail is off.
        "mail_enabled": False,
        **overrides,
    }
    return make_settings(databases.migrated_sqlite(tmp_path / "planner.db"), **values)


@pytest.fixture
async def prod(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async with serving(production(tmp_path)) as client:
        yield client


@pytest.mark.parametrize(
    "key", [None, "", "short-key", "x" * 31], ids=["missing", "empty", "short", "31-bytes"]
)
def test_production_refuses_a_missing_or_short_key(tmp_path: Path, key: str | None) -> None:
    with pytest.raises(ConfigurationError):
        create_app(production(tmp_path, secret_key=key))


@pytest.mark.parametrize("key", sorted(KNOWN_DEVELOPMENT_KEYS))
def test_production_refuses_a_known_development_key(tmp_path: Path, key: str) -> None:
    assert len(key.encode()) >= 32  # refused for what it is, not for its length
    with pytest.raises(ConfigurationError, match="known development value"):
        create_app(production(tmp_path, secret_key=key))


def test_the_command_line_refuses_to_serve_with_a_bad_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("SECRET_KEY", "test-secret-key-that-is-long-enough-0123456789")
    with pytest.raises(ConfigurationError):
        main.main(["serve", "--port", "18699"])


async def test_graphiql_is_off_in_production(prod: httpx.AsyncClient) -> None:
    response = await prod.get("/graphql", headers={"Accept": "text/html"})
    assert "graphiql" not in response.text.lower()
    assert response.status_code in {400, 404}


async def test_graphiql_can_be_turned_on(tmp_path: Path) -> None:
    async with serving(production(tmp_path, graphiql=True)) as client:
        response = await client.get("/graphql", headers={"Accept": "text/html"})
        assert response.status_code == 200
        assert "graphiql" in response.text.lower()


async def test_graphiql_is_on_in_development(http: httpx.AsyncClient) -> None:
    response = await http.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


INTROSPECTION = "{ __schema { queryType { name } } }"


async def test_introspection_is_off_in_production(prod: httpx.AsyncClient) -> None:
    body = await GraphQLClient(prod).post(INTROSPECTION)
    assert "data" not in body  # a request error (GraphQL spec, section 7)
    for error in body["errors"]:
        assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        assert "introspection has been disabled" in error["message"]


async def test_introspection_can_be_turned_on(tmp_path: Path) -> None:
    async with serving(production(tmp_path, introspection=True)) as client:
        body = await GraphQLClient(client).post(INTROSPECTION)
        assert body["data"]["__schema"]["queryType"]["name"] == "Query"


async def test_introspection_is_on_in_development(api: GraphQLClient) -> None:
    body = await api.post(INTROSPECTION)
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"


@pytest.mark.parametrize(
    "query",
    [
        "{ mee { id } }",  # unknown field
        "{ events(frist: 1) { totalCount } }",  # unknown argument
        "query ($f: EventFiltr) { events(filter: $f) { totalCount } }",  # unknown type
    ],
)
async def test_no_suggestions_in_production(
    prod: httpx.AsyncClient, api: GraphQLClient, query: str
) -> None:
    body = await GraphQLClient(prod).post(query)
    assert code_of(body) == "GRAPHQL_VALIDATION_FAILED"
    assert "Did you mean" not in error_of(body)["message"]
    # The same typo in development does get a suggestion: the test can tell them apart.
    assert "Did you mean" in error_of(await api.post(query))["message"]


def preflight(origin: str) -> dict[str, str]:
    return {
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
    }


async def test_preflight_from_an_allowed_origin(prod: httpx.AsyncClient) -> None:
    response = await prod.options("/graphql", headers=preflight(FRONTEND))
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == FRONTEND
    allowed = response.headers["access-control-allow-headers"].lower()
    assert "authorization" in allowed


@pytest.mark.parametrize(
    "origin", ["https://evil.example.com", "http://localhost:5173", "https://app.example.com.evil"]
)
async def test_preflight_from_another_origin(prod: httpx.AsyncClient, origin: str) -> None:
    response = await prod.options("/graphql", headers=preflight(origin))
    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers


async def test_simple_request_from_another_origin_gets_no_cors_header(
    prod: httpx.AsyncClient,
) -> None:
    response = await prod.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"Origin": "https://evil.example.com"}
    )
    assert "access-control-allow-origin" not in response.headers


@pytest.mark.parametrize("origin", ["http://localhost:5173", "http://127.0.0.1:3000"])
async def test_localhost_origins_are_allowed_in_development(
    http: httpx.AsyncClient, origin: str
) -> None:
    response = await http.options("/graphql", headers=preflight(origin))
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == origin


async def test_unexpected_error_is_masked_with_a_request_id(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = production(tmp_path)
    application: FastAPI = create_app(settings)
    async with application.router.lifespan_context(application):
        api = GraphQLClient(
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=application), base_url="http://testserver"
            )
        )
        account = await api.sign_up()
        # A broken database is what "unexpected" looks like: the table is gone.
        async with application.state.services.database.write() as session:
            await session.execute(text("DROP TABLE event"))
        with caplog.at_level(logging.ERROR):
            body = await api.post("{ events { totalCount } }", token=account.token)
    error = error_of(body)
    assert error["message"] == "Internal server error"
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    request_id = error["extensions"]["requestId"]
    assert request_id
    assert "event" not in str(body).lower().replace("events", "")  # no SQL, no table name
    logged = [r for r in caplog.records if request_id in r.getMessage()]
    assert logged, caplog.text
    assert any(r.exc_info for r in logged), "the traceback is logged with the request id"


async def test_unexpected_error_outside_graphql_is_masked_with_a_request_id(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    application: FastAPI = create_app(production(tmp_path))

    @application.get("/boom")
    async def boom() -> None:  # a route that fails the way a bug would
        raise RuntimeError("secret internals: SELECT * FROM user_account")

    transport = httpx.ASGITransport(app=application, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        with caplog.at_level(logging.ERROR):
            response = await client.get("/boom")
    assert response.status_code == 500
    error = response.json()["errors"][0]
    assert error["message"] == "Internal server error"
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert "SELECT" not in response.text
    request_id = error["extensions"]["requestId"]
    assert response.headers["x-request-id"] == request_id
    logged = [r for r in caplog.records if request_id in r.getMessage() and r.exc_info]
    assert logged, caplog.text
