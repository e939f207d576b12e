"""Object types of planning together: answers (Rsvp, Attendee), their connections, and
invite links."""

import uuid
from datetime import datetime

import strawberry

from db.errors import NotFound
from db.invites import links_of_event
from db.models import InviteLink as InviteLinkRow
from db.pagination import (
    SequenceKeyset,
    StartsKeyset,
    decode_sequence_cursor,
    decode_starts_cursor,
)
from db.rsvps import Answer, attendees_page, count_attendees, count_my_answers, my_answers_page
from graph.context import Info
from graph.permissions import EVENT_NOT_FOUND, only_hosts_else_null
from schema.enums import AttendanceStatus
from schema.types import Event, PageInfo, User, _edge_cursor, page_size


@strawberry.type(description="One user's answer to one event.")
class Rsvp:
    status: AttendanceStatus = strawberry.field(description="The answer as it stands.")
    waitlist_position: int | None = strawberry.field(
        description="1 for the first in line while WAITLISTED; null otherwise."
    )
    responded_at: datetime = strawberry.field(description="When the answer was last given.")
    event_key: strawberry.Private[uuid.UUID]
    user_key: strawberry.Private[uuid.UUID]

    @classmethod
    def from_answer(cls, answer: Answer) -> "Rsvp":
        return cls(
            status=AttendanceStatus(answer.status),
            waitlist_position=answer.waitlist_position,
            responded_at=answer.responded_at,
            event_key=answer.event_id,
            user_key=answer.user_id,
        )

    @strawberry.field(description="The event answered.")
    async def event(self, info: Info) -> Event:
        row = await info.context.loaders.event_by_id.load(self.event_key)
        if row is None:  # deleted meanwhile
            raise NotFound(EVENT_NOT_FOUND)
        return Event.loading_creator(row, info)

    @strawberry.field(description="Who answered.")
    async def user(self, info: Info) -> User:
        row = await info.context.loaders.user_by_id.load(self.user_key)
        if row is None:
            raise NotFound("User not found")
        return User.from_row(row)


@strawberry.type(description="One answer of a page, with its cursor.")
class RsvpEdge:
    cursor: str = strawberry.field(resolver=_edge_cursor, description="Opaque; pass as `after`.")
    node: Rsvp = strawberry.field(description="The answer.")
    key: strawberry.Private[StartsKeyset]


@strawberry.type(description="A page of the signed-in user's answers, soonest event first.")
class RsvpConnection:
    edges: list[RsvpEdge] = strawberry.field(description="This page's answers.")
    page_info: PageInfo = strawberry.field(description="How to ask for the next page.")
    viewer_id: strawberry.Private[uuid.UUID]

    @strawberry.field(description="How many answers, across all pages.")
    async def total_count(self, info: Info) -> int:
        async with info.context.services.database.connect() as connection:
            return await count_my_answers(connection, self.viewer_id)


async def rsvp_connection(info: Info, first: int | None, after: str | None) -> RsvpConnection:
    size = page_size(info, first)
    key = None if after is None else decode_starts_cursor(after)
    viewer = await info.context.current_user()
    async with info.context.services.database.connect() as connection:
        rows, more = await my_answers_page(connection, viewer.id, size, key)
    edges = [RsvpEdge(node=Rsvp.from_answer(answer), key=key) for answer, key in rows]
    end = edges[-1].key if edges else None
    return RsvpConnection(
        edges=edges, page_info=PageInfo(has_next_page=more, end_key=end), viewer_id=viewer.id
    )


@strawberry.type(description="Someone who answered an event.")
class Attendee:
    user: User = strawberry.field(description="Who answered.")
    status: AttendanceStatus = strawberry.field(description="The answer as it stands.")
    responded_at: datetime = strawberry.field(description="When the answer was last given.")
    email: str | None = strawberry.field(
        description="Hosts see the address; null for everyone else.",
        extensions=[only_hosts_else_null()],
    )
    event_key: strawberry.Private[uuid.UUID]


@strawberry.type(description="One attendee of a page, with its cursor.")
class AttendeeEdge:
    cursor: str = strawberry.field(resolver=_edge_cursor, description="Opaque; pass as `after`.")
    node: Attendee = strawberry.field(description="The attendee.")
    key: strawberry.Private[SequenceKeyset]


@strawberry.type(description="A page of an event's answers of one status, in arrival order.")
class AttendeeConnection:
    edges: list[AttendeeEdge] = strawberry.field(description="This page's attendees.")
    page_info: PageInfo = strawberry.field(description="How to ask for the next page.")
    event_key: strawberry.Private[uuid.UUID]
    status_value: strawberry.Private[str]

    @strawberry.field(description="How many answers of this status, across all pages.")
    async def total_count(self, info: Info) -> int:
        async with info.context.services.database.connect() as connection:
            return await count_attendees(connection, self.event_key, self.status_value)


async def attendee_connection(
    info: Info, event_id: uuid.UUID, status: str, first: int | None, after: str | None
) -> AttendeeConnection:
    size = page_size(info, first)
    key = None if after is None else decode_sequence_cursor(after)
    async with info.context.services.database.connect() as connection:
        rows, more = await attendees_page(connection, event_id, status, size, key)
    edges = [
        AttendeeEdge(
            node=Attendee(
                user=User.from_row(row.user),
                status=AttendanceStatus(row.status),
                responded_at=row.responded_at,
                email=row.user.email,
                event_key=event_id,
            ),
            key=SequenceKeyset(row.arrival),
        )
        for row in rows
    ]
    end = edges[-1].key if edges else None
    return AttendeeConnection(
        edges=edges,
        page_info=PageInfo(has_next_page=more, end_key=end),
        event_key=event_id,
        status_value=status,
    )


@strawberry.type(description="A link (code) that lets people see and answer an event.")
class InviteLink:
    id: strawberry.ID = strawberry.field(description="The link's id (for revokeInviteLink).")
    max_uses: int | None = strawberry.field(description="Null: unlimited.")
    uses: int = strawberry.field(description="How many people accepted it.")
    expires_at: datetime = strawberry.field(description="When it stops working (UTC).")
    revoked: bool = strawberry.field(description="Whether a host revoked it.")
    created_at: datetime = strawberry.field(description="When it was made (UTC).")

    @classmethod
    def from_row(cls, row: InviteLinkRow) -> "InviteLink":
        return cls(
            id=strawberry.ID(str(row.id)),
            max_uses=row.max_uses,
            uses=row.uses,
            expires_at=row.expires_at,
            revoked=row.revoked_at is not None,
            created_at=row.created_at,
        )


@strawberry.type(description="A new invite link and its code, shown only this once.")
class NewInviteLink:
    code: str = strawberry.field(description="Give this to people; it is not shown again.")
    link: InviteLink = strawberry.field(description="The link, as inviteLinks lists it.")


async def invite_links_of(info: Info, event_id: uuid.UUID) -> list[InviteLink]:
    async with info.context.services.database.read() as session:
        rows = await links_of_event(session, event_id)
    return [InviteLink.from_row(row) for row in rows]
