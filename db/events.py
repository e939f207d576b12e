"""Event queries: keyset pages, counts, and writes that keep EventTag in step."""

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, delete, exists, func, or_, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from db.access_loss import access_before
from db.errors import InvalidInput
from db.live_changes import ATTENDANCE, CANCELLED, CREATED, DELETED, UPDATED, record_change
from db.models import Event, EventHost, EventTag, Rsvp
from db.pagination import Keyset, StartsKeyset
from db.planning_values import ATTENDING, EventStatus, Visibility
from db.rsvps import check_capacity, promote
from db.types import utc_now
from db.visibility import is_host, visible_to


class EventOrder(StrEnum):
    NEWEST_FIRST = "NEWEST_FIRST"
    STARTS_SOONEST = "STARTS_SOONEST"


@dataclass(frozen=True)
class EventCriteria:
    """Which events a listing covers; None means no restriction. Every listing is
    limited to the events `viewer_id` may see (db/visibility.py)."""

    viewer_id: uuid.UUID | None = None
    tag: str | None = None
    search: str | None = None
    creator_id: uuid.UUID | None = None
    hosting: bool = False
    attending: bool = False
    starts_after: datetime | None = None
    starts_before: datetime | None = None
    status: str | None = None
    order: EventOrder = EventOrder.NEWEST_FIRST


@dataclass(frozen=True)
class EventPage:
    events: list[Event]
    has_next_page: bool


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _where(statement: Select[Any], criteria: EventCriteria) -> Select[Any]:
    statement = statement.where(visible_to(criteria.viewer_id))
    if criteria.creator_id is not None:
        statement = statement.where(col(Event.creator_id) == criteria.creator_id)
    if criteria.tag is not None:
        tagged = select(EventTag.event_id).where(col(EventTag.tag) == criteria.tag)
        statement = statement.where(col(Event.id).in_(tagged))
    if criteria.search:
        pattern = f"%{_escape_like(criteria.search)}%"
        statement = statement.where(
            or_(
                col(Event.title).ilike(pattern, escape="\\"),
                col(Event.description).ilike(pattern, escape="\\"),
            )
        )
    return _where_planning(statement, criteria)


def _where_planning(statement: Select[Any], criteria: EventCriteria) -> Select[Any]:
    viewer = criteria.viewer_id
    if criteria.hosting and viewer is not None:
        statement = statement.where(is_host(viewer))
    if criteria.attending and viewer is not None:
        statement = statement.where(
            exists().where(
                col(Rsvp.event_id) == col(Event.id),
                col(Rsvp.user_id) == viewer,
                col(Rsvp.status).in_([status.value for status in ATTENDING]),
            )
        )
    if criteria.starts_after is not None:
        statement = statement.where(col(Event.starts_at) >= criteria.starts_after)
    if criteria.starts_before is not None:
        statement = statement.where(col(Event.starts_at) < criteria.starts_before)
    if criteria.status is not None:
        statement = statement.where(col(Event.status) == criteria.status)
    return statement


async def list_events(
    session: AsyncSession,
    criteria: EventCriteria,
    first: int,
    after: Keyset | StartsKeyset | None,
) -> EventPage:
    """One row more than asked tells if more follow."""
    if criteria.order == EventOrder.STARTS_SOONEST:
        starts_after = after if isinstance(after, StartsKeyset) else None
        rows = await _starts_soonest(
            session, _where(select(Event), criteria), first + 1, starts_after
        )
    else:
        newest_after = after if isinstance(after, Keyset) else None
        rows = await _newest_first(
            session, _where(select(Event), criteria), first + 1, newest_after
        )
    return EventPage(events=rows[:first], has_next_page=len(rows) > first)


async def _newest_first(
    session: AsyncSession, statement: Select[Any], limit: int, after: Keyset | None
) -> list[Event]:
    """By (created_at, id) descending, on ix_event_created_at_id."""
    if after is not None:
        statement = statement.where(
            tuple_(col(Event.created_at), col(Event.id)) < tuple_(after.created_at, after.id)
        )
    statement = statement.order_by(col(Event.created_at).desc(), col(Event.id).desc())
    return list((await session.execute(statement.limit(limit))).scalars())


async def _starts_soonest(
    session: AsyncSession, statement: Select[Any], limit: int, after: StartsKeyset | None
) -> list[Event]:
    """Dated events by (starts_at, id), then undated ones by id: two index range scans
    on ix_event_starts_at_id (SQLite sorts NULLs first, PostgreSQL last, so one ORDER
    BY with NULLS LAST could not walk the index on both). The second statement runs
    only for the page where the dated events run out."""
    rows: list[Event] = []
    if after is None or after.starts_at is not None:
        dated = statement.where(col(Event.starts_at).is_not(None))
        if after is not None:
            dated = dated.where(
                tuple_(col(Event.starts_at), col(Event.id)) > tuple_(after.starts_at, after.id)
            )
        dated = dated.order_by(col(Event.starts_at), col(Event.id)).limit(limit)
        rows = list((await session.execute(dated)).scalars())
        if len(rows) >= limit:
            return rows
    undated = statement.where(col(Event.starts_at).is_(None))
    if after is not None and after.starts_at is None:
        undated = undated.where(col(Event.id) > after.id)
    undated = undated.order_by(col(Event.id)).limit(limit - len(rows))
    return rows + list((await session.execute(undated)).scalars())


