"""Answers (RSVPs): batch reads for a page of events, and the write path.

Writes to an event's answers run with the event row locked (db/events.lock_event:
SELECT ... FOR UPDATE on PostgreSQL; on SQLite every write transaction holds the
database's write lock from BEGIN IMMEDIATE), so they are serialised per event: the
count of GOING that decides between GOING and WAITLISTED is exact, and each answer's
arrival number comes from the event's own counter. Waitlist positions are derived
(how many WAITLISTED arrived no later), so nothing is ever renumbered.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, and_, delete, func, insert, or_, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from db.access_loss import access_before
from db.errors import InvalidInput
from db.live_changes import ATTENDANCE, record_change
from db.models import Event, Rsvp, User
from db.pagination import SequenceKeyset, StartsKeyset
from db.planning_values import Attendance
from db.users import UserRecord
from db.visibility import visible_to

RSVP = cast(Table, Rsvp.__table__)  # type: ignore[attr-defined]
EVENT = cast(Table, Event.__table__)  # type: ignore[attr-defined]
USER = cast(Table, User.__table__)  # type: ignore[attr-defined]
_AHEAD = RSVP.alias("ahead")


@dataclass(frozen=True, slots=True)
class Answer:
    event_id: uuid.UUID
    user_id: uuid.UUID
    status: str
    responded_at: datetime
    waitlist_position: int | None


def _position() -> ColumnElement[Any]:
    """1 for the first in line: WAITLISTED answers of the same event that arrived no
    later (the index ix_rsvp_event_status_arrival answers it); null unless WAITLISTED."""
    ahead = (
        select(func.count())
        .where(
            _AHEAD.c.event_id == RSVP.c.event_id,
            _AHEAD.c.status == Attendance.WAITLISTED.value,
            _AHEAD.c.arrival <= RSVP.c.arrival,
        )
        .scalar_subquery()
    )
    return ahead


_ANSWER_COLUMNS = (RSVP.c.event_id, RSVP.c.user_id, RSVP.c.status, RSVP.c.responded_at)


def _answer(row: Any) -> Answer:
    event_id, user_id, status, responded_at, position = row[:5]
    waiting = status == Attendance.WAITLISTED
    return Answer(event_id, user_id, status, responded_at, position if waiting else None)


async def answers_of_viewer(
    connection: AsyncConnection | AsyncSession, viewer_id: uuid.UUID, event_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Answer]:
    statement = select(*_ANSWER_COLUMNS, _position()).where(
        RSVP.c.user_id == viewer_id, RSVP.c.event_id.in_(event_ids)
    )
    return {row.event_id: _answer(row) for row in await connection.execute(statement)}


async def answer_counts(
    connection: AsyncConnection, event_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, tuple[int, int]]:
    """(GOING, WAITLISTED) per event, one grouped statement for the whole batch."""
    statement = (
        select(RSVP.c.event_id, RSVP.c.status, func.count())
        .where(
            RSVP.c.event_id.in_(event_ids),
            RSVP.c.status.in_([Attendance.GOING.value, Attendance.WAITLISTED.value]),
        )
        .group_by(RSVP.c.event_id, RSVP.c.status)
    )
    counts = {ident: [0, 0] for ident in event_ids}
    for event_id, status, count in await connection.execute(statement):
        counts[event_id][0 if status == Attendance.GOING else 1] = int(count)
    return {ident: (going, waiting) for ident, (going, waiting) in counts.items()}


@dataclass(frozen=True, slots=True)
class Attendee:
    user: UserRecord
    status: str
    responded_at: datetime
    arrival: int


async def attendees_page(
    connection: AsyncConnection,
    event_id: uuid.UUID,
    status: str,
    first: int,
    after: SequenceKeyset | None,
) -> tuple[list[Attendee], bool]:
    """Answers of one status in arrival order (for WAITLISTED: the line)."""
    statement = (
        select(
            USER.c.id,
            USER.c.email,
            USER.c.token_version,
            USER.c.created_at,
            USER.c.display_name,
            RSVP.c.status,
            RSVP.c.responded_at,
            RSVP.c.arrival,
        )
        .join(USER, USER.c.id == RSVP.c.user_id)
        .where(RSVP.c.event_id == event_id, RSVP.c.status == status)
    )
    if after is not None:
        statement = statement.where(RSVP.c.arrival > after.arrival)
    statement = statement.order_by(RSVP.c.arrival).limit(first + 1)
    rows = [
        Attendee(UserRecord(*row[:5]), row[5], row[6], row[7])
        for row in await connection.execute(statement)
    ]
    return rows[:first], len(rows) > first


async def count_attendees(connection: AsyncConnection, event_id: uuid.UUID, status: str) -> int:
    statement = select(func.count()).where(RSVP.c.event_id == event_id, RSVP.c.status == status)
    return int((await connection.execute(statement)).scalar_one())


def _my_answers(viewer_id: uuid.UUID) -> Any:
    return (
        select(*_ANSWER_COLUMNS, _position(), EVENT.c.starts_at)
        .join(EVENT, EVENT.c.id == RSVP.c.event_id)
        .where(RSVP.c.user_id == viewer_id, visible_to(viewer_id))
    )


async def my_answers_page(
    connection: AsyncConnection, viewer_id: uuid.UUID, first: int, after: StartsKeyset | None
) -> tuple[list[tuple[Answer, StartsKeyset]], bool]:
    """The viewer's answers on events they can see, soonest event first (undated last).
    One user's answers are few, so one ORDER BY over them all is fine here."""
    statement = _my_answers(viewer_id)
    starts = EVENT.c.starts_at
    if after is not None and after.starts_at is not None:
        statement = statement.where(
            or_(starts.is_(None), tuple_(starts, EVENT.c.id) > tuple_(after.starts_at, after.id))
        )
    elif after is not None:
        statement = statement.where(and_(starts.is_(None), EVENT.c.id > after.id))
    statement = statement.order_by(starts.is_(None), starts, EVENT.c.id).limit(first + 1)
    rows = [
        (_answer(row), StartsKeyset(row[5], row[0])) for row in await connection.execute(statement)
    ]
    return rows[:first], len(rows) > first


