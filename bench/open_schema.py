"""The schema with authentication off, for target 2 only: the same types and the same
events resolver, on a Query root whose `events` has no permission class. The shipped
app has no such switch; the bench builds this schema itself (bench/apps.py)."""

import strawberry

from db.events import EventCriteria
from graph.context import Info
from graph.logged_schema import Schema
from graph.services import Services
from schema import build_schema
from schema.types import EventConnection, event_connection


@strawberry.type
class OpenQuery:
    @strawberry.field
    async def events(
        self, info: Info, first: int | None = 20, after: str | None = None
    ) -> EventConnection:
        return await event_connection(info, EventCriteria(), first, after)


def open_schema(services: Services) -> Schema:
    return build_schema(services.limits, query=OpenQuery)
