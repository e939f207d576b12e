"""Hosts of events: the batch read behind Event.hosts, and adding/removing co-hosts."""

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlmodel import col

from db.models import Event, EventHost, User
from db.users import UserRecord


async def hosts_of_events(
    connection: AsyncConnection, event_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[UserRecord]]:
    """Each event's hosts, its creator first, then co-hosts in the order they were added."""
    statement = (
        select(
            col(EventHost.event_id),
            col(User.id),
            col(User.email),
            col(User.token_version),
            col(User.created_at),
            col(User.display_name),
        )
        .join(User, col(User.id) == col(EventHost.user_id))
        .join(Event, col(Event.id) == col(EventHost.event_id))
        .where(col(EventHost.event_id).in_(event_ids))
        .order_by(
            col(EventHost.event_id),
            (col(EventHost.user_id) != col(Event.creator_id)),
            col(EventHost.added_at),
            col(EventHost.user_id),
        )
    )
    found: dict[uuid.UUID, list[UserRecord]] = {ident: [] for ident in event_ids}
    for event_id, ident, email, version, created_at, name in await connection.execute(statement):
        found[event_id].append(UserRecord(ident, email, version, created_at, name))
    return found


async def add_host(
    session: AsyncSession, event_id: uuid.UUID, user_id: uuid.UUID, now: datetime
) -> None:
    """Idempotent: a host added twice stays one host (the caller holds the event lock)."""
    if await session.get(EventHost, (event_id, user_id)) is None:
        session.add(EventHost(event_id=event_id, user_id=user_id, added_at=now))
        await session.flush()


async def remove_host(session: AsyncSession, event_id: uuid.UUID, user_id: uuid.UUID) -> None:
    await session.execute(
        delete(EventHost).where(
            col(EventHost.event_id) == event_id, col(EventHost.user_id) == user_id
        )
    )


async def events_co_hosted_by(session: AsyncSession, user_id: uuid.UUID) -> list[uuid.UUID]:
    """Events the user co-hosts (not their own)."""
    statement = (
        select(col(EventHost.event_id))
        .join(Event, col(Event.id) == col(EventHost.event_id))
        .where(col(EventHost.user_id) == user_id, col(Event.creator_id) != user_id)
    )
    return sorted((await session.execute(statement)).scalars())
