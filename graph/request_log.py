"""One structured log line per request, and the request id that ties logs together.

The middleware gives each request an id (sent back as `X-Request-ID`), times it and
writes one JSON line to the "planner.request" logger. The schema extension adds what
only the GraphQL layer knows: the operation name, the signed-in user, the error codes.
Only these fields are logged: never the query, its variables or any header, so
passwords and tokens cannot reach the log.
"""

import copy
import json
import logging
import time
from collections.abc import Iterator
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.extensions import SchemaExtension

from graph.context import Context
from graph.errors import INTERNAL_MESSAGE
from graph.http_errors import json_error
from graph.request_id import RequestRecord, current_request

logger = logging.getLogger("planner.request")
errors_logger = logging.getLogger("planner.errors")


class RequestLogMiddleware:
    """Pure ASGI (not BaseHTTPMiddleware) so the record set here is the one the
    resolvers see: the whole request runs in this task's context."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        record = RequestRecord()
        token = current_request.set(record)
        started = time.perf_counter()
        status = 500
        response_started = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                status = message["status"]
                response_started = True
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", record.request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            errors_logger.exception("Unhandled error [request %s]", record.request_id)
            if response_started:
                raise
            response = json_error(
                500, INTERNAL_MESSAGE, "INTERNAL_SERVER_ERROR", requestId=record.request_id
            )
            await response(scope, receive, send_with_id)
        finally:
            current_request.reset(token)
            if logger.isEnabledFor(logging.INFO):  # `serve --no-access-log` turns it off
                line = _line(scope, record, status, time.perf_counter() - started)
                logger.info(json.dumps(line))


def _line(scope: Scope, record: RequestRecord, status: int, seconds: float) -> dict[str, Any]:
    outcome = "ok" if status < 400 and not record.error_codes else "error"
    return {
        "event": "request",
        "requestId": record.request_id,
        "method": scope.get("method"),
        "path": scope.get("path"),  # the path only: a query string may carry a query
        "operation": record.operation,
        "userId": record.user_id,
        "status": status,
        "outcome": outcome,
        "errors": record.error_codes,
        "durationMs": round(seconds * 1000, 1),
    }


class RecordOperation(SchemaExtension):
    """Puts the operation name, the user (when the request was signed in) and the
    error codes the client got into the request's log record. List it first so it
    runs last, after the errors were given their codes."""

    def on_operation(self) -> Iterator[None]:
        yield
        record = current_request.get()
        if record is None:  # executed outside HTTP, e.g. schema.execute in a script
            return
        execution = self.execution_context
        record.operation = execution.operation_name
        context = execution.context
        if isinstance(context, Context):
            user_id = context.known_user_id()
            record.user_id = None if user_id is None else str(user_id)
        errors = execution.result.errors if execution.result is not None else None
        record.error_codes = [
            str((error.extensions or {}).get("code", "")) for error in errors or []
        ]


def with_planner_loggers(
    uvicorn_config: dict[str, Any], *, request_lines: bool = True
) -> dict[str, Any]:
    """uvicorn's logging config plus the "planner" loggers (request lines, errors with
    tracebacks) on its stderr handler. uvicorn's own access log is left out by the
    caller: it logs the request line, whose query string can carry a GraphQL document
    with a password in it, and our request line replaces it."""
    config = copy.deepcopy(uvicorn_config)
    config.setdefault("loggers", {})["planner"] = {
        "handlers": ["default"],
        "level": "INFO",
        "propagate": False,
    }
    if not request_lines:  # benchmarks: errors still logged, one line per request not
        config["loggers"]["planner.request"] = {"level": "WARNING"}
    return config
