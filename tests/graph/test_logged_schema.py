"""graph/logged_schema.py: only unexpected errors reach the log, with their traceback.

As in test_errors.py, a tiny schema with a failing resolver stands in for a bug.
"""

import logging

import pytest
import strawberry

from db.errors import NotFound
from graph.errors import ErrorCodes
from graph.logged_schema import Schema


@strawberry.type
class Query:
    @strawberry.field
    def boom(self) -> str:
        raise RuntimeError("a bug")

    @strawberry.field
    def missing(self) -> str:
        raise NotFound("gone")


schema = Schema(query=Query, extensions=[ErrorCodes])


async def test_an_unexpected_error_is_logged_with_its_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.ERROR, logger="planner.errors"):
        result = await schema.execute("{ boom }")
    assert result.errors is not None
    [record] = caplog.records
    assert record.getMessage() == "Unexpected error in boom [request None]: a bug"
    assert "RuntimeError: a bug" in (record.exc_text or "")


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("{ missing }", "NOT_FOUND"),
        ("{ nope }", "GRAPHQL_VALIDATION_FAILED"),
        ("{ missing", "GRAPHQL_PARSE_FAILED"),
    ],
)
async def test_expected_errors_are_answers_not_log_lines(
    query: str, code: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        result = await schema.execute(query)
    assert result.errors is not None
    assert [error.extensions for error in result.errors] == [{"code": code}]
    assert not caplog.records
