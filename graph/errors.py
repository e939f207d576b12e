"""Every error leaves with `extensions.code`; nothing unexpected leaves unmasked.

Domain exceptions (db/errors.py, auth/errors.py) map to their codes here. Errors
about the document itself keep graphql-core's message. Anything else is a bug: the
client sees "Internal server error" and the log gets the traceback
(graph/logged_schema.py).
"""

from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import SchemaExtension

from auth.errors import AuthenticationError, TooManyAttempts
from db.errors import (
    Conflict,
    DomainError,
    FailedPrecondition,
    Forbidden,
    InvalidInput,
    NotFound,
    Overflowed,
)
from graph.request_id import current_request_id

INTERNAL_MESSAGE = "Internal server error"

_DOMAIN_CODES: tuple[tuple[type[DomainError], str], ...] = (
    (AuthenticationError, "UNAUTHENTICATED"),
    (Forbidden, "FORBIDDEN"),
    (NotFound, "NOT_FOUND"),
    (Conflict, "CONFLICT"),
    (InvalidInput, "BAD_USER_INPUT"),
    (TooManyAttempts, "TOO_MANY_REQUESTS"),
    (FailedPrecondition, "FAILED_PRECONDITION"),
    (Overflowed, "SUBSCRIPTION_OVERFLOW"),
)


def domain_extensions(error: DomainError) -> dict[str, Any]:
    code = next((code for kind, code in _DOMAIN_CODES if isinstance(error, kind)), None)
    extensions: dict[str, Any] = {"code": code or "INTERNAL_SERVER_ERROR"}
    if isinstance(error, InvalidInput):
        extensions["field"] = error.field
    extensions.update(getattr(error, "extensions", None) or {})
    return extensions


def _coded(error: GraphQLError) -> tuple[str, dict[str, Any]] | None:
    """(message, extensions) for an error a client may see, None for a bug."""
    original = error.original_error
    if isinstance(error, GraphQLSyntaxError):
        return error.message, {"code": "GRAPHQL_PARSE_FAILED"}
    if isinstance(original, DomainError):
        return original.message, domain_extensions(original)
    given = getattr(original, "extensions", None) or error.extensions or {}
    if "code" in given:  # permission classes and deliberate GraphQL errors
        return error.message, dict(given)
    if error.path is None and (original is None or error.nodes):
        # Validation, unknown fields, bad or missing variables: about the document.
        return error.message, {"code": "GRAPHQL_VALIDATION_FAILED"}
    return None


def is_expected(error: GraphQLError) -> bool:
    """Whether the client may see this error as it is (an answer, not a bug)."""
    return _coded(error) is not None


def to_client_error(error: GraphQLError) -> GraphQLError:
    coded = _coded(error)
    # The request id lets support find the traceback logged for this error.
    internal: dict[str, Any] = {"code": "INTERNAL_SERVER_ERROR"}
    if (request_id := current_request_id()) is not None:  # None outside an HTTP request
        internal["requestId"] = request_id
    message, extensions = coded or (INTERNAL_MESSAGE, internal)
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions=extensions,
    )


class ErrorCodes(SchemaExtension):
    """Rewrites the result's errors as the client should see them."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = [to_client_error(error) for error in result.errors]

    def on_stream_result(self, result: Any) -> Iterator[None]:
        # A subscription's results go out one by one while the operation still runs.
        errors = getattr(result, "errors", None)
        if errors:
            result.errors = [to_client_error(error) for error in errors]
        yield
