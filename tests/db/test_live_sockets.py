"""db/live_sockets.py on both databases: a user's sockets counted across workers,
released on close, and a dead worker's rows no longer counted once stale."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from db.engine import Database
from db.live_models import LiveSocket
from db.live_sockets import STALE_AFTER, claim_socket, keep_alive, release_sockets
from db.types import utc_now
from db.users import create_user


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    db = Database(database_url)
    yield db
    await db.dispose()


async def _user(database: Database) -> uuid.UUID:
    async with database.write() as session:
        return (await create_user(session, f"{uuid.uuid4().hex}@example.com", "x")).id


async def _rows(database: Database) -> int:
    async with database.read() as session:
        return int(await session.scalar(select(func.count()).select_from(LiveSocket)) or 0)


async def test_a_user_holds_at_most_the_limit_across_workers(database: Database) -> None:
    ada, bob = await _user(database), await _user(database)
    one, two = uuid.uuid4(), uuid.uuid4()
    now = utc_now()
    first = await claim_socket(database, ada, one, 2, now)
    second = await claim_socket(database, ada, two, 2, now)
    assert first is not None and second is not None
    assert await claim_socket(database, ada, one, 2, now) is None
    assert await claim_socket(database, ada, two, 2, now) is None
    assert await claim_socket(database, bob, one, 2, now) is not None  # not ada's count
    await release_sockets(database, [second])
    assert await claim_socket(database, ada, two, 2, now) is not None


async def test_simultaneous_claims_never_pass_the_limit(database: Database) -> None:
    ada = await _user(database)
    now = utc_now()
    claims = await asyncio.gather(
        *(claim_socket(database, ada, uuid.uuid4(), 3, now) for _ in range(12))
    )
    assert sum(claim is not None for claim in claims) == 3


async def test_a_dead_workers_rows_stop_counting_once_stale(database: Database) -> None:
    ada = await _user(database)
    dead, alive = uuid.uuid4(), uuid.uuid4()
    start = utc_now()
    assert await claim_socket(database, ada, dead, 2, start) is not None
    assert await claim_socket(database, ada, alive, 2, start) is not None
    later = start + STALE_AFTER + timedelta(seconds=1)
    # The live worker refreshed its row; the dead one could not.
    await keep_alive(database, alive, later - timedelta(seconds=5))
    assert await claim_socket(database, ada, alive, 2, later) is not None
    assert await claim_socket(database, ada, alive, 2, later) is None
    # The next heartbeat deletes the stale row.
    await keep_alive(database, alive, later)
    assert await _rows(database) == 2
