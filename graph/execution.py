"""A shorter path through graphql-core for plain fields: a speed-up.

What it saves: most fields of a typical response are plain attributes: an event's
`id`, `title` and `tags`, the `node` of an edge, a creator's `email`. For each of them
graphql-core builds a resolve-info object, calls Strawberry's default resolver through
two wrappers, and walks the completion steps (non-null, list, leaf or object) one call
at a time. With 20 events that was most of what a GraphQL response cost over a plain
JSON endpoint: 17.4M -> 14.0M instructions per events request when it came in.
Measured on a quiet machine (docs/BENCHMARKS.md, "What each speed-up buys", 2026-12-02):
it saves 5.4% of target 1's server CPU per events request and 28% of what
authentication adds (target 2).

What it relies on: graphql-core's execution context methods `execute_field`,
`collect_and_execute_subfields` and `handle_field_error` (":meta private:" in
graphql-core 3.3) with their current parameters, its `middleware_manager` and
`is_awaitable` attributes, and Strawberry's default-resolver marker and
`DEFINITION_BACKREF`. lean_execution_internals_missing() checks them at startup
(app/fast_paths.py); without them the schema runs on Strawberry's own execution
context, which gives the same answers (tests/graph/test_execution.py compares).

A field takes the short path when Strawberry resolves it by reading an attribute (no
resolver function, no permission or other field extension: Strawberry marks those),
it has no arguments and no directives, and no schema extension wraps resolvers. Its
value is then read directly and completed as graphql-core would: a scalar (or a list
of scalars) is coerced here; an object, or a list of non-null objects, has its
sub-fields executed by graphql-core, with graphql-core's error handling around them.

Anything else, and every value that could end in an error or needs waiting for (a
null in a non-null field, a value the scalar refuses, an awaitable), takes
graphql-core's own path from the start, so results, errors, their paths and
locations are exactly graphql-core's (tests/graph/test_execution.py compares both).
"""

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    get_named_type,
)
from graphql.pyutils import Path, Undefined
from strawberry.resolvers import is_default_resolver
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

_NOT_PLAIN = object()  # "take graphql-core's path"
_LEAF_TYPES = (GraphQLScalarType, GraphQLEnumType)


class LeanExecutionContext(StrawberryGraphQLCoreExecutionContext):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        manager = self.middleware_manager
        # Schema extensions with a `resolve` hook wrap every resolver: no short path then.
        self._plain_resolvers = manager is None or not manager.middlewares

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Path,
        position_context: Any,
    ) -> Any:
        if self._plain_resolvers:
            value = self._plain_field(
                parent_type, source, field_details_list, path, position_context
            )
            if value is not _NOT_PLAIN:
                return value
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )

    def _plain_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        details: Any,
        path: Path,
        position_context: Any,
    ) -> Any:
        node = details[0].node
        if node.arguments or node.directives:
            return _NOT_PLAIN
        field_def = self.schema.get_field(parent_type, node.name.value)
        if field_def is None:
            return _NOT_PLAIN
        plain = _plain(field_def)
        if plain is None:
            return _NOT_PLAIN
        try:
            value = plain.read(source, plain.name)
            if plain.object_type is None:
                return _completed_leaf(field_def.type, value, self.is_awaitable)
        except Exception:  # graphql-core's path reports it, with path and location
            return _NOT_PLAIN
        if value is None and not isinstance(field_def.type, GraphQLNonNull):
            return None  # a null object where null is allowed: nothing to complete
        if value is None or isinstance(value, Exception) or self.is_awaitable(value):
            return _NOT_PLAIN
        if plain.listed:
            return self._plain_list(
                plain.object_type, field_def.type, value, details, path, position_context
            )
        # From here on as graphql-core's execute_field after completing an object value.
        try:
            completed = self.collect_and_execute_subfields(
                plain.object_type, details, path, value, position_context
            )
        except Exception as error:
            self.handle_field_error(error, field_def.type, details, path)
            return None
        if self.is_awaitable(completed):
            return self._await_completed(completed, field_def.type, details, path)
        return completed

    def _plain_list(
        self,
        item_type: GraphQLObjectType,
        return_type: GraphQLOutputType,
        value: Any,
        details: Any,
        path: Path,
        position_context: Any,
    ) -> Any:
        """A list of non-null objects (an event's hosts), as graphql-core's
        complete_list_value would do it: every item's sub-fields executed at its
        index, and an item that fails fails the list field."""
        if not isinstance(value, list | tuple):
            return _NOT_PLAIN
        if any(item is None or self.is_awaitable(item) for item in value):
            return _NOT_PLAIN
        completed: list[Any] = []
        try:
            for index, item in enumerate(value):
                completed.append(
                    self.collect_and_execute_subfields(
                        item_type, details, path.add_key(index, None), item, position_context
                    )
                )
        except Exception as error:
            self.handle_field_error(error, return_type, details, path)
            return None
        if any(self.is_awaitable(item) for item in completed):
            return self._await_completed(_gathered(completed), return_type, details, path)
        return completed

    async def _await_completed(
        self, completed: Awaitable[Any], return_type: GraphQLOutputType, details: Any, path: Path
    ) -> Any:
        try:
            return await completed
        except Exception as error:
            self.handle_field_error(error, return_type, details, path)
            return None


