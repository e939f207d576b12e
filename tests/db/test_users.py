"""db/users.py: the per-request user read (find_user_by_id), on both databases, the
event-loop reader it uses on SQLite, and the unique email."""

import asyncio
import sqlite3
import uuid

import pytest
from sqlalchemy import update

from db.engine import Database
from db.models import User
from db.users import EmailTaken, UserRecord, create_user, find_user, find_user_by_id


async def _new_user(database: Database, email: str = "ann@example.com") -> uuid.UUID:
    async with database.write() as session:
        return (await create_user(session, email, "hash")).id


async def _through_sqlalchemy(database: Database, user_id: uuid.UUID) -> UserRecord | None:
    async with database.connect() as connection:
        return await find_user(connection, user_id)


async def test_same_record_as_the_sqlalchemy_read(database_url: str) -> None:
    database = Database(database_url)
    try:
        user_id = await _new_user(database)

        found = await find_user_by_id(database, user_id)

        assert found is not None
        assert found == await _through_sqlalchemy(database, user_id)
        assert (found.id, found.email, found.token_version) == (user_id, "ann@example.com", 0)
        assert found.created_at.tzinfo is not None
        assert await find_user_by_id(database, uuid.uuid4()) is None
    finally:
        await database.dispose()


async def test_a_committed_change_is_seen_at_once(database: Database) -> None:
    """Token revocation relies on it: the reader is a connection of its own."""
    user_id = await _new_user(database)
    assert (await find_user_by_id(database, user_id)) is not None
    async with database.write() as session:
        await session.execute(update(User).values(token_version=User.token_version + 1))

    found = await find_user_by_id(database, user_id)

    assert found is not None and found.token_version == 1


async def test_the_loop_reader_never_waits_and_cannot_write(database: Database) -> None:
    reader = database.loop_reader()
    assert reader is not None

    assert reader.connection.execute("PRAGMA busy_timeout").fetchone() == (0,)

    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        reader.connection.execute("DELETE FROM user_account")


async def test_no_loop_reader_for_memory_databases() -> None:
    database = Database("sqlite:///:memory:")
    try:
        assert database.loop_reader() is None
    finally:
        await database.dispose()


async def test_a_locked_database_does_not_block_the_event_loop(database: Database) -> None:
    """A writer holding an exclusive lock: the loop reader gives up at once and the
    read waits on aiosqlite's thread instead, while the event loop keeps running."""
    user_id = await _new_user(database)
    assert database.url.database is not None
    await database.dispose()  # no open connections, so the holder can take the lock
    holder = sqlite3.connect(database.url.database, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("UPDATE user_account SET token_version = 5")  # takes the lock, keeps it

    lookup = asyncio.create_task(find_user_by_id(database, user_id))
    ticks = 0
    for _ in range(5):
        await asyncio.sleep(0.02)
        ticks += 1
    assert ticks == 5 and not lookup.done()  # the loop ran; the read is waiting
    holder.close()  # releases the lock
    found = await asyncio.wait_for(lookup, timeout=20)

    assert found is not None and found.token_version == 5


async def test_dispose_closes_the_loop_reader(database: Database) -> None:
    reader = database.loop_reader()
    assert reader is not None

    await database.dispose()

    with pytest.raises(sqlite3.ProgrammingError):
        reader.connection.execute("SELECT 1")


async def test_a_taken_email_raises_and_keeps_the_transaction_usable(database: Database) -> None:
    await _new_user(database, "a@example.com")
    with pytest.raises(EmailTaken):
        async with database.write() as session:
            await create_user(session, "a@example.com", "hash")
