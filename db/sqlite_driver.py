"""aiosqlite with fewer thread hand-offs, for the SQLite engine.

aiosqlite runs every call on the connection's own thread and wakes the event loop when
it is done; SQLAlchemy makes five such calls per statement (cursor, execute, fetchall,
close, rollback). Profiling the bench showed those hand-offs, not the queries, as the
largest cost per request. Creating and closing a cursor does no I/O, and a rollback
with no transaction open does nothing, so those three run inline; the calls that touch
the database file (execute, fetch, commit, a real rollback) still go to the thread, so
a slow query or a busy lock never blocks the event loop.
"""

import sqlite3
from collections.abc import Callable, Coroutine, Generator
from typing import Any

import aiosqlite


class _LeanCursor(aiosqlite.Cursor):
    async def close(self) -> None:
        self._cursor.close()


class _ReadyCursor:
    """What aiosqlite's cursor() returns: awaitable and usable with `async with`."""

    def __init__(self, cursor: _LeanCursor) -> None:
        self._cursor = cursor

    def __await__(self) -> Generator[Any, None, _LeanCursor]:
        if False:  # a generator that finishes at once
            yield
        return self._cursor

    async def __aenter__(self) -> _LeanCursor:
        return self._cursor

    async def __aexit__(self, *_exc: object) -> None:
        await self._cursor.close()


class LeanConnection(aiosqlite.Connection):
    # The sqlite3 connection is shared with the worker thread, one call at a time
    # (SQLAlchemy serialises use of a connection), hence check_same_thread=False.
    def cursor(self) -> _ReadyCursor:  # type: ignore[override]
        return _ReadyCursor(_LeanCursor(self, self._conn.cursor()))

    async def rollback(self) -> None:
        if self._conn.in_transaction:
            await super().rollback()


def lean_connector(path: str, **options: Any) -> Callable[[], Coroutine[Any, Any, LeanConnection]]:
    """An `async_creator` for create_async_engine: connects to the SQLite file `path`."""

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(path, check_same_thread=False, **options)

    async def create() -> LeanConnection:
        connection = LeanConnection(connect, iter_chunk_size=64)
        connection._thread.daemon = True  # as SQLAlchemy does for aiosqlite's own
        await connection  # starts the thread and connects on it
        return connection

    return create
