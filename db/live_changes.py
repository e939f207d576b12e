"""Writing and reading the change log of live updates (db/live_models.py).

A change is recorded in the transaction that makes it, so a subscriber hears of it
only once it is committed, and never of a change that was rolled back. On PostgreSQL
the same transaction sends a NOTIFY on CHANNEL with a small payload (the row's seq,
kind, event and user ids); PostgreSQL delivers notifications at commit, in commit
order. On SQLite each worker follows the table by seq (db/change_feed.py).
"""

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, func, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlmodel import col, select

from db.live_models import LiveChange
from db.types import utc_now
from db.visibility import audience_of

CHANNEL = "planner_live"

CREATED = "CREATED"
UPDATED = "UPDATED"
CANCELLED = "CANCELLED"
DELETED = "DELETED"
ATTENDANCE = "ATTENDANCE"
# About a user, not an event: their tokens were revoked or their account deleted.
REVOKED = "REVOKED"


@dataclass(frozen=True, slots=True)
class Change:
    seq: int
    kind: str
    event_id: uuid.UUID | None
    user_id: uuid.UUID | None
    at: datetime
    # DELETED only: who could see the event (None: every signed-in user); `audience_known`
    # False when a notification did not carry it and the row must be read.
    audience: tuple[str, ...] | None = None
    audience_known: bool = True


async def record_change(
    session: AsyncSession,
    kind: str,
    *,
    event_id: uuid.UUID | None = None,
    user_id: uuid.UUID | None = None,
    at: datetime | None = None,
) -> None:
    """Record a change in the caller's transaction (and notify on PostgreSQL). `at`:
    when it happened (an edit passes the event's new updatedAt, so a client can match
    the change to the mutation's answer); now by default."""
    audience = await audience_of(session, event_id) if kind == DELETED and event_id else None
    row = LiveChange(
        kind=kind, event_id=event_id, user_id=user_id, audience=audience, at=at or utc_now()
    )
    session.add(row)
    await session.flush()
    bind = session.bind
    if bind is not None and bind.dialect.name == "postgresql":
        payload: dict[str, object] = {"s": row.seq, "k": kind, "t": row.at.timestamp()}
        if event_id is not None:
            payload["e"] = str(event_id)
        if user_id is not None:
            payload["u"] = str(user_id)
        if kind == DELETED:
            payload["p"] = audience is None  # public: no audience to read back
        await session.execute(
            text("SELECT pg_notify(:channel, :payload)"),
            {"channel": CHANNEL, "payload": json.dumps(payload)},
        )


def change_from_notification(payload: str) -> Change:
    """A Change from a NOTIFY payload (ValueError/KeyError when it is not one of ours)."""
    data = json.loads(payload)
    kind = str(data["k"])
    public = bool(data.get("p", True))
    return Change(
        seq=int(data["s"]),
        kind=kind,
        event_id=uuid.UUID(data["e"]) if "e" in data else None,
        user_id=uuid.UUID(data["u"]) if "u" in data else None,
        at=datetime.fromtimestamp(float(data["t"]), UTC),
        audience=None,
        audience_known=kind != DELETED or public,
    )


def _change(row: LiveChange) -> Change:
    audience = None if row.audience is None else tuple(row.audience)
    return Change(row.seq or 0, row.kind, row.event_id, row.user_id, row.at, audience)


async def last_seq(handle: AsyncConnection | AsyncSession) -> int:
    result = await handle.execute(select(func.max(col(LiveChange.seq))))
    return int(result.scalar_one() or 0)


async def changes_after(session: AsyncSession, seq: int, limit: int = 500) -> list[Change]:
    statement = (
        select(LiveChange)
        .where(col(LiveChange.seq) > seq)
        .order_by(col(LiveChange.seq))
        .limit(limit)
    )
    rows: Sequence[LiveChange] = (await session.execute(statement)).scalars().all()
    return [_change(row) for row in rows]


async def audience_recorded(
    handle: AsyncConnection | AsyncSession, seq: int
) -> tuple[str, ...] | None:
    """The audience stored with a DELETED change (its row may be pruned: nobody then)."""
    row = (
        await handle.execute(select(col(LiveChange.audience)).where(col(LiveChange.seq) == seq))
    ).first()
    if row is None:
        return ()
    return None if row[0] is None else tuple(row[0])


async def prune_changes(session: AsyncSession, before: datetime) -> int:
    result = await session.execute(delete(LiveChange).where(col(LiveChange.at) < before))
    return int(getattr(result, "rowcount", 0) or 0)
