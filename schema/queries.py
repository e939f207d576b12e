"""The Query root. Every field needs a signed-in user."""

import dataclasses
from typing import Annotated

import strawberry

from auth.event_policy import can_see_event
from db.events import EventCriteria
from db.events import EventOrder as RowOrder
from db.ids import parse_id
from graph.context import Info
from graph.permissions import IsAuthenticated
from schema.enums import EventOrder, EventStatus
from schema.event_values import check_chars, check_search
from schema.inputs import EventFilter
from schema.planning_types import RsvpConnection, rsvp_connection
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
        return User.from_row(await info.context.current_user(), is_viewer=True)

    @strawberry.field(
        description="One event, or null when there is none the viewer can see with this id.",
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
        if event_id is None:
            return None
        loaders = info.context.loaders
        access = await loaders.event_access.load(event_id)
        if access is None or not can_see_event(access):  # invisible is nonexistent
            return None
        row = await loaders.event_by_id.load(event_id)
        return None if row is None else Event.loading_creator(row, info)

    @strawberry.field(
        description="All events the viewer can see, newest first (createdAt, then id) unless "
        "orderBy says otherwise.",
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
        order_by: Annotated[
            EventOrder | None,
            strawberry.argument(
                description="NEWEST_FIRST (default) or STARTS_SOONEST; a cursor belongs to "
                "one order (another order's cursor: BAD_USER_INPUT)."
            ),
        ] = EventOrder.NEWEST_FIRST,
    ) -> EventConnection:
        viewer = await info.context.current_user()
        order = RowOrder((order_by or EventOrder.NEWEST_FIRST).name)
        criteria = EventCriteria(viewer_id=viewer.id, order=order)
        if filter is not None:
            criteria = filtered_criteria(criteria, filter)
        return await event_connection(info, criteria, first, after)

    @strawberry.field(
        description="The signed-in user's own answers, soonest event first.",
        permission_classes=[IsAuthenticated],
    )
    async def my_rsvps(
        self, info: Info, first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> RsvpConnection:
        return await rsvp_connection(info, first, after)


def filtered_criteria(criteria: EventCriteria, filter: EventFilter) -> EventCriteria:
    viewer = criteria.viewer_id
    tag = check_chars("tag", filter.tag).strip() if filter.tag is not None else None
    status: EventStatus | None = filter.status
    return dataclasses.replace(
        criteria,
        tag=tag,
        search=check_search(filter.search),
        creator_id=viewer if filter.mine else None,
        hosting=bool(filter.hosting),
        attending=bool(filter.attending),
        starts_after=filter.starts_after,
        starts_before=filter.starts_before,
        status=None if status is None else status.name,
    )
