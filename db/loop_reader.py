"""One-row reads on the event loop itself, for SQLite files: a speed-up.

What it saves: the user row read behind every signed-in request (db/users.py
find_user_by_id). SQLite answers that primary-key read from its page cache in
microseconds; the usual path (SQLAlchemy's statement machinery, then aiosqlite's
worker thread and back, ~20 thread switches under load) cost ~0.25 ms of the loop's
time per request, most of what authentication adds to a request (bench target 2).
Measured on a quiet machine (docs/BENCHMARKS.md, "What each speed-up buys", 2026-12-02):
it saves 28% of what authentication adds (target 2) and 4.3% of target 1's cost.

What it relies on: SQLAlchemy's compiled form of a statement (its SQL text, its bind
parameters and the column types' bind and result processors, as SQLAlchemy itself
converts values for the dialect) and Python's sqlite3 module.
loop_read_internals_missing() checks that at startup (app/fast_paths.py); without it,
or with the reader switched off, reads take the usual path.

The connection never waits for a lock (busy timeout 0: a busy database raises at once,
and the caller takes the usual path) and cannot write (query_only). What it can cost
the loop is a disk read when a page is in neither SQLite's nor the OS's cache. Only the
event loop's thread uses it, one statement at a time, with no await in between.
"""

import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select
from sqlalchemy.engine import Dialect


@dataclass(frozen=True)
class _Compiled:
    sql: str
    binds: tuple[tuple[str, Callable[[Any], Any] | None], ...]
    results: tuple[Callable[[Any], Any] | None, ...]


def _compile(statement: Select[*tuple[Any, ...]], dialect: Dialect) -> _Compiled:
    compiled = statement.compile(dialect=dialect)
    # dialect_impl: the type as this dialect stores it (a UUID as 32 hex digits, a
    # datetime as text on SQLite), converted as SQLAlchemy itself converts it.
    binds = tuple(
        (name, compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect))
        for name in compiled.positiontup or ()
    )
    results = tuple(
        column.type.dialect_impl(dialect).result_processor(dialect, None)
        for column in statement.selected_columns
    )
    return _Compiled(str(compiled), binds, results)


class LoopReader:
    def __init__(self, path: str, dialect: Dialect) -> None:
        self.connection = sqlite3.connect(
            path, timeout=0, isolation_level=None, check_same_thread=False
        )
        self.connection.execute("PRAGMA query_only=ON")
        self._dialect = dialect
        self._compiled: dict[int, _Compiled] = {}

    def first(
        self, statement: Select[*tuple[Any, ...]], parameters: Mapping[str, Any]
    ) -> tuple[Any, ...] | None:
        """The statement's first row, converted; raises sqlite3.OperationalError when
        the database is busy. `statement` must be built once (it is compiled once)."""
        compiled = self._compiled.get(id(statement))
        if compiled is None:
            compiled = self._compiled[id(statement)] = _compile(statement, self._dialect)
        values = tuple(
            parameters[name] if process is None else process(parameters[name])
            for name, process in compiled.binds
        )
        row = self.connection.execute(compiled.sql, values).fetchone()
        if row is None:
            return None
        return tuple(
            value if process is None else process(value)
            for process, value in zip(compiled.results, row, strict=True)
        )

    def close(self) -> None:
        self.connection.close()


def loop_read_internals_missing() -> str | None:
    """None when a statement can be compiled and converted as LoopReader does."""
    from sqlalchemy import bindparam, column, select, table
    from sqlalchemy.dialects.sqlite.aiosqlite import SQLiteDialect_aiosqlite
    from sqlalchemy.types import DateTime, Uuid

    probe = table("probe", column("id", Uuid), column("at", DateTime()))
    statement = select(probe.c.id, probe.c.at).where(probe.c.id == bindparam("ident"))
    try:
        compiled = _compile(statement, SQLiteDialect_aiosqlite())
    except Exception as error:  # any change there: the usual path is always right
        return f"SQLAlchemy's compiled statement changed ({type(error).__name__}: {error})"
    if [name for name, _ in compiled.binds] != ["ident"] or len(compiled.results) != 2:
        return "SQLAlchemy's compiled statement has other binds or columns"
    return None
