"""Migrations: equal to the models, applied by `python main.py migrate`, and required
before the app serves (on SQLite and on PostgreSQL)."""

import asyncio
import os
import re
import subprocess
import sys
import warnings

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from app.settings import PROJECT_DIR, Settings
from db.engine import Database
from db.migrations import (
    MIGRATE_COMMAND,
    DatabaseBehind,
    alembic_config,
    code_heads,
    schema_state,
    upgrade_to_head,
)
from main import create_app
from tests.settings import TEST_SECRET, make_settings


def _diff(connection: Connection) -> list[object]:
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "compare_server_default": True}
    )
    with warnings.catch_warnings():
        # SQLite cannot reflect expression indexes (lower(email)); alembic says so and
        # skips them there. PostgreSQL compares them.
        warnings.filterwarnings("ignore", message=".*expression-based index.*")
        return list(compare_metadata(context, SQLModel.metadata))


async def test_migrations_create_exactly_the_models(empty_database_url: str) -> None:
    database = Database(empty_database_url)
    try:
        await upgrade_to_head(database)
        async with database.engine.connect() as connection:
            diff = await connection.run_sync(_diff)
        state = await schema_state(database)
    finally:
        await database.dispose()
    assert diff == [], "models and migrations differ; run `alembic revision --autogenerate`"
    assert state.is_current
    assert state.current == code_heads()


async def test_upgrade_twice_is_a_no_op(empty_database_url: str) -> None:
    database = Database(empty_database_url)
    try:
        await upgrade_to_head(database)
        await upgrade_to_head(database)
        assert (await schema_state(database)).is_current
    finally:
        await database.dispose()


async def test_instances_migrating_at_once_take_turns(empty_database_url: str) -> None:
    first, second = Database(empty_database_url), Database(empty_database_url)
    try:
        await asyncio.gather(upgrade_to_head(first), upgrade_to_head(second))
        assert (await schema_state(first)).is_current
    finally:
        await first.dispose()
        await second.dispose()


def _settings(url: str) -> Settings:
    return make_settings(url)


async def test_app_refuses_a_database_without_schema(empty_database_url: str) -> None:
    app = create_app(_settings(empty_database_url))
    with pytest.raises(DatabaseBehind) as refused:
        async with app.router.lifespan_context(app):
            pytest.fail("the app started on an unmigrated database")
    assert MIGRATE_COMMAND in str(refused.value)
    assert "behind" in str(refused.value)


def _downgrade_one(connection: Connection) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.downgrade(config, "-1")


async def test_app_refuses_a_database_one_migration_behind(empty_database_url: str) -> None:
    # Its own database: the shared one of this run must keep its schema.
    database_url = empty_database_url
    database = Database(database_url)
    try:
        await upgrade_to_head(database)
        async with database.begin_write() as connection:
            await connection.run_sync(_downgrade_one)
        assert (await schema_state(database)).is_behind
    finally:
        await database.dispose()
    app = create_app(_settings(database_url))
    with pytest.raises(DatabaseBehind, match=re.escape(MIGRATE_COMMAND)):
        async with app.router.lifespan_context(app):
            pytest.fail("the app started on a database that is behind")


async def test_app_serves_a_database_migrated_by_newer_code(empty_database_url: str) -> None:
    # A rolling deploy: newer code migrated the database to a revision this code
    # does not know. That is not "behind", so this instance keeps serving.
    database_url = empty_database_url
    database = Database(database_url)
    try:
        await upgrade_to_head(database)
        async with database.engine.begin() as connection:
            await connection.execute(text("UPDATE alembic_version SET version_num = 'f0f0f0f0'"))
    finally:
        await database.dispose()
    app = create_app(_settings(database_url))
    async with app.router.lifespan_context(app):
        pass


def _cli_env(url: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""),
        "DATABASE_URL": url,
        "ENVIRONMENT": "test",
        "SECRET_KEY": TEST_SECRET,
    }


def test_serve_refuses_and_migrate_then_serve_works(empty_database_url: str) -> None:
    """The command line: `serve` exits with the message; `migrate` fixes it."""
    env = _cli_env(empty_database_url)
    refused = subprocess.run(
        [sys.executable, "main.py", "serve", "--port", "18499"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert refused.returncode != 0
    assert MIGRATE_COMMAND in refused.stderr
    assert "Traceback" not in refused.stderr

    migrated = subprocess.run(
        [sys.executable, "main.py", "migrate"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert migrated.returncode == 0, migrated.stderr

    async def current() -> bool:
        database = Database(empty_database_url)
        try:
            return (await schema_state(database)).is_current
        finally:
            await database.dispose()

    from tests.databases import run_async

    assert run_async(current)
