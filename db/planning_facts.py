"""A page of events' planning facts in one statement: answer counts, the viewer's own
answer and whether they host, and how many co-hosts each has (so that the hosts of
the many events run by their creator alone need no read of their own).

Built once with bound parameters: building the expression tree per request cost
more than running it.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, case, exists, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from db.models import Event, EventHost, Rsvp
from db.planning_values import Attendance
from db.rsvps import Answer

_EVENT = cast(Table, Event.__table__)  # type: ignore[attr-defined]
_RSVP = cast(Table, Rsvp.__table__)  # type: ignore[attr-defined]
_HOST = cast(Table, EventHost.__table__)  # type: ignore[attr-defined]
_MINE = _RSVP.alias("mine")
_AHEAD = _RSVP.alias("ahead_of_mine")


@dataclass(frozen=True, slots=True)
class EventFacts:
    going: int
    waitlisted: int
    viewer_is_host: bool
    co_hosts: int
    viewer_answer: Answer | None


def _count(status: Attendance) -> Any:
    return (
        select(func.count())
        .select_from(_RSVP)
        .where(_RSVP.c.event_id == _EVENT.c.id, _RSVP.c.status == status.value)
        .correlate(_EVENT)
        .scalar_subquery()
    )


def _statement() -> Any:
    viewer = bindparam("viewer_id", type_=_HOST.c.user_id.type)
    hosting = (
        exists().where(_HOST.c.event_id == _EVENT.c.id, _HOST.c.user_id == viewer).correlate(_EVENT)
    )
    co_hosts = (
        select(func.count())
        .select_from(_HOST)
        .where(_HOST.c.event_id == _EVENT.c.id, _HOST.c.user_id != _EVENT.c.creator_id)
        .correlate(_EVENT)
        .scalar_subquery()
    )
    ahead = (  # 1 for the first in line (as db/rsvps.py counts waitlist positions)
        select(func.count())
        .select_from(_AHEAD)
        .where(
            _AHEAD.c.event_id == _MINE.c.event_id,
            _AHEAD.c.status == Attendance.WAITLISTED.value,
            _AHEAD.c.arrival <= _MINE.c.arrival,
        )
        .correlate(_MINE)
        .scalar_subquery()
    )
    position = case((_MINE.c.status == Attendance.WAITLISTED.value, ahead), else_=None)
    mine = and_(_MINE.c.event_id == _EVENT.c.id, _MINE.c.user_id == viewer)
    return (
        select(
            _EVENT.c.id,
            _count(Attendance.GOING),
            _count(Attendance.WAITLISTED),
            hosting,
            co_hosts,
            _MINE.c.status,
            _MINE.c.responded_at,
            position,
        )
        .select_from(_EVENT.outerjoin(_MINE, mine))
        .where(_EVENT.c.id.in_(bindparam("event_ids", expanding=True)))
    )


_FACTS = _statement()


async def planning_facts(
    connection: AsyncConnection, viewer_id: uuid.UUID | None, event_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, EventFacts]:
    """Each existing event's facts; `viewer_id` None: no viewer (no answer, no host)."""
    result = await connection.execute(
        _FACTS, {"viewer_id": viewer_id, "event_ids": list(event_ids)}
    )
    found: dict[uuid.UUID, EventFacts] = {}
    for ident, going, waitlisted, hosting, co_hosts, status, responded_at, position in result:
        answer = None
        if status is not None and viewer_id is not None:
            answer = Answer(ident, viewer_id, status, responded_at, position)
        found[ident] = EventFacts(int(going), int(waitlisted), bool(hosting), int(co_hosts), answer)
    return found
