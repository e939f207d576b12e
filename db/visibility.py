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

from sqlalchemy import ColumnElement, and_, exists, or_
from sqlmodel import col

from db.models import Event, EventHost, InviteAcceptance, Rsvp
from db.planning_values import EventStatus, Visibility

# Each subquery correlates to the outer event only (correlate_except): a query that
# itself reads answers (myRsvps) must not have its rsvp table taken for the subquery's.


def is_host(viewer_id: uuid.UUID) -> ColumnElement[bool]:
    return (
        exists()
        .where(col(EventHost.event_id) == col(Event.id), col(EventHost.user_id) == viewer_id)
        .correlate_except(EventHost)
    )


def has_accepted_invite(viewer_id: uuid.UUID) -> ColumnElement[bool]:
    return (
        exists()
        .where(
            col(InviteAcceptance.event_id) == col(Event.id),
            col(InviteAcceptance.user_id) == viewer_id,
        )
        .correlate_except(InviteAcceptance)
    )


def has_answered(viewer_id: uuid.UUID) -> ColumnElement[bool]:
    return (
        exists()
        .where(col(Rsvp.event_id) == col(Event.id), col(Rsvp.user_id) == viewer_id)
        .correlate_except(Rsvp)
    )


def visible_to(viewer_id: uuid.UUID | None) -> ColumnElement[bool]:
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
