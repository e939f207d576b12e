"""Who a change to an event may cut off, for live updates (docs/LIVE.md).

A subscriber that could see an event just before a change and cannot after it is told
so once (ACCESS_LOST), even if its subscription never reported that event: a frontend
that listed the event by query must learn to drop it. Who could see the event "just
before" is only known inside the change's own transaction, so the writer reads it
there (under the event's lock, before changing anything) and the change-log row keeps
what the fan-out needs: whether every signed-in user could see it, else which users
lost it. The fan-out's own visibility statement (the "after") stays one per change.

Only the changes that can end someone's access ask: a status or visibility change, an
answer withdrawn or removed, a co-host removed.
"""

import uuid
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Event
from db.visibility import audience_of, open_to_all, viewers_who_see


@dataclass(frozen=True, slots=True)
class AccessBefore:
    """Who could see an event just before a change."""

    event_id: uuid.UUID
    # Every signed-in user could (published and public).
    public: bool
    # Otherwise: those of the users the change may cut off who could.
    viewers: tuple[uuid.UUID, ...] = ()


async def access_before(
    session: AsyncSession, event: Event, candidates: Collection[uuid.UUID] | None
) -> AccessBefore:
    """Read before the change, with the event locked. `candidates`: the users the change
    may cut off (a removed attendee or co-host); None: everyone who can see it."""
    if open_to_all(event.status, event.visibility):
        return AccessBefore(event.id, True)
    if candidates is None:
        viewers = [uuid.UUID(ident) for ident in await audience_of(session, event.id) or ()]
    else:
        viewers = list(await viewers_who_see(session, event.id, candidates))
    return AccessBefore(event.id, False, tuple(sorted(viewers)))


async def lost_access(session: AsyncSession, before: AccessBefore) -> list[str]:
    """After the change, in its transaction: who of those who could see it no longer can
    (the ids as the change log keeps them)."""
    if before.public or not before.viewers:
        return []
    still = await viewers_who_see(session, before.event_id, before.viewers)
    return [str(viewer) for viewer in before.viewers if viewer not in still]
