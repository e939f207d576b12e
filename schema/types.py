"""Object types: User, Event, their connection (and how a page is built), AuthPayload."""

import uuid
from datetime import datetime
from typing import cast

import strawberry

from db.errors import InvalidInput
from db.events import EventCriteria, count_events, list_events
from db.models import Event as EventRow
from db.models import User as UserRow
from db.pagination import Keyset, decode_cursor, encode_cursor
from db.users import UserRecord
from graph.context import Info
from schema.creators import CreatorLoad, preload_users, selects

DEFAULT_PAGE_SIZE = 20


@strawberry.type(description="A person with an account.")
class User:
    id: strawberry.ID
    email: str
    created_at: datetime
    row_id: strawberry.Private[uuid.UUID]

    @classmethod
    def from_row(cls, row: UserRecord | UserRow) -> "User":
        return cls(
            id=strawberry.ID(str(row.id)), email=row.email, created_at=row.created_at, row_id=row.id
        )

    @strawberry.field(description="This user's events, newest first.")
    async def events(
        self, info: Info, first: int | None = 20, after: str | None = None
    ) -> "EventConnection":
        return await event_connection(info, EventCriteria(creator_id=self.row_id), first, after)


@strawberry.type(description="Something planned: what, where, when.")
class Event:
    id: strawberry.ID
    title: str
    description: str
    image: str | None = strawberry.field(description="An http(s) URL of a picture, or null.")
    tags: list[str]
    location: str
    starts_at: datetime | None
    created_at: datetime
    updated_at: datetime
    # A plain attribute holding the User, or a CreatorLoad that graphql-core awaits:
    # the speed-up of schema/creators.py.
    creator: User = strawberry.field(description="Who created the event.")
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


@strawberry.type
class EventEdge:
    cursor: str = strawberry.field(resolver=_edge_cursor)
    node: Event
    key: strawberry.Private[Keyset]


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_key: strawberry.Private[Keyset | None]

    @strawberry.field
    def end_cursor(self) -> str | None:
        return None if self.end_key is None else encode_cursor(self.end_key)


@strawberry.type(description="A page of events, newest first.")
class EventConnection:
    edges: list[EventEdge]
    page_info: PageInfo
    criteria: strawberry.Private[EventCriteria]

    @strawberry.field(description="How many events match, across all pages.")
    async def total_count(self, info: Info) -> int:
        # Counted only when asked for: it is a second query.
        async with info.context.services.database.read() as session:
            return await count_events(session, self.criteria)


@strawberry.type(description="What signUp, signIn, refreshToken and changePassword return.")
class AuthPayload:
    access_token: str = strawberry.field(
        description="Send as `Authorization: Bearer <accessToken>`."
    )
    token_type: str = strawberry.field(description='Always "bearer".')
    expires_in: int = strawberry.field(description="Seconds until accessToken expires.")
    user: User
    refresh_token: str = strawberry.field(
        description="Opaque; keep it safe and exchange it with refreshToken for a new pair. "
        "Each refresh token works once."
    )
    refresh_expires_in: int = strawberry.field(description="Seconds until refreshToken expires.")


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
