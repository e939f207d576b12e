"""The databases tests run on: a SQLite file per test, and on PostgreSQL (when
TEST_DATABASE_URL names a server) one database per test run, emptied before each test.

Both get their schema from the migrations, as production does. Admin work runs on a
private event loop in a worker thread, so session fixtures stay out of pytest-asyncio's
loops.
"""

import asyncio
import os
import shutil
import uuid
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import asyncpg
from sqlalchemy.engine import URL, make_url
from sqlmodel import SQLModel

from db.engine import Database
from db.migrations import upgrade_to_head

POSTGRES_ENV = "TEST_DATABASE_URL"
# Set by .ci/run: there, an unreachable server is a failure, not a skip.
REQUIRED_ENV = "TEST_DATABASE_REQUIRED"
DATABASE_PREFIX = "planner_test_"

T = TypeVar("T")


def run_async(factory: Callable[[], Awaitable[T]]) -> T:
    async def main() -> T:
        return await factory()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, main()).result()


def postgres_server_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


def postgres_required() -> bool:
    return os.environ.get(REQUIRED_ENV, "").lower() in {"1", "true", "yes"}


def _plain(url: URL) -> URL:
    """The URL as operators write it (`postgresql://`), for the app to map itself."""
    return url.set(drivername="postgresql")


def _asyncpg_dsn(url: URL) -> str:
    return _plain(url).render_as_string(hide_password=False)


async def _admin(server: URL, *statements: str) -> None:
    connection = await asyncpg.connect(_asyncpg_dsn(server), timeout=5)
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


def reachable(server_url: str) -> str | None:
    """None when the server answers, else why not."""
    try:
        run_async(lambda: _admin(make_url(server_url), "SELECT 1"))
    except (OSError, asyncpg.PostgresError, TimeoutError) as error:
        return f"{type(error).__name__}: {error}"
    return None


def drop_abandoned_databases(server_url: str) -> None:
    """Drop test databases left by runs on this machine that were killed before their
    cleanup (their process is gone); a live run's databases are left alone."""

    async def drop() -> None:
        connection = await asyncpg.connect(_asyncpg_dsn(make_url(server_url)), timeout=5)
        try:
            rows = await connection.fetch(
                "SELECT datname FROM pg_database WHERE datname LIKE $1", f"{DATABASE_PREFIX}%"
            )
            for row in rows:
                name: str = row["datname"]
                pid = name.removeprefix(DATABASE_PREFIX).split("_", 1)[0]
                if pid.isdigit() and not _alive(int(pid)):
                    await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await connection.close()

    run_async(drop)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def postgres_database(server_url: str, *, migrated: bool) -> Iterator[str]:
    """A new database with a unique name on the server, dropped afterwards (also
    when connections are left open)."""
    server = make_url(server_url)
    name = f"{DATABASE_PREFIX}{os.getpid()}_{uuid.uuid4().hex[:12]}"
    run_async(lambda: _admin(server, f'CREATE DATABASE "{name}"'))
    url = _plain(server.set(database=name)).render_as_string(hide_password=False)
    try:
        if migrated:
            migrate(url)
        yield url
    finally:
        run_async(lambda: _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def migrate(url: str) -> None:
    async def upgrade() -> None:
        database = Database(url)
        try:
            await upgrade_to_head(database)
        finally:
            await database.dispose()

    run_async(upgrade)


def empty_tables(url: str) -> None:
    """Remove every row (the schema and its revision stay) so each test starts clean."""
    names = ", ".join(f'"{table.name}"' for table in SQLModel.metadata.sorted_tables)
    run_async(lambda: _admin(make_url(url), f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


def migrated_sqlite_template(directory: Path) -> Path:
    path = directory / "template.db"
    migrate(sqlite_url(path))
    return path


def sqlite_copy(template: Path, directory: Path) -> str:
    path = directory / "planner.db"
    shutil.copyfile(template, path)
    return sqlite_url(path)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def migrated_sqlite(path: Path) -> str:
    """The URL of a SQLite file at `path`, migrated to head on first use."""
    url = sqlite_url(path)
    if not path.exists():
        migrate(url)
    return url
