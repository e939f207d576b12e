"""The GraphQL contract as Strawberry code, assembled into one schema."""

from datetime import datetime

import strawberry
from strawberry.schema.config import StrawberryConfig

from graph.errors import ErrorCodes
from graph.execution import LeanExecutionContext
from graph.limits import QueryLimits, limit_extensions
from graph.logged_schema import Schema
from graph.request_log import RecordOperation
from schema.account_mutations import AccountMutations
from schema.mutations import Mutation
from schema.planning_mutations import PlanningMutations
from schema.queries import Query
from schema.scalars import DateTime
from schema.session_mutations import SessionMutations
from schema.subscriptions import Subscription


@strawberry.type(
    name="Mutation",
    description="Changing things. signUp, signIn, refreshToken and signOut are open; every "
    "other field needs `Authorization: Bearer <accessToken>` (UNAUTHENTICATED otherwise).",
)
class Mutations(Mutation, SessionMutations, AccountMutations, PlanningMutations):
    """Accounts and events (schema/mutations.py), the token lifecycle
    (schema/session_mutations.py), the mailed account flows
    (schema/account_mutations.py) and planning together (schema/planning_mutations.py)
    as one root."""


def build_schema(
    limits: QueryLimits | None = None, *, query: type = Query, lean_execution: bool = True
) -> Schema:
    """The schema with `limits` enforced (the defaults when None). Batching stays off:
    one HTTP request is one operation, so per-request limits cannot be multiplied.

    `query`: another Query root on the same types (the bench serves one without the
    permission classes); `lean_execution`: graph/execution.py's short path for plain
    fields, or graphql-core's own execution throughout."""
    limits = limits or QueryLimits()
    return Schema(
        query=query,
        mutation=Mutations,
        subscription=Subscription,
        # Extensions finish in reverse order: the limits adjust their errors, then
        # ErrorCodes gives every error its code, then the request log records them.
        extensions=[RecordOperation, ErrorCodes, *limit_extensions(limits)],
        execution_context_class=LeanExecutionContext if lean_execution else None,
        config=StrawberryConfig(
            scalar_map={datetime: DateTime},
            disable_field_suggestions=not limits.suggestions,
            batching_config=None,
        ),
    )


schema = build_schema()

__all__ = ["build_schema", "schema"]
