"""graph/limits.py: the parser and validation caches, on the real app's schema.

What each limit refuses, through the API, is in tests/security/test_limits.py and
tests/security/test_configured_limits.py."""

from typing import Any

from fastapi import FastAPI
from strawberry.extensions import ValidationCache

from graph.limits import ReportingParserCache
from tests.client import GraphQLClient, code_of


async def test_syntax_error_is_parse_failed_with_the_cache_on(api: GraphQLClient) -> None:
    body = await api.post("{ me { ")
    assert code_of(body) == "GRAPHQL_PARSE_FAILED"


def test_parser_and_validation_caches_are_on_and_bounded(app: FastAPI) -> None:
    extensions = app.state.schema.get_extensions()
    parser = next(e for e in extensions if isinstance(e, ReportingParserCache))
    validation = next(e for e in extensions if isinstance(e, ValidationCache))
    parse: Any = parser.cached_parse_document  # an lru_cache wrapper
    validate: Any = validation.cached_validate_document
    assert parse.cache_info().maxsize == 256
    assert validate.cache_info().maxsize == 256


async def test_a_repeated_document_is_validated_once(app: FastAPI, api: GraphQLClient) -> None:
    # The validation cache is keyed by the rules too: limit rules made per request
    # would make every request a miss. The same document twice must be one hit.
    account = await api.sign_up()
    validation = next(
        e for e in app.state.schema.get_extensions() if isinstance(e, ValidationCache)
    )
    validate: Any = validation.cached_validate_document
    query = "{ events(first: 3) { edges { node { id title } } } }"
    await api.post(query, token=account.token)
    before = validate.cache_info()
    await api.post(query, token=account.token)
    await api.post(query, token=account.token)
    after = validate.cache_info()
    assert after.hits - before.hits == 2
    assert after.misses == before.misses
