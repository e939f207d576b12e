"""aiosqlite with fewer thread hand-offs, for the SQLite engine: a speed-up.

What it saves: aiosqlite runs every call on the connection's own thread and wakes the
event loop when it is done; SQLAlchemy makes five such calls per query (cursor,
execute, fetchall, close, rollback), and each hand-off costs ~20 thread switches under
load here. Creating and closing a cursor does no I/O, and a rollback with no
transaction open does nothing, so those three run inline; a query and the fetch of its
rows go to the thread together, in one hand-off. Everything that touches the database
file (execute, fetch, commit, a real rollback) still runs on the thread, so a slow
query or a busy lock never blocks the event loop. Measured on a quiet machine
(docs/BENCHMARKS.md, "What each speed-up buys", 2026-12-02): it saves 8.3% of target
1's server CPU per events request.

What it relies on: aiosqlite's private `Cursor._execute` and `Cursor._cursor` and
`Connection._conn` (and `_thread`, as SQLAlchemy itself does, to make the thread a
daemon). lean_driver_internals_missing() checks them at startup (app/fast_paths.py);
without them the engine connects with stock_connector: aiosqlite as it comes.
"""

import sqlite3
from collections.abc import Callable, Coroutine, Generator, Iterable
from typing import Any

import aiosqlite


class _LeanCursor(aiosqlite.Cursor):
    """Fetches a query's rows in the same thread call that runs it. SQLAlchemy fetches
    every row right after execute() anyway (it has no server-side cursors here)."""

    _rows: list[Any] | None = None

    async def execute(self, sql: str, parameters: Iterable[Any] | None = None) -> "_LeanCursor":
        self._rows = await self._execute(self._run, sql, () if parameters is None else parameters)
        return self

    def _run(self, sql: str, parameters: Any) -> list[Any] | None:
        """On the connection's thread: the query, and its rows if it returns any."""
        cursor = self._cursor.execute(sql, parameters)
        return cursor.fetchall() if cursor.description is not None else None

    async def fetchall(self) -> list[Any]:
        rows, self._rows = self._rows, None
        return rows if rows is not None else list(await super().fetchall())

    async def fetchone(self) -> Any:
        if self._rows is None:
            return await super().fetchone()
        return self._rows.pop(0) if self._rows else None

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        if self._rows is None:
            return list(await super().fetchmany(size))
        count = self.arraysize if size is None else size
        taken, self._rows = self._rows[:count], self._rows[count:]
        return taken

    async def close(self) -> None:
        self._rows = None
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


Connector = Callable[[], Coroutine[Any, Any, aiosqlite.Connection]]


def lean_connector(
    path: str, setup: Callable[[sqlite3.Connection], None] | None = None, **options: Any
) -> Connector:
    """An `async_creator` for create_async_engine: connects to the SQLite file `path`
    and runs `setup` on the new connection, both on the connection's own thread (so
    that setup may wait without holding up the event loop)."""
    return _connector(LeanConnection, path, setup, options)


def stock_connector(
    path: str, setup: Callable[[sqlite3.Connection], None] | None = None, **options: Any
) -> Connector:
    """lean_connector's fallback: aiosqlite's own Connection, one hand-off per call."""
    return _connector(aiosqlite.Connection, path, setup, options)


def _connector(
    kind: type[aiosqlite.Connection],
    path: str,
    setup: Callable[[sqlite3.Connection], None] | None,
    options: dict[str, Any],
) -> Connector:
    def connect() -> sqlite3.Connection:
        connection = sqlite3.connect(path, check_same_thread=False, **options)
        if setup is not None:
            setup(connection)
        return connection

    async def create() -> aiosqlite.Connection:
        # What aiosqlite.connect() builds, with our connect function.
        connection = kind(connect, iter_chunk_size=64)
        # As SQLAlchemy does for aiosqlite's own connections: a pooled connection's
        # thread must not keep the process alive at exit.
        thread = getattr(connection, "_thread", None)
        if thread is not None:
            thread.daemon = True
        await connection  # starts the thread and connects on it
        return connection

    return create


def lean_driver_internals_missing() -> str | None:
    """What the lean cursor and connection use of aiosqlite's private parts: the
    cursor's `_execute` and `_cursor`, the connection's `_conn`; None when all are there."""
    if not callable(getattr(aiosqlite.Cursor, "_execute", None)):
        return "aiosqlite.Cursor has no _execute"
    if "_cursor" not in aiosqlite.Cursor.__init__.__code__.co_names:
        return "aiosqlite.Cursor sets no _cursor"
    if not isinstance(getattr(aiosqlite.Connection, "_conn", None), property):
        return "aiosqlite.Connection has no _conn"
    return None
