"""Counting the SQL statements an engine runs (the no-N+1 check of tests and `make bench`)."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from db.engine import Database

# Transaction control is not a query; SQLite's explicit BEGIN goes through a cursor,
# PostgreSQL's does not, and counting it would make the two disagree.
_TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


@contextmanager
def counted_statements(database: Database) -> Iterator[list[str]]:
    """Yields a list that fills with every query statement `database` runs meanwhile:
    through its engine, and on SQLite through its event-loop reader too."""
    statements: list[str] = []

    def add(statement: str) -> None:
        if not statement.lstrip().upper().startswith(_TRANSACTION_CONTROL):
            statements.append(statement)

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        add(statement)

    engine = database.engine.sync_engine
    reader = database.loop_reader()
    event.listen(engine, "before_cursor_execute", record)
    if reader is not None:
        reader.connection.set_trace_callback(add)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)
        if reader is not None:
            reader.connection.set_trace_callback(None)
