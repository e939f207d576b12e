"""Mutations of planning together: profile, answers, hosts, invite links.

Who may ask is decided by the permission classes (graph/permissions.py): an event the
viewer may not see answers NOT_FOUND exactly as an unknown id; hosts-only and
creator-only changes answer FORBIDDEN to the others who can see it.
"""

import uuid
from typing import Annotated

import strawberry

from db.errors import Forbidden, NotFound
from db.ids import parse_id
from db.planning_values import Attendance
from graph.context import Info
from graph.permissions import (
    EVENT_NOT_FOUND,
    CanSeeEvent,
    HasVerifiedEmail,
    IsAuthenticated,
    IsEventCreator,
    IsEventHost,
    event_access,
)
from schema.enums import RsvpResponse
from schema.planning_types import InviteLink, NewInviteLink, Rsvp
from schema.types import Event, User

DEFAULT_EXPIRES_IN_HOURS = 168
LINK_NOT_FOUND = "Invite link not found"

EventId = Annotated[
    strawberry.ID,
    strawberry.argument(
        description="The event's id; one the viewer cannot see answers NOT_FOUND, as an "
        "unknown one."
    ),
]
UserId = Annotated[
    strawberry.ID, strawberry.argument(description="The user's id; unknown: NOT_FOUND.")
]


def event_uuid(value: strawberry.ID) -> uuid.UUID:
    """The permission classes have found the event; this only parses the id again."""
    parsed = parse_id(value)
    if parsed is None:
        raise NotFound(EVENT_NOT_FOUND)
    return parsed


def _user_id(value: strawberry.ID) -> uuid.UUID:
    parsed = parse_id(value)
    if parsed is None:
        raise NotFound("User not found")
    return parsed


@strawberry.type
class PlanningMutations:
    @strawberry.mutation(
        description="Change the signed-in user's display name (1 to 60 characters).",
        permission_classes=[IsAuthenticated],
    )
    async def update_profile(
        self,
        info: Info,
        display_name: Annotated[
            str, strawberry.argument(description="1 to 60 characters after trimming.")
        ],
    ) -> User:
        user = await info.context.current_user()
        stored = await info.context.services.accounts.update_profile(user, display_name)
        return User.from_row(stored, is_viewer=True)

    @strawberry.mutation(
        description="Answer for the signed-in user; GOING on a full event puts them on the "
        'waitlist. With REQUIRE_VERIFIED_EMAIL, an unverified user: FORBIDDEN "Verify your '
        'email address first".',
        permission_classes=[IsAuthenticated, HasVerifiedEmail, CanSeeEvent],
    )
    async def rsvp(
        self,
        info: Info,
        event_id: EventId,
        response: Annotated[RsvpResponse, strawberry.argument(description="The answer.")],
    ) -> Rsvp:
        user = await info.context.current_user()
        planning = info.context.services.planning
        answer = await planning.answer(user.id, event_uuid(event_id), Attendance(response.name))
        return Rsvp.from_answer(answer)

    @strawberry.mutation(
        description="Withdraw the signed-in user's answer; the first waitlisted person moves "
        "up. True if there was one.",
        permission_classes=[IsAuthenticated, CanSeeEvent],
    )
    async def cancel_rsvp(self, info: Info, event_id: EventId) -> bool:
        user = await info.context.current_user()
        return await info.context.services.planning.withdraw(user.id, event_uuid(event_id))

    @strawberry.mutation(
        description="Hosts only: take someone off the attendee list. True if they had an answer.",
        permission_classes=[IsAuthenticated, IsEventHost],
    )
    async def remove_attendee(self, info: Info, event_id: EventId, user_id: UserId) -> bool:
        planning = info.context.services.planning
        return await planning.remove_attendee(event_uuid(event_id), _user_id(user_id))

    @strawberry.mutation(
        description="The creator only. Co-hosts may edit, invite and see attendee emails; not "
        "delete or manage hosts. A co-host must be someone who can see the event.",
        permission_classes=[IsAuthenticated, IsEventCreator],
    )
    async def add_co_host(self, info: Info, event_id: EventId, user_id: UserId) -> Event:
        planning = info.context.services.planning
        row = await planning.add_co_host(event_uuid(event_id), _user_id(user_id))
        return Event.loading_creator(row, info)

    @strawberry.mutation(
        description="The creator only: remove a co-host.",
        permission_classes=[IsAuthenticated, IsEventCreator],
    )
    async def remove_co_host(self, info: Info, event_id: EventId, user_id: UserId) -> Event:
        planning = info.context.services.planning
        row = await planning.remove_co_host(event_uuid(event_id), _user_id(user_id))
        return Event.loading_creator(row, info)

    @strawberry.mutation(
        description="Hosts only. The code is shown once, here; it is stored as a digest. "
        "maxUses null: unlimited; expiresInHours 1 to 8760.",
        permission_classes=[IsAuthenticated, IsEventHost],
    )
    async def create_invite_link(
        self,
        info: Info,
        event_id: EventId,
        max_uses: Annotated[
            int | None, strawberry.argument(description="At least 1; null: unlimited.")
        ] = None,
        expires_in_hours: Annotated[
            int | None, strawberry.argument(description="1 to 8760 (a year); null: 168.")
        ] = DEFAULT_EXPIRES_IN_HOURS,
    ) -> NewInviteLink:
        hours = DEFAULT_EXPIRES_IN_HOURS if expires_in_hours is None else expires_in_hours
        invites = info.context.services.invites
        new = await invites.create(event_uuid(event_id), max_uses, hours)
        return NewInviteLink(code=new.code, link=InviteLink.from_row(new.link))

    @strawberry.mutation(
        description="Hosts only: the link stops working. True also when it was revoked before.",
        permission_classes=[IsAuthenticated],
    )
    async def revoke_invite_link(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The link's id.")],
    ) -> bool:
        link_id = parse_id(id)
        if link_id is None:
            raise NotFound(LINK_NOT_FOUND)
        invites = info.context.services.invites
        event_id = await invites.event_of_link(link_id)
        try:  # the link of an event the viewer cannot see does not exist for them either
            access = await event_access(None, info, {"event_id": event_id})
        except NotFound:
            raise NotFound(LINK_NOT_FOUND) from None
        if not access.is_host:
            raise Forbidden(IsEventHost.message)
        await invites.revoke(link_id)
        return True

    @strawberry.mutation(
        description="Lets the signed-in user see the (private) event the code belongs to, and "
        "answer it. An unknown, expired, revoked or used-up code: BAD_USER_INPUT (field "
        "code), one message for all. With REQUIRE_VERIFIED_EMAIL, an unverified user: "
        'FORBIDDEN "Verify your email address first".',
        permission_classes=[IsAuthenticated, HasVerifiedEmail],
    )
    async def accept_invite(
        self,
        info: Info,
        code: Annotated[
            str,
            strawberry.argument(
                description="The code createInviteLink gave, or the #token= fragment of a "
                "link inviteByEmail mailed."
            ),
        ],
    ) -> Event:
        user = await info.context.current_user()
        context = info.context
        event_id = await context.services.invites.accept(user.id, code, context.client_address)
        row = await context.loaders.event_by_id.load(event_id)
        if row is None:  # deleted just now
            raise NotFound(EVENT_NOT_FOUND)
        return Event.loading_creator(row, info)
