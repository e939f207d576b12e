"""Counting the SQL statements an engine runs (the no-N+1 check of tests and `make bench`)."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import event

from db.engine import Database

# Transaction control is not a query; SQLite's explicit BEGIN goes through a cursor,
# PostgreSQL's does not, and counting it would make the two disagree.
_TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")

# The list being filled, seen only by the code that runs inside the block (and the
# tasks it starts): the app's own background tasks (the live change feed polls the
# same engine) are not the request being counted. SQLAlchemy's greenlets and asyncio
# tasks carry the context along.
_counting: ContextVar[list[str] | None] = ContextVar("counted_statements", default=None)


@contextmanager
def counted_statements(database: Database) -> Iterator[list[str]]:
    """Yields a list that fills with every query statement `database` runs for the
    code inside the block: through its engine, and on SQLite through its event-loop
    reader too."""
    statements: list[str] = []

    def add(statement: str) -> None:
        if _counting.get() is not statements:
            return
        if not statement.lstrip().upper().startswith(_TRANSACTION_CONTROL):
            statements.append(statement)

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        add(statement)

    engine = database.engine.sync_engine
    reader = database.loop_reader()
    event.listen(engine, "before_cursor_execute", record)
    if reader is not None:
        reader.connection.set_trace_callback(add)
    token = _counting.set(statements)
    try:
        yield statements
    finally:
        _counting.reset(token)
        event.remove(engine, "before_cursor_execute", record)
        if reader is not None:
            reader.connection.set_trace_callback(None)
