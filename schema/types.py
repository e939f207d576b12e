"""Object types: User, Event, their connection (and how a page is built)."""

import uuid
from datetime import datetime
from typing import Annotated, cast

import strawberry

from db.errors import InvalidInput
from db.events import EventCriteria, count_events, list_events
from db.models import Event as EventRow
from db.models import User as UserRow
from db.pagination import Keyset, decode_cursor, encode_cursor
from db.users import UserRecord
from graph.context import Info
from graph.limits import QueryLimits
from schema.creators import CreatorLoad, preload_users, selects
from schema.event_values import (
    MAX_DESCRIPTION,
    MAX_IMAGE_URL,
    MAX_LOCATION,
    MAX_TAG,
    MAX_TAGS,
    MAX_TITLE,
)

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
    description="A person with an account. Any signed-in user sees the users who created "
    "the events they see."
)
class User:
    id: strawberry.ID = strawberry.field(description="Stable for the account's lifetime.")
    email: str = strawberry.field(
        description="The sign-in email, trimmed and lower-cased; visible to every signed-in user."
    )
    created_at: datetime = strawberry.field(description="When the account was made (UTC).")
    row_id: strawberry.Private[uuid.UUID]
    # The row says whether the address is verified (a full row, not a UserRecord) and
    # the viewer is this user without a token saying so (signUp, verifyEmail).
    verified: strawberry.Private[bool | None] = None
    is_viewer: strawberry.Private[bool] = False

    @classmethod
    def from_row(cls, row: UserRecord | UserRow, *, is_viewer: bool = False) -> "User":
        verified = row.email_verified_at is not None if isinstance(row, UserRow) else None
        return cls(
            id=strawberry.ID(str(row.id)),
            email=row.email,
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
        description="This user's events, newest first (createdAt, then id); every signed-in "
        "user may list them."
    )
    async def events(
        self, info: Info, first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> "EventConnection":
        return await event_connection(info, EventCriteria(creator_id=self.row_id), first, after)


@strawberry.type(
    description="Something planned: what, where, when. Every signed-in user sees every "
    "event; only its creator may change or delete it."
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
        description="Who created the event: the only user who may change or delete it."
    )
    creator_id: strawberry.Private[uuid.UUID]

    @classmethod
    def from_row(cls, row: EventRow, creator: "User | CreatorLoad[User]") -> "Event":
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
            creator_id=row.creator_id,
        )

    @classmethod
    def loading_creator(cls, row: EventRow, info: Info) -> "Event":
        """The event, its creator loaded (batched) only if the query asks for it."""
        load = CreatorLoad(info.context.loaders.user_by_id, row.creator_id, User.from_row)
        return cls.from_row(row, load)


# Cursors are encoded only when asked for: most queries read the nodes alone, and
# encoding one costs about as much as the rest of the edge.
def _edge_cursor(root: "EventEdge") -> str:
    return encode_cursor(root.key)


@strawberry.type(description="One event of a page, with the cursor that points at it.")
class EventEdge:
    cursor: str = strawberry.field(
        resolver=_edge_cursor,
        description="Opaque; pass it as `after` for the events that follow this one.",
    )
    node: Event = strawberry.field(description="The event.")
    key: strawberry.Private[Keyset]


@strawberry.type(description="Where a page ends, and whether more events follow.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether more events follow this page.")
    end_key: strawberry.Private[Keyset | None]

    @strawberry.field(
        description="The cursor of the page's last event, to pass as `after` for the next "
        "page; null when the page is empty."
    )
    def end_cursor(self) -> str | None:
        return None if self.end_key is None else encode_cursor(self.end_key)


@strawberry.type(description="A page of events, newest first.")
class EventConnection:
    edges: list[EventEdge] = strawberry.field(description="This page's events, newest first.")
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
    """The page's events, with their creators loaded in one batch when the query asks
    for them (schema/creators.py); otherwise each loads its own if ever resolved."""
    preload = info.context.services.preload_creators
    if not rows or not preload or not selects(info.selected_fields[0].selections, _CREATOR_PATH):
        return [Event.loading_creator(row, info) for row in rows]
    loader = info.context.loaders.user_by_id
    found = await preload_users(loader, (row.creator_id for row in rows))
    creators = {ident: User.from_row(user) for ident, user in found.items()}
    return [
        Event.from_row(row, creators[row.creator_id])
        if row.creator_id in creators
        else Event.loading_creator(row, info)
        for row in rows
    ]


_CREATOR_PATH = ("edges", "node", "creator")


async def event_connection(
    info: Info, criteria: EventCriteria, first: int | None, after: str | None
) -> EventConnection:
    first = DEFAULT_PAGE_SIZE if first is None else first  # an explicit null: the default
    max_page_size = info.context.services.limits.max_page_size
    if not 1 <= first <= max_page_size:
        raise InvalidInput("first", f"first must be between 1 and {max_page_size}")
    key = None if after is None else decode_cursor(after)
    async with info.context.services.database.read() as session:
        page = await list_events(session, criteria, first, key)
    events = await _events(info, page.events)
    edges = [
        EventEdge(node=event, key=Keyset(row.created_at, row.id))
        for row, event in zip(page.events, events, strict=True)
    ]
    return EventConnection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=page.has_next_page, end_key=edges[-1].key if edges else None
        ),
        criteria=criteria,
    )
