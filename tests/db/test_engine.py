"""Pool settings from the environment, the statement timeout, and the database-level
guarantee that an email is unique whatever its case (on SQLite and PostgreSQL)."""

import pytest

from db.engine import Database, PoolSettings
from db.users import EmailTaken, create_user
from main import Settings, build_database


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
