"""The async engine and the two kinds of session the app uses: read and write."""

import sqlite3
import time
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    create_async_engine,
)

import db.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from db.loop_reader import LoopReader
from db.sqlite_driver import lean_connector, stock_connector
from db.urls import async_database_url, is_sqlite, sqlite_file

_WRITE_OPTION = "planner_write"


@dataclass(frozen=True)
class PoolSettings:
    """The timeouts bound how long a request can hang when the database is unreachable
    or stuck: waiting for a pooled connection, opening a new one, and running one
    statement. SQLite uses only size, max_overflow and timeout_seconds."""

    size: int = 10
    max_overflow: int = 10
    timeout_seconds: float = 10.0
    recycle_seconds: int = 1800
    pre_ping: bool = True
    connect_timeout_seconds: float = 5.0
    command_timeout_seconds: float = 30.0


class Database:
    """Owns the engine. `read()` and `write()` open short sessions on the shared pool."""

    def __init__(
        self,
        url: str,
        pool: PoolSettings | None = None,
        *,
        loop_reader: bool = True,
        merged_handoffs: bool = True,
    ) -> None:
        """`loop_reader` and `merged_handoffs`: SQLite's two speed-ups
        (db/loop_reader.py, db/sqlite_driver.py); off, stock aiosqlite does the work."""
        self.url: URL = async_database_url(url)
        self.engine: AsyncEngine = _create_engine(
            self.url, pool or PoolSettings(), merged_handoffs=merged_handoffs
        )
        self._loop_reader_enabled = loop_reader
        self._writer = self.engine.execution_options(**{_WRITE_OPTION: True})
        self._loop_reader: LoopReader | None = None

    @property
    def is_sqlite(self) -> bool:
        return is_sqlite(self.url)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """For one statement: on SQLite a read session opens no transaction (see _begin);
        reads that must agree with each other belong in one statement or in write()."""
        async with AsyncSession(self.engine, expire_on_commit=False) as session:
            yield session

    def connect(self) -> AbstractAsyncContextManager[AsyncConnection]:
        """For Core reads of plain rows (no ORM session), with read()'s semantics."""
        return self.engine.connect()

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """A transaction that commits on success and rolls back on any exception."""
        async with AsyncSession(self._writer, expire_on_commit=False) as session, session.begin():
            yield session

    def begin_write(self) -> AbstractAsyncContextManager[AsyncConnection]:
        """A connection in a write transaction (on SQLite: holding the write lock)."""
        return self._writer.begin()

    async def ping(self) -> None:
        async with self.connect() as connection:
            await connection.execute(text("SELECT 1"))

    def loop_reader(self) -> LoopReader | None:
        """The event-loop reader of db/loop_reader.py, for a SQLite file when it is on;
        None otherwise (other databases, in-memory SQLite, switched off)."""
        if not self._loop_reader_enabled:
            return None
        if self._loop_reader is None and (path := sqlite_file(self.url)) is not None:
            self._loop_reader = LoopReader(path, self.engine.dialect)
        return self._loop_reader

    async def dispose(self) -> None:
        if self._loop_reader is not None:
            self._loop_reader.close()
            self._loop_reader = None
        await self.engine.dispose()


def _create_engine(url: URL, pool: PoolSettings, *, merged_handoffs: bool) -> AsyncEngine:
    if is_sqlite(url):
        return _create_sqlite_engine(url, pool, merged_handoffs=merged_handoffs)
    return create_async_engine(
        url,
        pool_size=pool.size,
        max_overflow=pool.max_overflow,
        pool_timeout=pool.timeout_seconds,
        pool_recycle=pool.recycle_seconds,
        # A connection the server or network dropped (restart, failover) is replaced
        # on checkout instead of failing the request that drew it.
        pool_pre_ping=pool.pre_ping,
        connect_args=_connect_args(url, pool),
        # Error messages (which end up in the log) show the SQL but not the values:
        # those include emails and password hashes.
        hide_parameters=True,
    )


def _connect_args(url: URL, pool: PoolSettings) -> dict[str, Any]:
    if url.get_driver_name() == "asyncpg":
        return {
            "timeout": pool.connect_timeout_seconds,
            "command_timeout": pool.command_timeout_seconds,
        }
    if url.get_driver_name() == "psycopg":
        return {"connect_timeout": max(1, round(pool.connect_timeout_seconds))}
    return {}


def _create_sqlite_engine(url: URL, pool: PoolSettings, *, merged_handoffs: bool) -> AsyncEngine:
    path = url.database or ":memory:"
    connector = lean_connector if merged_handoffs else stock_connector
    # No rollback when a connection goes back to the pool: every session has already
    # ended its transaction (write() commits or rolls back; reads open none, see
    # _begin), and through aiosqlite each extra call is a thread hand-off.
    engine = create_async_engine(
        url,
        async_creator=connector(path, _use_wal, timeout=30),
        pool_reset_on_return=None,
        hide_parameters=True,
        **_sqlite_pool_options(url, pool),
    )

    @event.listens_for(engine.sync_engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the driver so that "begin" below decides.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in (
            "foreign_keys=ON",
            "busy_timeout=30000",
            "synchronous=NORMAL",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _begin(connection: Any) -> None:
        # A deferred transaction that reads and then writes fails at once with
        # "database is locked" when another writer got there first, whatever the busy
        # timeout; IMMEDIATE takes the write lock up front, so writers queue instead.
        #
        # Reads send no BEGIN at all: every read session here runs one statement, which
        # SQLite keeps consistent on its own, and each statement through aiosqlite costs
        # several thread hand-offs (the bench shows them as the biggest cost per request).
        if connection.get_execution_options().get(_WRITE_OPTION, False):
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _use_wal(connection: sqlite3.Connection) -> None:
    """Switch the database to write-ahead logging (it stays so; readers then never
    wait for writers). On the connection's own thread, at connect.

    The switch needs the database to itself, and two connections making it at once
    (instances starting on a new file together) can get "database is locked" at once,
    without the busy timeout: SQLite refuses rather than risk a deadlock. Once one has
    switched, the switch is a no-op for the others, so they try again."""
    deadline = time.monotonic() + _WAL_SWITCH_SECONDS
    while True:
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


_WAL_SWITCH_SECONDS = 30.0


def _sqlite_pool_options(url: URL, pool: PoolSettings) -> dict[str, Any]:
    """Keep every connection that was opened, up to size + max_overflow, and no more.

    A SQLite connection through aiosqlite is a thread, a file open and four PRAGMA
    round trips; SQLAlchemy's default pool (5, overflow 10) closed the overflow ones as
    soon as they came back, so eight concurrent clients kept opening and closing
    connections (the bench saw ~7 new threads a second). An idle one costs a parked
    thread. In-memory databases keep SQLAlchemy's single static connection.
    """
    if sqlite_file(url) is None:
        return {}
    return {
        "pool_size": pool.size + pool.max_overflow,
        "max_overflow": 0,
        "pool_timeout": pool.timeout_seconds,
    }
