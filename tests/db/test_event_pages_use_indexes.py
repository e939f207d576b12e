"""Both orders of `events` walk an index in order (SQLite's plans, which are stable):
a deep page is a range scan from the cursor, as cheap as the first, never a sort."""

import sqlite3
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import event

from db.engine import Database
from db.events import EventCriteria, EventOrder, create_event, list_events
from db.pagination import Keyset, StartsKeyset
from db.urls import sqlite_file
from db.users import create_user


async def _statements(
    database: Database, criteria: EventCriteria, after: Any
) -> list[tuple[str, Any]]:
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    engine = database.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        async with database.read() as session:
            await list_events(session, criteria, 5, after)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


def _plan(path: str, statement: str, parameters: Any) -> str:
    with sqlite3.connect(path) as connection:
        rows = connection.execute(f"EXPLAIN QUERY PLAN {statement}", parameters).fetchall()
    return "\n".join(row[3] for row in rows)


async def test_deep_pages_are_index_range_scans(database: Database) -> None:
    async with database.write() as session:
        viewer = (await create_user(session, "v@example.com", "hash")).id
        start = datetime(2031, 1, 1, tzinfo=UTC)
        for n in range(12):
            starts = None if n % 4 == 0 else start + timedelta(days=n)
            await create_event(session, viewer, {"title": f"e{n}", "starts_at": starts})
    path = sqlite_file(database.url)
    assert path is not None
    cases = [
        (EventOrder.NEWEST_FIRST, Keyset(start, uuid.uuid4()), "ix_event_created_at_id"),
        (EventOrder.STARTS_SOONEST, StartsKeyset(start, uuid.UUID(int=0)), "ix_event_starts_at_id"),
        (EventOrder.STARTS_SOONEST, StartsKeyset(None, uuid.UUID(int=0)), "ix_event_starts_at_id"),
    ]
    for order, after, index in cases:
        criteria = EventCriteria(viewer_id=viewer, order=order)
        statements = await _statements(database, criteria, after)
        assert statements, order
        for statement, parameters in statements:
            plan = _plan(str(path), statement, parameters)
            assert f"USING INDEX {index}" in plan or f"USING COVERING INDEX {index}" in plan, plan
            assert "TEMP B-TREE" not in plan, plan  # no sort: the index gives the order
