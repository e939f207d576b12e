"""The Subscription root: live changes to events, over graphql-transport-ws at /graphql
or streamed over HTTP (graph/live_socket.py and graph/live_http.py authenticate them;
graph/live_hub.py decides and fans out each change; docs/LIVE.md)."""

from collections.abc import AsyncGenerator
from datetime import datetime
from enum import Enum
from typing import Annotated

import strawberry

from db.errors import NotFound, Overflowed
from db.events import EventCriteria
from db.ids import parse_id
from graph.context import Info
from graph.live_hub import Delivery, LiveHub, Overflow
from graph.live_hub import Subscription as LiveSubscription
from graph.permissions import EVENT_NOT_FOUND, CanSeeEvent, IsAuthenticated
from schema.inputs import EventFilter
from schema.queries import filtered_criteria
from schema.types import Event


@strawberry.enum(description="What happened to an event.")
class EventChangeKind(Enum):
    CREATED = strawberry.enum_value("CREATED", description="The event was created.")
    UPDATED = strawberry.enum_value(
        "UPDATED", description="Its fields, status (other than to CANCELLED) or hosts changed."
    )
    CANCELLED = strawberry.enum_value("CANCELLED", description="Its status became CANCELLED.")
    DELETED = strawberry.enum_value("DELETED", description="It was deleted; `event` is null.")
    ATTENDANCE = strawberry.enum_value(
        "ATTENDANCE",
        description="Its answers changed: an answer given, changed or withdrawn, an attendee "
        "removed, someone moved up from the waitlist, or the capacity changed.",
    )
    ACCESS_LOST = strawberry.enum_value(
        "ACCESS_LOST",
        description="The viewer can no longer see it (it became PRIVATE or DRAFT, or they "
        "were removed); `event` is null and nothing more about it follows.",
    )


@strawberry.type(description="One change to an event, as the receiving viewer may see it.")
class EventChange:
    kind: EventChangeKind = strawberry.field(description="What happened.")
    event_id: strawberry.ID = strawberry.field(description="The event it happened to.")
    event: Event | None = strawberry.field(
        description="The event as the viewer sees it now; null after DELETED or ACCESS_LOST."
    )
    at: datetime = strawberry.field(description="When the change was committed.")


SubscribedEventId = Annotated[
    strawberry.ID,
    strawberry.argument(
        description="The event's id; one the viewer cannot see: NOT_FOUND on this operation."
    ),
]


def _hub(info: Info) -> LiveHub:
    hub = info.context.services.live
    if hub is None:  # an app composed without live updates (e.g. a bench variant)
        raise NotFound("Live updates are not available on this server")
    return hub


async def _changes(info: Info, subscription: LiveSubscription) -> AsyncGenerator[EventChange, None]:
    while True:
        # A socket lives long: each delivery reads through fresh loaders, never through
        # what an earlier one (or the permission check) cached, and none are held while
        # the subscription waits.
        info.context.fresh_loaders()
        item = await subscription.queue.get()
        if isinstance(item, Overflow):
            raise Overflowed()
        yield _as_graphql(info, item)
        if subscription.ended and subscription.queue.empty():
            return


def _as_graphql(info: Info, delivery: Delivery) -> EventChange:
    event = None if delivery.event is None else Event.loading_creator(delivery.event, info)
    return EventChange(
        kind=EventChangeKind[delivery.kind],
        event_id=strawberry.ID(str(delivery.event_id)),
        event=event,
        at=delivery.at,
    )


@strawberry.type(
    description="Live changes, over graphql-transport-ws at /graphql, or streamed over HTTP "
    "(POST /graphql with Accept: multipart/mixed;subscriptionSpec=1.0). The access token "
    'goes in the connection_init payload, {"Authorization": "Bearer <accessToken>"}, or in '
    "the request's Authorization header. When the token stops working the socket closes "
    'with 4403 and the query message ("Token expired", "Token revoked", ...); a stream '
    "ends with that message as its last error."
)
class Subscription:
    @strawberry.subscription(
        description="Changes to one event the viewer can see.",
        permission_classes=[IsAuthenticated, CanSeeEvent],
    )
    async def event_changed(
        self, info: Info, id: SubscribedEventId
    ) -> AsyncGenerator[EventChange, None]:
        viewer = await info.context.current_user()
        event_id = parse_id(id)
        if event_id is None:
            raise NotFound(EVENT_NOT_FOUND)
        with _hub(info).subscribe(viewer.id, event_id=event_id) as subscription:
            async for change in _changes(info, subscription):
                yield change

    @strawberry.subscription(
        description="Changes to every event the viewer can see (matching the filter).",
        permission_classes=[IsAuthenticated],
    )
    async def events_changed(
        self,
        info: Info,
        filter: Annotated[
            EventFilter | None,
            strawberry.argument(
                description="Only the events that meet every condition given, as in the "
                "events query; null: all."
            ),
        ] = None,
    ) -> AsyncGenerator[EventChange, None]:
        viewer = await info.context.current_user()
        criteria = None
        if filter is not None:
            criteria = filtered_criteria(EventCriteria(viewer_id=viewer.id), filter)
        with _hub(info).subscribe(viewer.id, criteria=criteria) as subscription:
            async for change in _changes(info, subscription):
                yield change
