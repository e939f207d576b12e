"""Who may see an event, as SQL: the one predicate every list of events uses (events,
totalCount, User.events, myRsvps; later the subscription fan-out), so that a list never
fetches rows it then has to hide.

The same rule for one event at a time is auth/event_policy.can_see_event, over the
facts db/event_access.py reads; tests/api/test_visibility.py checks that both agree.

- DRAFT: its hosts only, whatever the visibility.
- PUBLIC (published or cancelled): every signed-in user.
- PRIVATE: its hosts, people who accepted one of its invite links, people with an answer.
"""

import uuid
from collections.abc import Collection

from sqlalchemy import ColumnElement, and_, exists, or_, union
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import Mapped
from sqlmodel import col, select

from db.models import Event, EventHost, InviteAcceptance, Rsvp, User
from db.planning_values import EventStatus, Visibility

# A viewer: a user id, or a column of user ids (the fan-out decides for many at once).
Viewer = uuid.UUID | ColumnElement[uuid.UUID] | Mapped[uuid.UUID]

# Each subquery correlates to the outer event only (correlate_except): a query that
# itself reads answers (myRsvps) must not have its rsvp table taken for the subquery's.


def is_host(viewer_id: Viewer) -> ColumnElement[bool]:
    return (
        exists()
        .where(col(EventHost.event_id) == col(Event.id), col(EventHost.user_id) == viewer_id)
        .correlate_except(EventHost)
    )


def has_accepted_invite(viewer_id: Viewer) -> ColumnElement[bool]:
    return (
        exists()
        .where(
            col(InviteAcceptance.event_id) == col(Event.id),
            col(InviteAcceptance.user_id) == viewer_id,
        )
        .correlate_except(InviteAcceptance)
    )


def has_answered(viewer_id: Viewer) -> ColumnElement[bool]:
    return (
        exists()
        .where(col(Rsvp.event_id) == col(Event.id), col(Rsvp.user_id) == viewer_id)
        .correlate_except(Rsvp)
    )


def open_to_all(status: str, visibility: str) -> bool:
    """The rule's first branch for one stored event: every signed-in user may see it."""
    return status != EventStatus.DRAFT.value and visibility == Visibility.PUBLIC.value


def visible_to(viewer_id: Viewer | None) -> ColumnElement[bool]:
    """Events `viewer_id` may see. None: only what every signed-in user sees (public,
    not draft); the shipped schema always has a viewer, only the bench's open schema
    (bench/open_schema.py) lists without one."""
    published = col(Event.status) != EventStatus.DRAFT.value
    if viewer_id is None:
        return and_(published, col(Event.visibility) == Visibility.PUBLIC.value)
    # The plain column test first: most visible events are public, and the database
    # then skips the subqueries for them.
    return or_(
        and_(published, col(Event.visibility) == Visibility.PUBLIC.value),
        is_host(viewer_id),
        and_(published, or_(has_accepted_invite(viewer_id), has_answered(viewer_id))),
    )


async def viewers_who_see(
    handle: AsyncConnection | AsyncSession, event_id: uuid.UUID, viewer_ids: Collection[uuid.UUID]
) -> set[uuid.UUID]:
    """Which of `viewer_ids` may see the event now: the rule above for all of them in
    one statement (the live fan-out asks once per change, not once per subscriber)."""
    if not viewer_ids:
        return set()
    statement = (
        select(col(User.id))
        .select_from(User)
        .join(Event, col(Event.id) == event_id)
        .where(col(User.id).in_(list(viewer_ids)), visible_to(col(User.id)))
    )
    return set((await handle.execute(statement)).scalars())


async def audience_of(
    handle: AsyncConnection | AsyncSession, event_id: uuid.UUID
) -> list[str] | None:
    """Who may see the event now, for its deletion notice: None when every signed-in
    user may (published and public), else the ids of the few who may (only its hosts,
    invitees and people with an answer can see a draft or private event)."""
    row = (
        await handle.execute(
            select(col(Event.status), col(Event.visibility)).where(col(Event.id) == event_id)
        )
    ).first()
    if row is None:
        return []
    if open_to_all(row[0], row[1]):
        return None
    candidates = union(
        select(col(EventHost.user_id)).where(col(EventHost.event_id) == event_id),
        select(col(InviteAcceptance.user_id)).where(col(InviteAcceptance.event_id) == event_id),
        select(col(Rsvp.user_id)).where(col(Rsvp.event_id) == event_id),
    )
    statement = (
        select(col(User.id))
        .select_from(User)
        .join(Event, col(Event.id) == event_id)
        .where(col(User.id).in_(candidates), visible_to(col(User.id)))
    )
    return sorted(str(user_id) for user_id in (await handle.execute(statement)).scalars())
