"""Pool settings from the environment, the statement timeout, WAL on a new SQLite file
opened by several instances at once, and the database-level
guarantee that an email is unique whatever its case (on SQLite and PostgreSQL)."""

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import text

from app.services import build_database
from app.settings import Settings
from db.engine import Database, PoolSettings
from db.users import EmailTaken, create_user
from tests.databases import sqlite_url


def test_pool_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://app@db.invalid/planner")
    monkeypatch.setenv("DB_POOL_SIZE", "3")
    monkeypatch.setenv("DB_POOL_TIMEOUT", "4.5")
    monkeypatch.setenv("DB_CONNECT_TIMEOUT", "1.5")
    monkeypatch.setenv("DB_COMMAND_TIMEOUT", "7")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    database = build_database(settings)
    pool = database.engine.pool
    assert pool.size() == 3  # type: ignore[attr-defined]
    assert pool.timeout() == 4.5  # type: ignore[attr-defined]
    assert settings.db_connect_timeout == 1.5
    assert settings.db_command_timeout == 7


async def test_a_stuck_statement_is_cut_by_the_command_timeout(
    database_kind: str, database_url: str
) -> None:
    if database_kind != "postgresql":
        pytest.skip("SQLite runs in-process: no server statement to time out")
    database = Database(database_url, PoolSettings(command_timeout_seconds=0.5))
    try:
        with pytest.raises(TimeoutError):
            async with database.engine.connect() as connection:
                await connection.exec_driver_sql("SELECT pg_sleep(30)")
        await database.ping()  # the pool is usable again at once
    finally:
        await database.dispose()


async def test_email_is_unique_whatever_its_case(database_url: str) -> None:
    database = Database(database_url)
    try:
        async with database.write() as session:
            await create_user(session, "ada@example.com", "hash")
        # Bypassing the normalisation in auth/: the index on lower(email) still refuses.
        with pytest.raises(EmailTaken):
            async with database.write() as session:
                await create_user(session, "ADA@Example.com", "hash")
    finally:
        await database.dispose()


async def test_instances_opening_a_new_sqlite_file_at_once_all_get_wal(tmp_path: Path) -> None:
    """Switching a new file to WAL needs it to itself; the losers of that race are told
    "database is locked" at once (no busy wait) and must try again, not fail."""
    for attempt in range(5):
        url = sqlite_url(tmp_path / f"new-{attempt}.db")
        instances = [Database(url) for _ in range(6)]
        try:
            await asyncio.gather(*(instance.ping() for instance in instances))
            async with instances[0].connect() as connection:
                mode = (await connection.execute(text("PRAGMA journal_mode"))).scalar()
        finally:
            await asyncio.gather(*(instance.dispose() for instance in instances))
        assert mode == "wal"
