"""Use cases of planning together that change answers and hosts. The permission classes
on the mutations have already decided who may ask (graph/permissions.py); here every
change runs in one write transaction with the event row locked (db/events.lock_event),
which serialises the changes to one event on SQLite and PostgreSQL alike."""

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from auth.event_policy import closed_for_answers, could_see_once_published
from db.access_loss import access_before
from db.engine import Database
from db.errors import FailedPrecondition, InvalidInput, NotFound
from db.event_access import access_for
from db.events import lock_event
from db.hosts import add_host, remove_host
from db.live_changes import UPDATED, record_change
from db.models import Event
from db.planning_values import Attendance
from db.rsvps import Answer, answer, answers_of_viewer, withdraw
from db.users import get_user

EVENT_NOT_FOUND = "Event not found"
USER_NOT_FOUND = "User not found"
# In-process lock stripes (see Planning._turn); a bounded number, whatever the events.
_STRIPES = 64


class Planning:
    def __init__(self, database: Database, clock: Callable[[], datetime]) -> None:
        self.database = database
        self.clock = clock
        self._stripes = [asyncio.Lock() for _ in range(_STRIPES)]

    @asynccontextmanager
    async def _turn(self, event_id: uuid.UUID) -> AsyncIterator[None]:
        """Wait here, holding no database connection, for this process's turn at the
        event. The event row's lock is what makes the change correct (across processes
        and instances too); this only keeps 200 people answering one event at once from
        each holding a pooled connection while waiting for that lock, which emptied the
        pool and failed requests with a pool timeout on PostgreSQL."""
        async with self._stripes[event_id.int % _STRIPES]:
            yield

    async def answer(self, user_id: uuid.UUID, event_id: uuid.UUID, response: Attendance) -> Answer:
        """Create or change the user's answer; GOING on a full event waits in line."""
        async with self._turn(event_id), self.database.write() as session:
            event = await _locked(session, event_id)
            now = self.clock()
            reason = closed_for_answers(event, now)
            if reason is not None:
                raise FailedPrecondition(reason)
            await answer(session, event, user_id, response, now)
            return (await answers_of_viewer(session, user_id, [event_id]))[event_id]

    async def withdraw(self, user_id: uuid.UUID, event_id: uuid.UUID) -> bool:
        """Cancel the user's answer (also on a closed event); True if there was one."""
        async with self._turn(event_id), self.database.write() as session:
            return await withdraw(session, await _locked(session, event_id), user_id)

    async def remove_attendee(self, event_id: uuid.UUID, user_id: uuid.UUID) -> bool:
        async with self._turn(event_id), self.database.write() as session:
            event = await _locked(session, event_id)
            if await get_user(session, user_id) is None:
                raise NotFound(USER_NOT_FOUND)
            return await withdraw(session, event, user_id)

    async def add_co_host(self, event_id: uuid.UUID, user_id: uuid.UUID) -> Event:
        """A co-host must be someone who can see the event (DRAFT aside: see
        auth/event_policy.could_see_once_published)."""
        async with self.database.write() as session:
            event = await _locked(session, event_id)
            if await get_user(session, user_id) is None:
                raise NotFound(USER_NOT_FOUND)
            access = (await access_for(session, user_id, [event_id]))[event_id]
            if not could_see_once_published(access):
                raise InvalidInput(
                    "userId",
                    "A co-host must be someone who can see the event: for a private event, "
                    "someone who accepted an invite link or answered it",
                )
            await add_host(session, event_id, user_id, self.clock())
            await record_change(session, UPDATED, event_id=event_id)
            return event

    async def remove_co_host(self, event_id: uuid.UUID, user_id: uuid.UUID) -> Event:
        async with self.database.write() as session:
            event = await _locked(session, event_id)
            if user_id == event.creator_id:
                raise InvalidInput("userId", "The creator is always a host of their event")
            # Hosting may be all that let them see it (a draft, a private event).
            before = await access_before(session, event, [user_id])
            await remove_host(session, event_id, user_id)
            await record_change(session, UPDATED, event_id=event_id, before=before)
            return event


async def _locked(session: AsyncSession, event_id: uuid.UUID) -> Event:
    event = await lock_event(session, event_id)
    if event is None:  # deleted since the permission check
        raise NotFound(EVENT_NOT_FOUND)
    return event
