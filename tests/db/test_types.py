"""db/types.py: UTCDateTime stores aware UTC times and gives them back aware, on a
real database (through db/events.py, the tables that use it)."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from db.engine import Database
from db.events import create_event, get_event
from db.users import create_user


async def make_user(database: Database) -> uuid.UUID:
    async with database.write() as session:
        return (await create_user(session, "a@example.com", "hash")).id


async def test_times_come_back_aware_and_utc(database: Database) -> None:
    creator = await make_user(database)
    starts = datetime(2030, 1, 1, 12, tzinfo=UTC) + timedelta(microseconds=5)
    async with database.write() as session:
        event = await create_event(session, creator, {"title": "t", "starts_at": starts})
    async with database.read() as session:
        stored = await get_event(session, event.id)
    assert stored is not None
    assert stored.starts_at == starts and stored.starts_at.tzinfo is not None
    assert stored.created_at.utcoffset() == timedelta(0)


async def test_naive_datetimes_are_refused(database: Database) -> None:
    creator = await make_user(database)
    with pytest.raises(Exception, match="naive"):
        async with database.write() as session:
            await create_event(session, creator, {"title": "t", "starts_at": datetime(2030, 1, 1)})
