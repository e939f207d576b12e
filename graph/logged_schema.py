"""The app's strawberry.Schema: it logs only unexpected errors, with their traceback.

Expected ones (a wrong password, an unknown id, a typo in a query) are answers, not
incidents; logging each with a traceback would drown the real ones. What the client
sees of either is graph/errors.py's business.
"""

import logging

import strawberry
from graphql import GraphQLError
from strawberry.types import ExecutionContext

from graph.errors import is_expected
from graph.request_id import current_request_id

logger = logging.getLogger("planner.errors")


class Schema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        for error in errors:
            if not is_expected(error):
                logger.error(
                    "Unexpected error in %s [request %s]: %s",
                    ".".join(map(str, error.path or [])) or "operation",
                    current_request_id(),
                    error.message,
                    exc_info=error.original_error,
                )
