"""Invite links: create (the code is shown once, only its SHA-256 is kept), revoke,
accept. An unknown, expired, revoked or used-up code gets one and the same answer, and
failed acceptances are throttled per user and per client address, as sign-ins are, so
codes cannot be probed."""

import hashlib
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from auth.errors import TooManyAttempts
from auth.throttle import ADDRESS_WINDOW, MAX_ADDRESS_LENGTH, ThrottleSettings, retry_after
from db.engine import Database
from db.errors import InvalidInput, NotFound
from db.events import lock_event
from db.invites import (
    accept,
    add_failure,
    add_link,
    failure_times,
    get_link,
    has_accepted,
    link_by_digest,
    revoke_link,
)
from db.models import InviteLink
from db.planning_values import EventStatus

CODE_BYTES = 24  # 192 bits
MAX_CODE_LENGTH = 128
MAX_EXPIRES_IN_HOURS = 8760
INVALID_CODE = "This invite code is not valid"
LINK_NOT_FOUND = "Invite link not found"
# Serialises the count-then-record step on PostgreSQL (SQLite's BEGIN IMMEDIATE does).
_ADVISORY_LOCK_KEY = 7_146_502


class InviteThrottled(TooManyAttempts):
    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.message = f"Too many invalid invite codes; try again in {retry_after} seconds"
        self.args = (self.message,)


@dataclass(frozen=True)
class NewLink:
    code: str
    link: InviteLink


def code_digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def check_link_limits(max_uses: int | None, expires_in_hours: int) -> None:
    if max_uses is not None and max_uses < 1:
        raise InvalidInput("maxUses", "maxUses must be at least 1 (or null: unlimited)")
    if not 1 <= expires_in_hours <= MAX_EXPIRES_IN_HOURS:
        raise InvalidInput(
            "expiresInHours", f"expiresInHours must be between 1 and {MAX_EXPIRES_IN_HOURS}"
        )


async def mint_link(
    session: AsyncSession,
    event_id: uuid.UUID,
    max_uses: int | None,
    expires_at: datetime,
    now: datetime,
) -> NewLink:
    """A new link with a fresh code (the caller holds the event's lock)."""
    code = secrets.token_urlsafe(CODE_BYTES)
    link = await add_link(session, event_id, code_digest(code), max_uses, expires_at, now)
    return NewLink(code=code, link=link)


class Invites:
    def __init__(
        self, database: Database, clock: Callable[[], datetime], throttle: ThrottleSettings
    ) -> None:
        self.database = database
        self.clock = clock
        self.throttle = throttle

    async def create(
        self, event_id: uuid.UUID, max_uses: int | None, expires_in_hours: int
    ) -> NewLink:
        check_link_limits(max_uses, expires_in_hours)
        now = self.clock()
        expires_at = now + timedelta(hours=expires_in_hours)
        async with self.database.write() as session:
            if await lock_event(session, event_id) is None:
                raise NotFound("Event not found")
            return await mint_link(session, event_id, max_uses, expires_at, now)

    async def event_of_link(self, link_id: uuid.UUID) -> uuid.UUID:
        async with self.database.read() as session:
            link = await get_link(session, link_id)
        if link is None:
            raise NotFound(LINK_NOT_FOUND)
        return link.event_id

    async def revoke(self, link_id: uuid.UUID) -> None:
        async with self.database.write() as session:
            await revoke_link(session, link_id, self.clock())

    async def accept(self, user_id: uuid.UUID, code: str, address: str | None) -> uuid.UUID:
        """The id of the event the code opens, now visible to the user."""
        where = (address or "unknown")[:MAX_ADDRESS_LENGTH]
        now = self.clock()
        async with self.database.write() as session:
            if not self.database.is_sqlite:
                await session.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK_KEY}
                )
            wait = await self._wait(session, user_id, where, now)
            opened = None if wait is not None else await self._open(session, user_id, code, now)
            if wait is None and opened is None:
                await add_failure(session, user_id, where, now)
        if wait is not None:
            raise InviteThrottled(wait)
        if opened is None:
            raise InvalidInput("code", INVALID_CODE)
        return opened

    async def _open(
        self, session: AsyncSession, user_id: uuid.UUID, code: str, now: datetime
    ) -> uuid.UUID | None:
        if not code or len(code) > MAX_CODE_LENGTH:
            return None
        link = await link_by_digest(session, code_digest(code))
        if link is None or link.revoked_at is not None or link.expires_at <= now:
            return None
        event = await lock_event(session, link.event_id)
        # A draft exists for its hosts only, and so do its codes.
        if event is None or event.status == EventStatus.DRAFT:
            return None
        if await has_accepted(session, event.id, user_id):
            return event.id  # accepting again costs no use
        if link.max_uses is not None and link.uses >= link.max_uses:
            return None
        await accept(session, link, user_id, now)
        return event.id

    async def _wait(
        self, session: AsyncSession, user_id: uuid.UUID, address: str, now: datetime
    ) -> int | None:
        since = now - max(self.throttle.window, ADDRESS_WINDOW)
        by_user, by_address = await failure_times(session, user_id, address, since)
        by_user = [at for at in by_user if at > now - self.throttle.window]
        by_address = [at for at in by_address if at > now - ADDRESS_WINDOW]
        waits = []
        if len(by_user) >= self.throttle.max_failures:
            waits.append(
                retry_after(by_user, self.throttle.max_failures, self.throttle.window, now)
            )
        per_minute = self.throttle.address_max_failures_per_minute
        if len(by_address) >= per_minute:
            waits.append(retry_after(by_address, per_minute, ADDRESS_WINDOW, now))
        return max(waits) if waits else None
