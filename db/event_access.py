"""What one viewer is to some events (host, invited, answered), read in one statement
for a batch of events: the facts auth/event_policy.py decides on."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlmodel import col, select

from db.models import Event
from db.visibility import has_accepted_invite, has_answered, is_host


@dataclass(frozen=True, slots=True)
class EventAccess:
    """One event as one viewer stands to it."""

    event_id: uuid.UUID
    creator_id: uuid.UUID
    status: str
    visibility: str
    is_host: bool
    invited: bool
    answered: bool
    viewer_id: uuid.UUID

    @property
    def is_creator(self) -> bool:
        return self.creator_id == self.viewer_id


def _statement(viewer_id: uuid.UUID, ids: Sequence[uuid.UUID]):  # type: ignore[no-untyped-def]
    return select(  # type: ignore[call-overload]
        col(Event.id),
        col(Event.creator_id),
        col(Event.status),
        col(Event.visibility),
        is_host(viewer_id),
        has_accepted_invite(viewer_id),
        has_answered(viewer_id),
    ).where(col(Event.id).in_(ids))


async def access_for(
    handle: AsyncConnection | AsyncSession, viewer_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, EventAccess]:
    """The viewer's access to each of `ids` that exists (missing ids: no such event)."""
    result = await handle.execute(_statement(viewer_id, ids))
    return {
        row[0]: EventAccess(
            row[0], row[1], row[2], row[3], bool(row[4]), bool(row[5]), bool(row[6]), viewer_id
        )
        for row in result
    }
