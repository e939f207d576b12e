"""Every limit follows its setting (MAX_QUERY_DEPTH, MAX_ALIASES, MAX_TOKENS,
MAX_BODY_BYTES, MAX_PAGE_SIZE)."""

from collections.abc import AsyncIterator

import httpx
import pytest

from main import Settings, create_app
from tests.client import GraphQLClient, code_of, error_of
from tests.security.queries import nested_query


@pytest.fixture
async def tight(settings: Settings) -> AsyncIterator[GraphQLClient]:
    tight_settings = settings.model_copy(
        update={
            "max_query_depth": 3,
            "max_aliases": 2,
            "max_tokens": 60,
            "max_body_bytes": 2000,
            "max_page_size": 25,
        }
    )
    application = create_app(tight_settings)
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield GraphQLClient(client)


async def test_configured_depth(tight: GraphQLClient) -> None:
    account = await tight.sign_up()
    ok = await tight.post(nested_query(3), token=account.token)
    assert "errors" not in ok, ok
    deep = await tight.post(nested_query(4), token=account.token)
    assert code_of(deep) == "GRAPHQL_VALIDATION_FAILED"


async def test_configured_aliases(tight: GraphQLClient) -> None:
    account = await tight.sign_up()
    ok = await tight.post("{ a: me { id } b: me { id } }", token=account.token)
    assert "errors" not in ok, ok
    body = await tight.post("{ a: me { id } b: me { id } c: me { id } }", token=account.token)
    assert code_of(body) == "GRAPHQL_VALIDATION_FAILED"


async def test_configured_tokens(tight: GraphQLClient) -> None:
    body = await tight.post("{ " + "__typename " * 70 + "}")
    assert code_of(body) == "GRAPHQL_VALIDATION_FAILED"
    assert "more than 60 tokens" in error_of(body)["message"]


def test_page_size_below_the_default_page_is_refused(settings: Settings) -> None:
    with pytest.raises(ValueError, match="max_page_size"):
        Settings.model_validate({**settings.model_dump(), "max_page_size": 19})


async def test_configured_body_size(tight: GraphQLClient) -> None:
    response = await tight.http.post("/graphql", json={"query": "{ __typename }" + " " * 2000})
    assert response.status_code == 413


async def test_configured_page_size(tight: GraphQLClient) -> None:
    account = await tight.sign_up()
    ok = await tight.post("{ events(first: 25) { totalCount } }", token=account.token)
    assert "errors" not in ok, ok
    body = await tight.post("{ events(first: 26) { totalCount } }", token=account.token)
    assert code_of(body) == "BAD_USER_INPUT"
    assert error_of(body)["message"] == "first must be between 1 and 25"
