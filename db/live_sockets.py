"""Who holds how many subscription sockets, across every worker and instance.

MAX_CONNECTIONS_PER_USER is a limit per user, so the count lives in the database that
all workers share: a row per open socket (db/live_models.LiveSocket), claimed when a
socket is accepted and released when it closes. A worker that dies cannot release its
rows, so each worker refreshes the rows it holds every HEARTBEAT_SECONDS, and a row
not refreshed for STALE_AFTER stops counting (and is deleted by the next heartbeat of
any worker).
"""

import uuid
from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy import Select, delete, func, select, update
from sqlmodel import col

from db.engine import Database
from db.live_models import LiveSocket
from db.users import get_user_for_update

HEARTBEAT_SECONDS = 30.0
STALE_AFTER = timedelta(seconds=3 * HEARTBEAT_SECONDS)


async def count_sockets(database: Database, user_id: uuid.UUID, now: datetime) -> int:
    async with database.read() as session:
        held = await session.scalar(_held(user_id, now))
        return held or 0


def _held(user_id: uuid.UUID, now: datetime) -> Select[int]:
    """How many counted (not stale) sockets the user holds."""
    return (
        select(func.count())
        .select_from(LiveSocket)
        .where(col(LiveSocket.user_id) == user_id, col(LiveSocket.seen_at) >= now - STALE_AFTER)
    )


async def claim_socket(
    database: Database, user_id: uuid.UUID, worker: uuid.UUID, limit: int, now: datetime
) -> uuid.UUID | None:
    """A new socket's row, or None when the user already holds `limit` sockets."""
    async with database.write() as session:
        # Claims of one user wait for each other (PostgreSQL; SQLite's writes are
        # serialised anyway): two sockets opened at once cannot both take the last place.
        await get_user_for_update(session, user_id)
        held = await session.scalar(_held(user_id, now))
        if (held or 0) >= limit:
            return None
        row = LiveSocket(user_id=user_id, worker=worker, seen_at=now)
        session.add(row)
        return row.id


async def release_sockets(database: Database, socket_ids: Collection[uuid.UUID]) -> None:
    if not socket_ids:
        return
    async with database.write() as session:
        await session.execute(delete(LiveSocket).where(col(LiveSocket.id).in_(list(socket_ids))))


async def keep_alive(database: Database, worker: uuid.UUID, now: datetime) -> None:
    """Refresh the rows of this worker's open sockets; delete the stale rows of all."""
    async with database.write() as session:
        await session.execute(
            update(LiveSocket).where(col(LiveSocket.worker) == worker).values(seen_at=now)
        )
        await session.execute(delete(LiveSocket).where(col(LiveSocket.seen_at) < now - STALE_AFTER))