async def count_my_answers(connection: AsyncConnection, viewer_id: uuid.UUID) -> int:
    statement = select(func.count()).select_from(_my_answers(viewer_id).subquery())
    return int((await connection.execute(statement)).scalar_one())


# --- The write path: the caller holds the event's lock (db/events.lock_event). ---


async def going_count(session: AsyncSession, event_id: uuid.UUID) -> int:
    statement = select(func.count()).where(
        RSVP.c.event_id == event_id, RSVP.c.status == Attendance.GOING.value
    )
    return int((await session.execute(statement)).scalar_one())


async def _stored(session: AsyncSession, event_id: uuid.UUID, user_id: uuid.UUID) -> Any:
    statement = select(RSVP.c.status, RSVP.c.arrival).where(
        RSVP.c.event_id == event_id, RSVP.c.user_id == user_id
    )
    return (await session.execute(statement)).first()


async def answer(
    session: AsyncSession, event: Event, user_id: uuid.UUID, response: Attendance, now: datetime
) -> None:
    """Create or change the user's answer. GOING on a full event waits in line; a GOING
    answer changed to something else frees its place for the first in line. Answering
    as before changes nothing (a WAITLISTED GOING keeps its place)."""
    stored = await _stored(session, event.id, user_id)
    was = None if stored is None else stored.status
    if response == Attendance.GOING and was in (Attendance.GOING, Attendance.WAITLISTED):
        return
    if response == was:
        return
    status = response
    if response == Attendance.GOING:
        full = event.capacity is not None and await going_count(session, event.id) >= event.capacity
        status = Attendance.WAITLISTED if full else Attendance.GOING
    event.rsvp_sequence += 1
    session.add(event)
    await session.flush()
    values = {"status": status.value, "arrival": event.rsvp_sequence, "responded_at": now}
    if stored is None:
        await session.execute(insert(RSVP).values(event_id=event.id, user_id=user_id, **values))
    else:
        await session.execute(
            update(RSVP)
            .where(RSVP.c.event_id == event.id, RSVP.c.user_id == user_id)
            .values(**values)
        )
    if was == Attendance.GOING:
        await promote(session, event)
    await record_change(session, ATTENDANCE, event_id=event.id)


async def withdraw(session: AsyncSession, event: Event, user_id: uuid.UUID) -> bool:
    """Delete the user's answer; a freed place goes to the first in line."""
    stored = await _stored(session, event.id, user_id)
    if stored is None:
        return False
    # Their answer may be all that let them see a private event.
    before = await access_before(session, event, [user_id])
    await session.execute(
        delete(RSVP).where(RSVP.c.event_id == event.id, RSVP.c.user_id == user_id)
    )
    if stored.status == Attendance.GOING:
        await promote(session, event)
    await record_change(session, ATTENDANCE, event_id=event.id, before=before)
    return True


async def promote(session: AsyncSession, event: Event) -> int:
    """Move the first in line to GOING while places are free; returns how many moved."""
    waiting = RSVP.c.status == Attendance.WAITLISTED.value
    line = select(RSVP.c.user_id).where(RSVP.c.event_id == event.id, waiting)
    if event.capacity is not None:
        free = event.capacity - await going_count(session, event.id)
        if free <= 0:
            return 0
        line = line.order_by(RSVP.c.arrival).limit(free)
    movers = list((await session.execute(line)).scalars())
    if movers:
        await session.execute(
            update(RSVP)
            .where(RSVP.c.event_id == event.id, RSVP.c.user_id.in_(movers), waiting)
            .values(status=Attendance.GOING.value)
        )
    return len(movers)


async def check_capacity(session: AsyncSession, event_id: uuid.UUID, capacity: int | None) -> None:
    """A capacity below the number already GOING is refused: nobody is un-invited."""
    if capacity is None:
        return
    going = await going_count(session, event_id)
    if capacity < going:
        raise InvalidInput("capacity", f"Capacity cannot be below the {going} people already going")


async def events_answered_by(session: AsyncSession, user_id: uuid.UUID) -> list[uuid.UUID]:
    """Events of others where the user has an answer, whatever it is (account deletion
    withdraws each one, so its subscribers hear of it; the user's own events go whole)."""
    statement = (
        select(RSVP.c.event_id)
        .join(EVENT, EVENT.c.id == RSVP.c.event_id)
        .where(RSVP.c.user_id == user_id, EVENT.c.creator_id != user_id)
    )
    return sorted((await session.execute(statement)).scalars())
