"""The GraphQL contract as Strawberry code, assembled into one schema."""

from datetime import datetime

from strawberry.schema.config import StrawberryConfig

from graph.errors import ErrorCodes, Schema
from schema.mutations import Mutation
from schema.queries import Query
from schema.scalars import DateTime

schema = Schema(
    query=Query,
    mutation=Mutation,
    extensions=[ErrorCodes],
    config=StrawberryConfig(scalar_map={datetime: DateTime}),
)

__all__ = ["schema"]