async def _gathered(completed: list[Any]) -> list[Any]:
    """The items, the awaitable ones awaited together (so their loads batch)."""
    waiting = [index for index, item in enumerate(completed) if inspect.isawaitable(item)]
    results = await asyncio.gather(*(completed[index] for index in waiting))
    done = list(completed)
    for index, result in zip(waiting, results, strict=True):
        done[index] = result
    return done


def _completed_leaf(
    return_type: GraphQLOutputType, value: Any, is_awaitable: Callable[[Any], bool]
) -> Any:
    """`value` completed as graphql-core would, or _NOT_PLAIN where it might differ."""
    if is_awaitable(value):
        return _NOT_PLAIN
    if isinstance(return_type, GraphQLNonNull):
        if value is None:
            return _NOT_PLAIN
        return_type = return_type.of_type
    elif value is None:
        return None
    if isinstance(return_type, GraphQLList):
        if not isinstance(value, list | tuple):
            return _NOT_PLAIN
        items = [_completed_leaf(return_type.of_type, item, is_awaitable) for item in value]
        return _NOT_PLAIN if any(item is _NOT_PLAIN for item in items) else items
    if isinstance(return_type, _LEAF_TYPES):
        coerced = return_type.coerce_output_value(value)
        return _NOT_PLAIN if coerced is None or coerced is Undefined else coerced
    return _NOT_PLAIN


@dataclass(frozen=True, slots=True)
class _Plain:
    """How to read a plain field: Strawberry's default resolver and the attribute."""

    read: Callable[[Any, str], Any]
    name: str
    object_type: GraphQLObjectType | None  # for an object field; None for scalars
    listed: bool = False  # a list of object_type, each item non-null


_PLAIN_KEY = "planner.plain-field"


def _plain(field_def: GraphQLField) -> _Plain | None:
    """The field's _Plain, or None if it needs graphql-core's path. Worked out once per
    field and kept in the field's `extensions` (graphql-core leaves that dict to
    applications)."""
    try:
        return field_def.extensions[_PLAIN_KEY]
    except KeyError:
        plain = field_def.extensions[_PLAIN_KEY] = _plain_of(field_def)
        return plain


def _plain_of(field_def: GraphQLField) -> _Plain | None:
    definition = field_def.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
    # Strawberry marks the resolver it uses for a field with no resolver function as
    # default; a field extension (a permission class: User.email, Attendee.email) wraps
    # even that one, so a field with extensions takes graphql-core's path and runs them.
    if not isinstance(definition, StrawberryField) or field_def.resolve is None:
        return None
    if definition.extensions or not is_default_resolver(field_def.resolve):
        return None
    return_type = field_def.type
    nullable = return_type.of_type if isinstance(return_type, GraphQLNonNull) else return_type
    if isinstance(nullable, GraphQLObjectType):
        if nullable.is_type_of is not None:
            return None
        return _Plain(definition.default_resolver, definition.python_name, nullable)
    item = nullable.of_type if isinstance(nullable, GraphQLList) else None
    if isinstance(item, GraphQLNonNull) and isinstance(item.of_type, GraphQLObjectType):
        if item.of_type.is_type_of is not None:
            return None
        return _Plain(definition.default_resolver, definition.python_name, item.of_type, True)
    if not isinstance(get_named_type(return_type), _LEAF_TYPES):  # lists of nullable objects
        return None
    return _Plain(definition.default_resolver, definition.python_name, None)


# What the short path calls on graphql-core's execution context (its ":meta private:"
# methods) with the parameters it passes, and what it reads from Strawberry.
_EXECUTOR_METHODS = {
    "execute_field": ("parent_type", "source", "field_details_list", "path", "position_context"),
    "collect_and_execute_subfields": (
        "return_type",
        "field_details_list",
        "path",
        "result",
        "position_context",
    ),
    "handle_field_error": ("raw_error", "return_type", "field_details_list", "path"),
}


def lean_execution_internals_missing() -> str | None:
    """What LeanExecutionContext relies on and cannot find, or None."""
    for name, expected in _EXECUTOR_METHODS.items():
        method = getattr(StrawberryGraphQLCoreExecutionContext, name, None)
        if method is None:
            return f"graphql-core's ExecutionContext has no {name}"
        parameters = tuple(inspect.signature(method).parameters)[1:]
        if parameters != expected:
            return f"graphql-core's ExecutionContext.{name} takes {parameters}"
    assigned = {
        name
        for cls in StrawberryGraphQLCoreExecutionContext.__mro__
        if "__init__" in vars(cls) and hasattr(vars(cls)["__init__"], "__code__")
        for name in vars(cls)["__init__"].__code__.co_names
    }
    for attribute in ("middleware_manager", "is_awaitable"):
        if attribute not in assigned:
            return f"graphql-core's ExecutionContext sets no {attribute}"
    if not hasattr(GraphQLCoreConverter, "DEFINITION_BACKREF"):
        return "Strawberry's GraphQLCoreConverter has no DEFINITION_BACKREF"
    return None
