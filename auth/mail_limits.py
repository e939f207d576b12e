"""The mail limits: at most so many mails an hour to one address, and so many asked
for by one client address, so that nobody can mail-bomb an inbox through us.

Checking a limit and enqueueing are one step. Counted in one statement and inserted in
the next, two requests at once could both see room for one more mail and both enqueue
it. So the caller's write transaction first takes a lock on the recipient and on the
client, held until it commits:

- PostgreSQL: transaction-scoped advisory locks keyed by the SHA-256 of the address
  and of the client, so requests for other addresses do not wait (a collision of two
  keys only makes two addresses wait for each other). The two locks are always taken
  in the order of their keys, so two transactions cannot each hold one the other wants.
- SQLite: the write transaction itself (BEGIN IMMEDIATE, db/engine.py) holds the
  database's write lock, across processes too, so writers run one at a time.
"""

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from auth.throttle import retry_after
from db.outbox import recent_mails_from, recent_mails_to

LIMIT_WINDOW = timedelta(hours=1)
# The first of the two keys of these advisory locks: "a mail limit". The one-key locks
# of the sign-in and invite throttles are another key space (PostgreSQL keeps them apart).
_LOCK_SPACE = 7_146_503
_LOCK = text("SELECT pg_advisory_xact_lock(:space, :key)")


def lock_key(kind: str, value: str) -> int:
    """A 32-bit key for one recipient ("to") or client ("from")."""
    digest = hashlib.sha256(f"{kind}:{value}".encode()).digest()
    return int.from_bytes(digest[:4], "big", signed=True)


async def lock_limits(session: AsyncSession, *, sqlite: bool, recipient: str, client: str) -> None:
    """Hold the limits of `recipient` and `client` until the transaction ends."""
    if sqlite:
        return  # the write transaction holds the database's write lock already
    # Both, always (a lock taken twice is held once): the same statements whatever the
    # address, so a request's work says nothing about it.
    for key in sorted((lock_key("to", recipient), lock_key("from", client))):
        await session.execute(_LOCK, {"space": _LOCK_SPACE, "key": key})


async def limit_wait(
    session: AsyncSession,
    recipient: str,
    client: str,
    now: datetime,
    *,
    per_address: int,
    per_client: int,
) -> int | None:
    """Seconds until one more mail to `recipient` asked for by `client` is allowed;
    None when it is allowed now."""
    since = now - LIMIT_WINDOW
    waits = []
    to = await recent_mails_to(session, recipient, since, per_address)
    if len(to) >= per_address:
        waits.append(retry_after(to, per_address, LIMIT_WINDOW, now))
    by_client = await recent_mails_from(session, client, since, per_client)
    if len(by_client) >= per_client:
        waits.append(retry_after(by_client, per_client, LIMIT_WINDOW, now))
    return max(waits) if waits else None
