"""Event queries: keyset pages, counts, and writes that keep EventTag in step."""

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, delete, func, or_, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from db.models import Event, EventHost, EventTag
from db.pagination import Keyset
from db.types import utc_now


@dataclass(frozen=True)
class EventCriteria:
    """Which events a listing covers; None means no restriction."""

    tag: str | None = None
    search: str | None = None
    creator_id: uuid.UUID | None = None


@dataclass(frozen=True)
class EventPage:
    events: list[Event]
    has_next_page: bool


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _where(statement: Select[Any], criteria: EventCriteria) -> Select[Any]:
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
    return statement


async def list_events(
    session: AsyncSession, criteria: EventCriteria, first: int, after: Keyset | None
) -> EventPage:
    """Newest first by (created_at, id); one row more than asked tells if more follow."""
    statement = _where(select(Event), criteria)
    if after is not None:
        statement = statement.where(
            tuple_(col(Event.created_at), col(Event.id)) < tuple_(after.created_at, after.id)
        )
    statement = statement.order_by(col(Event.created_at).desc(), col(Event.id).desc())
    rows = list((await session.execute(statement.limit(first + 1))).scalars())
    return EventPage(events=rows[:first], has_next_page=len(rows) > first)


async def count_events(session: AsyncSession, criteria: EventCriteria) -> int:
    statement = _where(select(func.count()).select_from(Event), criteria)
    return int((await session.execute(statement)).scalar_one())


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
    return event


async def update_event(
    session: AsyncSession, event_id: uuid.UUID, changes: Mapping[str, Any]
) -> Event | None:
    """Apply `changes` (column name -> value); None when the event is gone."""
    event = await session.get(Event, event_id, with_for_update=True)
    if event is None:
        return None
    for name, value in changes.items():
        setattr(event, name, value)
    event.updated_at = utc_now()
    session.add(event)
    await session.flush()
    if "tags" in changes:
        await _replace_tags(session, event.id, event.tags)
    return event


async def delete_event(session: AsyncSession, event_id: uuid.UUID) -> bool:
    result = await session.execute(delete(Event).where(col(Event.id) == event_id))
    return bool(getattr(result, "rowcount", 0))


async def _replace_tags(session: AsyncSession, event_id: uuid.UUID, tags: Sequence[str]) -> None:
    await session.execute(delete(EventTag).where(col(EventTag.event_id) == event_id))
    session.add_all(EventTag(event_id=event_id, tag=tag) for tag in tags)
    await session.flush()
