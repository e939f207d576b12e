"""The GraphQL contract as Strawberry code, assembled into one schema."""

from datetime import datetime

from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from graph.errors import ErrorCodes, Schema
from schema.mutations import Mutation
from schema.queries import Query
from schema.scalars import DateTime
from schema.session_mutations import SessionMutations

schema = Schema(
    query=Query,
    mutation=merge_types("Mutation", (Mutation, SessionMutations)),
    extensions=[ErrorCodes],
    config=StrawberryConfig(scalar_map={datetime: DateTime}),
)

__all__ = ["schema"]
