"""The SQLite engine with fewer thread hand-offs still commits, rolls back and reads."""

import asyncio
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncConnection

from db.engine import Database
from db.sqlite_driver import LeanConnection
from db.users import create_user, get_user_by_email


class Boom(Exception):
    pass


async def test_a_failed_write_rolls_back_and_a_good_one_commits(database):
    with pytest.raises(Boom):
        async with database.write() as session:
            await create_user(session, "gone@example.com", "hash")
            raise Boom()
    async with database.write() as session:
        await create_user(session, "kept@example.com", "hash")

    async with database.read() as session:
        assert await get_user_by_email(session, "gone@example.com") is None
        kept = await get_user_by_email(session, "kept@example.com")
    assert kept is not None and kept.email == "kept@example.com"


async def test_connections_go_back_to_the_pool_without_an_open_transaction(database):
    for _ in range(3):
        async with database.read() as session:
            await get_user_by_email(session, "nobody@example.com")
        async with database.write() as session:
            await create_user(session, f"u{_}@example.com", "hash")

    async with database.engine.connect() as connection:
        raw = await connection.get_raw_connection()
        assert raw.driver_connection is not None
        assert not raw.driver_connection._conn.in_transaction


async def _add_users(database: Database, count: int) -> None:
    async with database.write() as session:
        for n in range(count):
            await create_user(session, f"u{n}@example.com", "hash")


async def _driver_connection(connection: AsyncConnection) -> LeanConnection:
    raw = await connection.get_raw_connection()
    driver = raw.driver_connection
    assert isinstance(driver, LeanConnection)
    return driver


async def test_a_query_and_its_rows_take_one_trip_to_the_connection_thread(database):
    await _add_users(database, 3)
    async with database.connect() as connection:
        driver = await _driver_connection(connection)
        trips = 0
        run_on_thread: Any = driver._execute  # aiosqlite's private, unannotated hand-off

        async def counted(fn: Any, *args: Any, **kwargs: Any) -> Any:
            nonlocal trips
            trips += 1
            return await run_on_thread(fn, *args, **kwargs)

        driver._execute = counted  # type: ignore[method-assign]
        try:
            result = await connection.exec_driver_sql(
                "SELECT email FROM user_account ORDER BY email"
            )
            emails = [row.email for row in result]
        finally:
            del driver._execute
    assert emails == ["u0@example.com", "u1@example.com", "u2@example.com"]
    assert trips == 1


async def test_prefetched_rows_come_out_once_by_fetchone_fetchmany_and_fetchall(database):
    await _add_users(database, 5)
    async with database.connect() as connection:
        driver = await _driver_connection(connection)
        cursor = await driver.cursor()
        await cursor.execute("SELECT email FROM user_account ORDER BY email")
        assert await cursor.fetchone() == ("u0@example.com",)
        assert await cursor.fetchmany(2) == [("u1@example.com",), ("u2@example.com",)]
        assert await cursor.fetchall() == [("u3@example.com",), ("u4@example.com",)]
        assert await cursor.fetchall() == []
        assert await cursor.fetchone() is None
        await cursor.execute("UPDATE user_account SET token_version = 1")  # no rows to fetch
        assert cursor.rowcount == 5
        assert await cursor.fetchall() == []
        await cursor.close()


async def test_the_pool_keeps_the_connections_a_burst_opened(database):
    """Closing and reopening SQLite connections under load costs a thread each time."""
    opened = 0

    @event.listens_for(database.engine.sync_engine, "connect")
    def count(*_args: object) -> None:
        nonlocal opened
        opened += 1

    async def hold() -> None:
        async with database.connect() as connection:
            await connection.exec_driver_sql("SELECT 1")
            await asyncio.sleep(0.05)

    for _ in range(3):
        await asyncio.gather(*(hold() for _ in range(12)))
    assert opened == 12
