"""Alembic environment: the models' metadata, an async engine, batch mode on SQLite.

Two ways in: the app (db/migrations.py) passes an open connection in
`config.attributes["connection"]`; the `alembic` command line gets none and connects
to DATABASE_URL as app/settings.py's Settings read it.
"""

import asyncio
from logging.config import fileConfig
from typing import Any, Literal

from alembic import context
from sqlalchemy import pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.types import TypeDecorator
from sqlmodel import SQLModel

import db.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from db.urls import async_database_url

config = context.config
target_metadata = SQLModel.metadata


def render_item(kind: str, obj: Any, _autogen_context: Any) -> str | Literal[False]:
    """Our column types (db/types.py) are written as the type they store, so that a
    migration never imports app code that may later change."""
    if kind == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl_instance!r}"
    return False


def configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        compare_server_default=True,
        render_item=render_item,
    )


def run_on(connection: Connection) -> None:
    configure(connection)
    with context.begin_transaction():
        context.run_migrations()


def command_line_url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    from app.settings import Settings  # the one place settings are read

    return Settings().database_url


async def run_from_command_line() -> None:
    engine = create_async_engine(async_database_url(command_line_url()), poolclass=pool.NullPool)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(run_on)
    finally:
        await engine.dispose()


def run_offline() -> None:
    context.configure(
        url=async_database_url(command_line_url()),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


given = config.attributes.get("connection")
if given is not None:
    run_on(given)
elif context.is_offline_mode():
    run_offline()
else:
    if config.config_file_name is not None:
        fileConfig(config.config_file_name)
    asyncio.run(run_from_command_line())
