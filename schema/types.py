"""Object types: User, Event, their connection (and how a page is built)."""

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, cast

import strawberry

from db.errors import InvalidInput
from db.events import EventCriteria, EventOrder, count_events, list_events, page_key
from db.models import Event as EventRow
from db.models import User as UserRow
from db.pagination import (
    AnyKeyset,
    Keyset,
    StartsKeyset,
    decode_cursor,
    decode_starts_cursor,
    encode_cursor,
)
from db.users import UserRecord
from graph.context import Info
from graph.limits import QueryLimits
from graph.permissions import IsEventHost, only_self
from schema.creators import CreatorLoad, preload_users, selects
from schema.enums import AttendanceStatus, EventStatus, Visibility
from schema.event_values import (
    MAX_DESCRIPTION,
    MAX_IMAGE_URL,
    MAX_LOCATION,
    MAX_TAG,
    MAX_TAGS,
    MAX_TITLE,
)
from schema.planning_facts import PlanningFacts, loading_facts, page_facts, selected_facts

if TYPE_CHECKING:
    from schema.planning_types import AttendeeConnection, InviteLink, Rsvp

DEFAULT_PAGE_SIZE = 20

# The page arguments of every event listing (Query.events, User.events).
First = Annotated[
    int | None,
    strawberry.argument(
        description=f"How many events: 1 to the server's maximum page size "
        f"({QueryLimits.max_page_size} unless configured otherwise); null means "
        f"{DEFAULT_PAGE_SIZE}. Outside that range: BAD_USER_INPUT (field first)."
    ),
]
After = Annotated[
    str | None,
    strawberry.argument(
        description="Start after this cursor (pageInfo.endCursor or an edge's cursor of "
        "the previous page); null starts at the newest event. A cursor this API did not "
        "give out: BAD_USER_INPUT (field after)."
    ),
]


