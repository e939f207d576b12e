"""The Query root. Every field needs a signed-in user."""

from typing import Annotated

import strawberry

from db.events import EventCriteria
from db.ids import parse_id
from graph.context import Info
from graph.permissions import IsAuthenticated
from schema.event_values import check_chars, check_search
from schema.inputs import EventFilter
from schema.types import (
    DEFAULT_PAGE_SIZE,
    After,
    Event,
    EventConnection,
    First,
    User,
    event_connection,
)


@strawberry.type(
    description="Reading. Every field needs `Authorization: Bearer <accessToken>`; without "
    'it the answer is UNAUTHENTICATED "Not authenticated" (or "Invalid token", '
    '"Token expired", "Token revoked" for a token that no longer works).'
)
class Query:
    @strawberry.field(description="The signed-in user.", permission_classes=[IsAuthenticated])
    async def me(self, info: Info) -> User:
        return User.from_row(await info.context.current_user())

    @strawberry.field(
        description="One event, or null when there is none with this id.",
        permission_classes=[IsAuthenticated],
    )
    async def event(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="The event's id; one that names no event answers null."
            ),
        ],
    ) -> Event | None:
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
        first: First = DEFAULT_PAGE_SIZE,
        after: After = None,
        filter: Annotated[
            EventFilter | None,
            strawberry.argument(
                description="Only the events that meet every condition given; null: all."
            ),
        ] = None,
    ) -> EventConnection:
        criteria = EventCriteria()
        if filter is not None:
            mine = (await info.context.current_user()).id if filter.mine else None
            tag = check_chars("tag", filter.tag).strip() if filter.tag is not None else None
            criteria = EventCriteria(tag=tag, search=check_search(filter.search), creator_id=mine)
        return await event_connection(info, criteria, first, after)
