"""Sign-in throttling per email and per client address, counted in the database so
the limits hold across app instances.

Every password check is recorded as a failure *before* bcrypt runs and the record is
removed when the check succeeds. So checks running at the same time (concurrent
requests, other instances) all count, and a request that repeats or aliases signIn
gets no more checks than the limits allow. A refused attempt runs no bcrypt and is
not recorded.
"""

import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import text

from auth.credentials import normalize_email
from auth.errors import TooManyAttempts
from db.engine import Database
from db.login_failures import (
    add_login_failure,
    failure_times_for_address,
    failure_times_for_email,
)

ADDRESS_WINDOW = timedelta(minutes=1)
MAX_ADDRESS_LENGTH = 64
# Serialises the count-then-record step on PostgreSQL (SQLite's BEGIN IMMEDIATE
# already does); held for two small queries, never across bcrypt.
_ADVISORY_LOCK_KEY = 7_146_501


@dataclass(frozen=True)
class ThrottleSettings:
    max_failures: int = 5
    window: timedelta = timedelta(seconds=900)
    address_max_failures_per_minute: int = 30


@dataclass(frozen=True)
class Attempt:
    """A password check under way. On success the caller deletes the email's failures
    (this one included) in the transaction that signs the user in."""

    email_digest: str


def email_digest(email: str) -> str:
    return hashlib.sha256(normalize_email(email).encode()).hexdigest()


def retry_after(times: list[datetime], limit: int, window: timedelta, now: datetime) -> int:
    """Seconds until fewer than `limit` of `times` (newest first) are inside `window`."""
    freed_at = times[limit - 1] + window
    return max(1, math.ceil((freed_at - now).total_seconds()))


class SignInThrottle:
    def __init__(
        self, database: Database, settings: ThrottleSettings, clock: Callable[[], datetime]
    ) -> None:
        self.database = database
        self.settings = settings
        self.clock = clock

    async def begin(self, email: str, address: str | None) -> Attempt:
        """Record a password check about to run, or TooManyAttempts if over a limit."""
        digest = email_digest(email)
        where = (address or "unknown")[:MAX_ADDRESS_LENGTH]
        now = self.clock()
        async with self.database.write() as session:
            if not self.database.is_sqlite:
                await session.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK_KEY}
                )
            by_email = await failure_times_for_email(session, digest, now - self.settings.window)
            by_address = await failure_times_for_address(session, where, now - ADDRESS_WINDOW)
            wait = self._wait(by_email, by_address, now)
            if wait is None:
                await add_login_failure(session, digest, where, now)
        if wait is not None:
            raise TooManyAttempts(wait)
        return Attempt(email_digest=digest)

    def _wait(
        self, by_email: list[datetime], by_address: list[datetime], now: datetime
    ) -> int | None:
        waits = []
        if len(by_email) >= self.settings.max_failures:
            waits.append(
                retry_after(by_email, self.settings.max_failures, self.settings.window, now)
            )
        per_minute = self.settings.address_max_failures_per_minute
        if len(by_address) >= per_minute:
            waits.append(retry_after(by_address, per_minute, ADDRESS_WINDOW, now))
        return max(waits) if waits else None
