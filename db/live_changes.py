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
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from sqlalchemy import delete, func, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlmodel import col, select

from db.access_loss import AccessBefore, lost_access
from db.live_models import LiveChange
from db.types import utc_now
from db.visibility import audience_of

CHANNEL = "planner_live"
# At most this many user ids travel in a notification's payload (its limit is 8000
# bytes); a change that cut off more is read back from its row.
PAYLOAD_IDS = 50

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
    # DELETED only: who could see the event (None: every signed-in user).
    audience: tuple[str, ...] | None = None
    # False when a notification did not carry `audience` or `lost_access` (too long for
    # a payload) and the row must be read (read_details).
    details_known: bool = True
    # A change that may have ended someone's access (db/access_loss.py): every
    # signed-in user could see the event just before it, or these users lost it.
    public_before: bool = False
    lost_access: frozenset[str] = frozenset()

    def could_see_before(self, viewer_id: uuid.UUID) -> bool:
        """Whether the change may have cut `viewer_id` off (they could see it before)."""
        return self.public_before or str(viewer_id) in self.lost_access


async def record_change(
    session: AsyncSession,
    kind: str,
    *,
    event_id: uuid.UUID | None = None,
    user_id: uuid.UUID | None = None,
    at: datetime | None = None,
    before: AccessBefore | None = None,
) -> None:
    """Record a change in the caller's transaction (and notify on PostgreSQL). `at`:
    when it happened (an edit passes the event's new updatedAt, so a client can match
    the change to the mutation's answer); now by default. `before`: for a change that
    may end someone's access, who could see the event before it (db/access_loss.py)."""
    audience = await audience_of(session, event_id) if kind == DELETED and event_id else None
    lost = await lost_access(session, before) if before is not None else []
    row = LiveChange(
        kind=kind,
        event_id=event_id,
        user_id=user_id,
        audience=audience,
        public_before=before is not None and before.public,
        lost_access=lost or None,
        at=at or utc_now(),
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
        if row.public_before:
            payload["w"] = True
        if lost and len(lost) <= PAYLOAD_IDS:
            payload["l"] = lost
        elif lost:
            payload["L"] = True  # too many for a payload (8000 bytes): read the row
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
        details_known=(kind != DELETED or public) and "L" not in data,
        public_before=bool(data.get("w", False)),
        lost_access=frozenset(str(ident) for ident in data.get("l", ())),
    )


def _change(row: LiveChange) -> Change:
    audience = None if row.audience is None else tuple(row.audience)
    return Change(
        row.seq or 0,
        row.kind,
        row.event_id,
        row.user_id,
        row.at,
        audience,
        public_before=bool(row.public_before),
        lost_access=frozenset(row.lost_access or ()),
    )


async def last_seq(handle: AsyncConnection | AsyncSession) -> int:
    result = await handle.execute(select(func.max(col(LiveChange.seq))))
    return int(result.scalar_one() or 0)


async def seqs_after(handle: AsyncConnection | AsyncSession, seq: int) -> list[int]:
    result = await handle.execute(select(col(LiveChange.seq)).where(col(LiveChange.seq) > seq))
    return [int(value) for value in result.scalars() if value is not None]


async def changes_after(session: AsyncSession, seq: int, limit: int = 500) -> list[Change]:
    statement = (
        select(LiveChange)
        .where(col(LiveChange.seq) > seq)
        .order_by(col(LiveChange.seq))
        .limit(limit)
    )
    rows: Sequence[LiveChange] = (await session.execute(statement)).scalars().all()
    return [_change(row) for row in rows]


async def read_details(session: AsyncSession, change: Change) -> Change:
    """The change with what its notification could not carry, read from its row (a
    pruned row: nobody to tell)."""
    row = (
        await session.execute(select(LiveChange).where(col(LiveChange.seq) == change.seq))
    ).scalar_one_or_none()
    if row is None:
        return replace(change, audience=(), details_known=True, lost_access=frozenset())
    return _change(row)


async def prune_changes(session: AsyncSession, before: datetime) -> int:
    result = await session.execute(delete(LiveChange).where(col(LiveChange.at) < before))
    return int(getattr(result, "rowcount", 0) or 0)
