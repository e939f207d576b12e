"""graph/errors.py: the mapping to extensions.code, on a schema made for the test.

An unexpected exception cannot be provoked through the real schema on purpose (that
would be a bug to fix), so a tiny schema with a failing resolver stands in for one.
"""

import pytest
import strawberry

from auth.errors import InvalidCredentials
from db.errors import Conflict, Forbidden, InvalidInput, NotFound
from graph.errors import ErrorCodes


@strawberry.type
class Query:
    @strawberry.field
    def boom(self) -> str:
        raise RuntimeError("connection string postgresql://secret@db/prod")

    @strawberry.field
    def domain(self, kind: str) -> str:
        errors = {
            "credentials": InvalidCredentials(),
            "forbidden": Forbidden("no"),
            "missing": NotFound("gone"),
            "conflict": Conflict("taken"),
            "input": InvalidInput("title", "bad title"),
        }
        raise errors[kind]


schema = strawberry.Schema(query=Query, extensions=[ErrorCodes])


async def test_unexpected_errors_are_masked() -> None:
    result = await schema.execute("{ boom }")
    assert result.errors is not None
    [error] = result.errors
    assert error.message == "Internal server error"
    assert error.extensions == {"code": "INTERNAL_SERVER_ERROR"}
    assert "postgresql://" not in str(error.formatted)


@pytest.mark.parametrize(
    ("kind", "message", "extensions"),
    [
        ("credentials", "Incorrect email or password", {"code": "UNAUTHENTICATED"}),
        ("forbidden", "no", {"code": "FORBIDDEN"}),
        ("missing", "gone", {"code": "NOT_FOUND"}),
        ("conflict", "taken", {"code": "CONFLICT"}),
        ("input", "bad title", {"code": "BAD_USER_INPUT", "field": "title"}),
    ],
)
async def test_domain_errors_keep_their_message_and_get_a_code(
    kind: str, message: str, extensions: dict[str, str]
) -> None:
    result = await schema.execute("query($k: String!) { domain(kind: $k) }", {"k": kind})
    assert result.errors is not None
    [error] = result.errors
    assert (error.message, error.extensions) == (message, extensions)