@strawberry.type(
    description="A person with an account. Others see their displayName; the email only "
    "they themselves."
)
class User:
    id: strawberry.ID = strawberry.field(description="Stable for the account's lifetime.")
    # IsSelf (graph/permissions.py): null for everyone but the user themselves.
    email: str | None = strawberry.field(
        description="Only the user themselves sees their address (trimmed, lower-cased); "
        "null for everyone else (was String!).",
        extensions=[only_self()],
    )
    display_name: str = strawberry.field(description="What other people see.")
    created_at: datetime = strawberry.field(description="When the account was made (UTC).")
    row_id: strawberry.Private[uuid.UUID]
    # The row says whether the address is verified (a full row, not a UserRecord) and
    # the viewer is this user without a token saying so (signUp, verifyEmail).
    verified: strawberry.Private[bool | None] = None
    # True where the user is known to be the requester without a token (the payload of
    # signUp and signIn): IsSelf lets them see their own address there.
    is_viewer: strawberry.Private[bool] = False

    @classmethod
    def from_row(cls, row: UserRecord | UserRow, *, is_viewer: bool = False) -> "User":
        verified = row.email_verified_at is not None if isinstance(row, UserRow) else None
        return cls(
            id=strawberry.ID(str(row.id)),
            email=row.email,
            display_name=row.display_name,
            created_at=row.created_at,
            row_id=row.id,
            verified=verified,
            is_viewer=is_viewer,
        )

    @strawberry.field(
        description="Whether the user followed a verification link sent to their address. "
        "Null for everyone but the user themselves."
    )
    async def email_verified(self, info: Info) -> bool | None:
        if not self.is_viewer and info.context.known_user_id() != self.row_id:
            return None
        if self.verified is not None:
            return self.verified
        flows = info.context.services.account_mail
        return None if flows is None else await flows.is_verified(self.row_id)

    @strawberry.field(
        description="This user's events that the viewer can see, newest first (createdAt, then id)."
    )
    async def events(
        self, info: Info, first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> "EventConnection":
        viewer = await info.context.current_user()
        criteria = EventCriteria(viewer_id=viewer.id, creator_id=self.row_id)
        return await event_connection(info, criteria, first, after)


@strawberry.type(
    description="Something planned: what, where, when, with whom. Who sees it follows its "
    "visibility and status; its hosts change it; only its creator deletes it."
)
class Event:
    id: strawberry.ID = strawberry.field(description="Stable for the event's lifetime.")
    title: str = strawberry.field(description=f"1 to {MAX_TITLE} characters, trimmed.")
    description: str = strawberry.field(
        description=f"Up to {MAX_DESCRIPTION:,} characters, as written; may be empty."
    )
    image: str | None = strawberry.field(
        description=f"An http(s) URL of a picture (up to {MAX_IMAGE_URL:,} characters), or null."
    )
    tags: list[str] = strawberry.field(
        description=f"Up to {MAX_TAGS} distinct tags of 1 to {MAX_TAG} characters each, "
        "in the order given."
    )
    location: str = strawberry.field(
        description=f"Up to {MAX_LOCATION} characters, trimmed; may be empty."
    )
    starts_at: datetime | None = strawberry.field(
        description="When the event starts (UTC), or null when not set."
    )
    created_at: datetime = strawberry.field(
        description="When the event was created (UTC); listings are ordered by it."
    )
    updated_at: datetime = strawberry.field(
        description="When the event last changed (UTC); createdAt until the first update."
    )
    # A plain attribute holding the User, or a CreatorLoad that graphql-core awaits:
    # the speed-up of schema/creators.py.
    creator: User = strawberry.field(
        description="Who created the event: its first host, the only one who may delete it "
        "or change its hosts."
    )
    ends_at: datetime | None = strawberry.field(description="Not before startsAt; or null.")
    time_zone: str | None = strawberry.field(
        description='IANA time zone name the event is planned in, e.g. "Europe/Berlin"; null: UTC.'
    )
    visibility: Visibility = strawberry.field(
        description="PUBLIC: any signed-in user; PRIVATE: hosts, invited, answered."
    )
    status: EventStatus = strawberry.field(
        description="DRAFT: hosts only. CANCELLED: still visible, no new answers."
    )
    capacity: int | None = strawberry.field(
        description="Most people GOING at once; null: no limit."
    )
    # Plain attributes holding values (a page reads them at once) or Deferred loads
    # (schema/planning_facts.py).
    hosts: list[User] = strawberry.field(description="The creator first, then co-hosts.")
    attendee_count: int = strawberry.field(description="People GOING.")
    waitlist_count: int = strawberry.field(
        description="People waiting for a place (GOING on a full event)."
    )
    viewer_rsvp: Annotated["Rsvp", strawberry.lazy("schema.planning_types")] | None = (
        strawberry.field(description="The signed-in user's own answer, or null.")
    )
    viewer_is_host: bool = strawberry.field(
        description="Whether the signed-in user may change this event."
    )
    creator_id: strawberry.Private[uuid.UUID]
    event_key: strawberry.Private[uuid.UUID]

    @strawberry.field(
        description="Answers of one status in the order they arrived (for WAITLISTED: the "
        "line). Anyone who can see the event sees names; only hosts see emails."
    )
    async def attendees(
        self,
        info: Info,
        first: Annotated[
            int | None, strawberry.argument(description="How many: 1 to the maximum page size.")
        ] = 20,
        after: Annotated[
            str | None, strawberry.argument(description="Start after this cursor.")
        ] = None,
        status: Annotated[
            AttendanceStatus | None,
            strawberry.argument(description="Which answers (default GOING)."),
        ] = AttendanceStatus.GOING,
    ) -> Annotated["AttendeeConnection", strawberry.lazy("schema.planning_types")]:
        from schema.planning_types import attendee_connection

        chosen = AttendanceStatus.GOING if status is None else status
        return await attendee_connection(info, self.event_key, chosen.name, first, after)

    @strawberry.field(
        description="Hosts only (FORBIDDEN for others).", permission_classes=[IsEventHost]
    )
    async def invite_links(
        self, info: Info
    ) -> list[Annotated["InviteLink", strawberry.lazy("schema.planning_types")]]:
        from schema.planning_types import invite_links_of

        return await invite_links_of(info, self.event_key)

    @classmethod
    def from_row(
        cls, row: EventRow, creator: "User | CreatorLoad[User]", facts: PlanningFacts
    ) -> "Event":
        return cls(
            id=strawberry.ID(str(row.id)),
            title=row.title,
            description=row.description,
            image=row.image,
            tags=list(row.tags),
            location=row.location,
            starts_at=row.starts_at,
            created_at=row.created_at,
            updated_at=row.updated_at,
            creator=cast(User, creator),
            ends_at=row.ends_at,
            time_zone=row.time_zone,
            visibility=Visibility(row.visibility),
            status=EventStatus(row.status),
            capacity=row.capacity,
            hosts=cast(list[User], facts.hosts),
            attendee_count=cast(int, facts.attendee_count),
            waitlist_count=cast(int, facts.waitlist_count),
            viewer_rsvp=cast("Rsvp | None", facts.viewer_rsvp),
            viewer_is_host=cast(bool, facts.viewer_is_host),
            creator_id=row.creator_id,
            event_key=row.id,
        )

    @classmethod
    def loading_creator(
        cls, row: EventRow, info: Info, facts: PlanningFacts | None = None
    ) -> "Event":
        """The event, its creator (and planning facts unless given) loaded, batched,
        only if the query asks for them."""
        load = CreatorLoad(info.context.loaders.user_by_id, row.creator_id, User.from_row)
        return cls.from_row(row, load, facts or loading_facts(info, row.id))


# Cursors are encoded only when asked for: most queries read the nodes alone, and
# encoding one costs about as much as the rest of the edge.
def _edge_cursor(root: Any) -> str:
    return encode_cursor(root.key)


@strawberry.type(description="One event of a page, with the cursor that points at it.")
class EventEdge:
    cursor: str = strawberry.field(
        resolver=_edge_cursor,
        description="Opaque; pass it as `after` for the events that follow this one.",
    )
    node: Event = strawberry.field(description="The event.")
    key: strawberry.Private[AnyKeyset]


@strawberry.type(description="Where a page ends, and whether more follow.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether more follow this page.")
    end_key: strawberry.Private[AnyKeyset | None]

    @strawberry.field(
        description="The cursor of the page's last item, to pass as `after` for the next "
        "page; null when the page is empty."
    )
    def end_cursor(self) -> str | None:
        return None if self.end_key is None else encode_cursor(self.end_key)


@strawberry.type(description="A page of events, in the order asked for.")
class EventConnection:
    edges: list[EventEdge] = strawberry.field(description="This page's events, in order.")
    page_info: PageInfo = strawberry.field(description="How to ask for the next page.")
    criteria: strawberry.Private[EventCriteria]

    @strawberry.field(
        description="How many events match, across all pages (a second query: ask only "
        "when needed)."
    )
    async def total_count(self, info: Info) -> int:
        # Counted only when asked for: it is a second query.
        async with info.context.services.database.read() as session:
            return await count_events(session, self.criteria)


async def _events(info: Info, rows: list[EventRow]) -> list[Event]:
    """The page's events, with the planning facts the query selects read for the whole
    page (schema/planning_facts.py), and their creators loaded in one batch when the
    query asks for them (schema/creators.py); otherwise each loads its own if ever
    resolved."""
    if not rows:
        return []
    wanted = selected_facts(info)
    facts = await page_facts(info, rows, wanted) if wanted else {}
    preload = info.context.services.preload_creators
    creators: dict[uuid.UUID, User] = {}
    if preload and selects(info.selected_fields[0].selections, _CREATOR_PATH):
        loader = info.context.loaders.user_by_id
        found = await preload_users(loader, (row.creator_id for row in rows))
        creators = {ident: User.from_row(user) for ident, user in found.items()}
    return [
        Event.from_row(
            row, creators[row.creator_id], facts.get(row.id) or loading_facts(info, row.id)
        )
        if row.creator_id in creators
        else Event.loading_creator(row, info, facts.get(row.id))
        for row in rows
    ]


_CREATOR_PATH = ("edges", "node", "creator")


def page_size(info: Info, first: int | None) -> int:
    first = DEFAULT_PAGE_SIZE if first is None else first  # an explicit null: the default
    max_page_size = info.context.services.limits.max_page_size
    if not 1 <= first <= max_page_size:
        raise InvalidInput("first", f"first must be between 1 and {max_page_size}")
    return first


async def event_connection(
    info: Info, criteria: EventCriteria, first: int | None, after: str | None
) -> EventConnection:
    first = page_size(info, first)
    key: Keyset | StartsKeyset | None = None
    if after is not None:
        soonest = criteria.order == EventOrder.STARTS_SOONEST
        key = decode_starts_cursor(after) if soonest else decode_cursor(after)
    async with info.context.services.database.read() as session:
        page = await list_events(session, criteria, first, key)
    events = await _events(info, page.events)
    edges = [
        EventEdge(node=event, key=page_key(row, criteria.order))
        for row, event in zip(page.events, events, strict=True)
    ]
    return EventConnection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=page.has_next_page, end_key=edges[-1].key if edges else None
        ),
        criteria=criteria,
    )
