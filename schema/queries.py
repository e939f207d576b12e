"""The Query root. Every field needs a signed-in user."""

import strawberry

from db.events import EventCriteria
from db.ids import parse_id
from graph.context import Info
from graph.permissions import IsAuthenticated
from schema.event_values import check_chars, check_search
from schema.inputs import EventFilter
from schema.types import Event, EventConnection, User, event_connection


@strawberry.type
class Query:
    @strawberry.field(description="The signed-in user.", permission_classes=[IsAuthenticated])
    async def me(self, info: Info) -> User:
        return User.from_row(await info.context.current_user())

    @strawberry.field(
        description="One event, or null when there is none with this id.",
        permission_classes=[IsAuthenticated],
    )
    async def event(self, info: Info, id: strawberry.ID) -> Event | None:
        event_id = parse_id(id)
        row = None if event_id is None else await info.context.loaders.event_by_id.load(event_id)
        return None if row is None else Event.loading_creator(row, info)

    @strawberry.field(
        description="All events, newest first (createdAt, then id).",
        permission_classes=[IsAuthenticated],
    )
    async def events(
        self,
        info: Info,
        first: int | None = 20,
        after: str | None = None,
        filter: EventFilter | None = None,
    ) -> EventConnection:
        criteria = EventCriteria()
        if filter is not None:
            mine = (await info.context.current_user()).id if filter.mine else None
            tag = check_chars("tag", filter.tag).strip() if filter.tag is not None else None
            criteria = EventCriteria(tag=tag, search=check_search(filter.search), creator_id=mine)
        return await event_connection(info, criteria, first, after)