def page_key(event: Event, order: EventOrder) -> Keyset | StartsKeyset:
    if order == EventOrder.STARTS_SOONEST:
        return StartsKeyset(event.starts_at, event.id)
    return Keyset(event.created_at, event.id)


async def count_events(session: AsyncSession, criteria: EventCriteria) -> int:
    statement = _where(select(func.count()).select_from(Event), criteria)
    return int((await session.execute(statement)).scalar_one())


async def event_matches(
    session: AsyncSession, event_id: uuid.UUID, criteria: EventCriteria
) -> bool:
    """Whether the events query with `criteria` would list this event (visibility and
    every filter): the filter of a live eventsChanged subscription."""
    statement = _where(select(col(Event.id)).where(col(Event.id) == event_id), criteria)
    return (await session.execute(statement)).first() is not None


async def get_event(session: AsyncSession, event_id: uuid.UUID) -> Event | None:
    return await session.get(Event, event_id)


async def events_by_ids(session: AsyncSession, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Event]:
    result = await session.execute(select(Event).where(col(Event.id).in_(ids)))
    return {event.id: event for event in result.scalars()}


async def create_event(
    session: AsyncSession, creator_id: uuid.UUID, values: Mapping[str, Any]
) -> Event:
    now = utc_now()
    event = Event(creator_id=creator_id, created_at=now, updated_at=now, **values)
    session.add(event)
    await session.flush()
    # The creator is the event's first host.
    session.add(EventHost(event_id=event.id, user_id=creator_id, added_at=now))
    await _replace_tags(session, event.id, event.tags)
    await record_change(session, CREATED, event_id=event.id, at=now)
    return event


async def lock_event(session: AsyncSession, event_id: uuid.UUID) -> Event | None:
    """The event row as stored now, locked until the transaction ends (PostgreSQL's
    FOR UPDATE; SQLite's write transactions hold the database's write lock anyway).
    Every change to an event's answers, hosts or links takes this lock first."""
    return await session.get(Event, event_id, with_for_update=True, populate_existing=True)


async def update_event(
    session: AsyncSession, event_id: uuid.UUID, changes: Mapping[str, Any]
) -> Event | None:
    """Apply `changes` (column name -> value); None when the event is gone."""
    event = await lock_event(session, event_id)
    if event is None:
        return None
    if "capacity" in changes:
        await check_capacity(session, event_id, changes["capacity"])
    kind = _change_kind(event, changes)
    # Before anything changes: who could see it, if this change may cut some off.
    before = await access_before(session, event, None) if _may_restrict(changes) else None
    for name, value in changes.items():
        setattr(event, name, value)
    check_times(event.starts_at, event.ends_at, "endsAt" if "ends_at" in changes else "startsAt")
    event.updated_at = utc_now()
    session.add(event)
    await session.flush()
    if "tags" in changes:
        await _replace_tags(session, event.id, event.tags)
    if "capacity" in changes:  # raised or lifted: the first in line take the new places
        await promote(session, event)
    await record_change(session, kind, event_id=event.id, at=event.updated_at, before=before)
    return event


def _may_restrict(changes: Mapping[str, Any]) -> bool:
    """Whether the edit may leave someone unable to see the event (db/access_loss.py)."""
    return (
        changes.get("status") == EventStatus.DRAFT.value
        or changes.get("visibility") == Visibility.PRIVATE.value
    )


def _change_kind(event: Event, changes: Mapping[str, Any]) -> str:
    """What subscribers are told: CANCELLED when the status becomes CANCELLED,
    ATTENDANCE when only the capacity moves, UPDATED otherwise."""
    cancelled = EventStatus.CANCELLED.value
    if changes.get("status") == cancelled and event.status != cancelled:
        return CANCELLED
    if set(changes) == {"capacity"}:
        return ATTENDANCE
    return UPDATED


def check_times(starts_at: datetime | None, ends_at: datetime | None, field: str) -> None:
    if starts_at is not None and ends_at is not None and ends_at < starts_at:
        raise InvalidInput(field, "endsAt must not be before startsAt")


async def delete_event(session: AsyncSession, event_id: uuid.UUID) -> bool:
    # Locked first, so the deletion notice names who could see the event as it went.
    if await lock_event(session, event_id) is None:
        return False
    await record_change(session, DELETED, event_id=event_id)
    result = await session.execute(delete(Event).where(col(Event.id) == event_id))
    return bool(getattr(result, "rowcount", 0))


async def record_deletions_by(session: AsyncSession, creator_id: uuid.UUID) -> None:
    """Deletion notices for every event of a user whose account is being deleted (the
    foreign keys then delete the events themselves)."""
    statement = select(col(Event.id)).where(col(Event.creator_id) == creator_id)
    for event_id in (await session.execute(statement)).scalars().all():
        await record_change(session, DELETED, event_id=event_id)


async def _replace_tags(session: AsyncSession, event_id: uuid.UUID, tags: Sequence[str]) -> None:
    await session.execute(delete(EventTag).where(col(EventTag.event_id) == event_id))
    session.add_all(EventTag(event_id=event_id, tag=tag) for tag in tags)
    await session.flush()
