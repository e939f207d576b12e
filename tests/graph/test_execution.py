"""graph/execution.py: the short path gives exactly graphql-core's answers.

Each query runs twice on one schema made for the test, once with graphql-core's own
field execution (Strawberry's default execution context) and once with the short
path; data and errors (messages, paths, locations) must be the same. The schema holds
the awkward cases on purpose: nulls in non-null fields, values a scalar refuses,
awaitable attributes, failing resolvers below plain objects, lists, enums, aliases,
fragments and directives.
"""

import asyncio
import enum
from datetime import UTC, datetime
from typing import Any

import pytest
import strawberry
from graphql import GraphQLResolveInfo
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from graph.execution import LeanExecutionContext


@strawberry.enum
class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Later:
    """An awaitable attribute value (it makes its coroutine only when awaited)."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def __await__(self) -> Any:
        return self._get().__await__()

    async def _get(self) -> Any:
        await asyncio.sleep(0)
        return self.value


@strawberry.type
class Leaf:
    name: str
    count: int
    tags: list[str]
    maybe_tags: list[str | None] | None
    colour: Colour
    at: datetime
    note: str | None
    # The Python value disagrees with the GraphQL type in the cases below.
    wrong: int
    missing: str

    @strawberry.field
    def shout(self, times: int = 1) -> str:
        return self.name.upper() * times

    @strawberry.field
    def fails(self) -> str:
        raise ValueError("a resolver failed")

    @strawberry.field
    def fails_nullable(self) -> str | None:
        raise ValueError("a nullable resolver failed")


@strawberry.type
class Box:
    leaf: Leaf
    maybe_leaf: Leaf | None
    leaves: list[Leaf]
    later_leaf: Leaf  # holds an awaitable in some cases
    maybe_leaves: list[Leaf] | None = None  # holds a null, or a null item, in some cases


def _leaf(**changes: Any) -> Leaf:
    values: dict[str, Any] = {
        "name": "plain",
        "count": 3,
        "tags": ["a", "b"],
        "maybe_tags": ["x", None],
        "colour": Colour.BLUE,
        "at": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        "note": None,
        "wrong": 7,
        "missing": "here",
    }
    return Leaf(**{**values, **changes})


@strawberry.type
class Query:
    @strawberry.field
    def good(self) -> Box:
        return Box(
            leaf=_leaf(),
            maybe_leaf=None,
            leaves=[_leaf(), _leaf(name="two")],
            later_leaf=_leaf(),
            maybe_leaves=[_leaf(name="one")],
        )

    @strawberry.field
    def bad(self) -> Box | None:
        broken = _leaf(wrong="not a number", missing=None, tags=["ok", None])
        return Box(
            leaf=broken,
            maybe_leaf=broken,
            leaves=[broken, Later(_leaf(name="later"))],  # type: ignore[list-item]
            later_leaf=Later(_leaf(name="later")),  # type: ignore[arg-type]
            maybe_leaves=[_leaf(), None],  # type: ignore[list-item]
        )

    @strawberry.field
    def empty(self) -> Box:
        return Box(leaf=_leaf(), maybe_leaf=None, leaves=[], later_leaf=_leaf())


QUERIES = [
    "{ good { leaf { name count tags maybeTags colour at note } } }",
    "{ good { leaf { first: name, second: name, shout(times: 2) } maybeLeaf { name } } }",
    "{ good { leaves { name tags } laterLeaf { name } } }",
    "{ good { leaf { ...parts } } } fragment parts on Leaf { name colour }",
    "query($skip: Boolean!) { good { leaf { name @skip(if: $skip) count @include(if: true) } } }",
    "{ bad { leaf { name wrong } } }",
    "{ bad { maybeLeaf { name missing } } }",
    "{ bad { maybeLeaf { tags } } }",
    "{ bad { leaves { name } laterLeaf { name count } } }",
    "{ good { leaf { name fails } } }",
    "{ good { leaf { name failsNullable } maybeLeaf { name } } }",
    "{ bad { laterLeaf { name fails } } }",
    "{ good { leaves { name fails } } }",
    "{ good { leaves { name failsNullable } maybeLeaves { name count } } }",
    "{ good { leaves { name wrong } } }",
    "{ bad { leaves { name } } }",
    "{ bad { maybeLeaves { name } } }",
    "{ empty { leaves { name } maybeLeaves { name } } }",
    "{ good { leaves { ...parts } } } fragment parts on Leaf { name colour }",
]


def _schema(context_class: type, extensions: list[Any] | None = None) -> strawberry.Schema:
    return strawberry.Schema(
        query=Query, execution_context_class=context_class, extensions=extensions or []
    )


def _answer(result: Any) -> tuple[Any, list[dict[str, Any]]]:
    return result.data, [error.formatted for error in result.errors or []]


@pytest.mark.parametrize("query", QUERIES)
async def test_same_answers_as_graphql_core(query: str) -> None:
    variables = {"skip": False}
    reference = await _schema(StrawberryGraphQLCoreExecutionContext).execute(
        query, variable_values=variables
    )
    lean = await _schema(LeanExecutionContext).execute(query, variable_values=variables)

    assert _answer(lean) == _answer(reference)


async def test_the_cases_include_errors_and_plain_answers() -> None:
    """The comparison above means something only if both kinds are among the cases."""
    schema = _schema(StrawberryGraphQLCoreExecutionContext)
    results = [await schema.execute(query, variable_values={"skip": False}) for query in QUERIES]
    assert sum(1 for result in results if result.errors) >= 5
    assert sum(1 for result in results if not result.errors) >= 4


class CountingContext(LeanExecutionContext):
    """Counts the fields that went through graphql-core's own path (it builds an info
    for each; the short path builds none)."""

    resolved_by_graphql_core: list[str]

    def build_resolve_info(self, *args: Any, **kwargs: Any) -> GraphQLResolveInfo[Any]:
        info = super().build_resolve_info(*args, **kwargs)
        type(self).resolved_by_graphql_core.append(info.field_name)
        return info


async def test_plain_fields_skip_graphql_cores_path() -> None:
    CountingContext.resolved_by_graphql_core = []
    query = (
        "{ good { leaf { name count tags colour at shout } leaves { name } maybeLeaves { name } } }"
    )

    result = await _schema(CountingContext).execute(query)

    assert result.errors is None
    # `good` and `shout` have resolvers. Every other field (leaf, name, count, tags,
    # colour, at, the lists of objects and each item's name) took the short path.
    assert sorted(CountingContext.resolved_by_graphql_core) == ["good", "shout"]


class Upper(SchemaExtension):
    """Wraps every resolver, as a schema extension with a `resolve` hook does."""

    def resolve(self, _next: Any, root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
        result = _next(root, info, *args, **kwargs)
        return result.upper() if isinstance(result, str) else result


async def test_resolver_wrapping_extensions_see_every_field() -> None:
    query = "{ good { leaf { name tags } } }"

    lean = await _schema(LeanExecutionContext, [Upper]).execute(query)

    assert lean.errors is None
    assert lean.data == {"good": {"leaf": {"name": "PLAIN", "tags": ["a", "b"]}}}
