"""Following the change log (db/live_changes.py) from one worker: every committed
change, once, in commit order per event, handed to `deliver` one at a time.

- SQLite: the workers of one machine share the database file, so each reads the
  `live_change` table after the last seq it delivered, every `poll_seconds`.
- PostgreSQL: one dedicated connection per worker LISTENs on the channel; the server
  pushes each notification at commit, to every instance. Notifications sent while
  that connection was down are lost, so after every (re)connection the listener reads
  the table for what it missed, exactly as SQLite's follower does.

Both read the table through one `_catch_up`, and both recover through one retry loop
(`_keep_following`): a database outage, or only the listener's connection dropping,
pauses delivery; the feed reconnects by itself and resumes where it was
(db/feed_cursor.py: on PostgreSQL a re-read reaches back a window of seqs, because a
seq is taken at insert, not at commit, and skips what was already delivered).
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

import asyncpg

from db.engine import Database
from db.feed_cursor import FeedCursor
from db.live_changes import (
    CHANNEL,
    Change,
    change_from_notification,
    changes_after,
    last_seq,
    seqs_after,
)
from db.live_changes import prune_changes as prune
from db.types import utc_now

logger = logging.getLogger("planner.live")

Deliver = Callable[[Change], Awaitable[None]]
Recovered = Callable[[], None]

BATCH = 500
PRUNE_EVERY_SECONDS = 60.0
KEEP_FOR = timedelta(minutes=5)
# PostgreSQL: how far behind the highest delivered seq a re-read starts (changes
# recorded while a transaction with a lower seq was still uncommitted).
CATCH_UP_WINDOW = 1000
# The listener's connection, by name: operators (and the tests) can find it.
LISTENER_NAME = "planner-live-listener"


class ChangeFeed:
    def __init__(
        self,
        database: Database,
        *,
        poll_seconds: float = 0.2,
        retry_seconds: float = 0.5,
        health_seconds: float = 1.0,
    ) -> None:
        self.database = database
        self.poll_seconds = poll_seconds
        self.retry_seconds = retry_seconds
        self.health_seconds = health_seconds
        # Set once the feed follows (its starting seq read, and LISTEN issued on
        # PostgreSQL): changes committed from then on are delivered.
        self.ready = asyncio.Event()
        self.cursor = FeedCursor(0 if database.is_sqlite else CATCH_UP_WINDOW)
        self._last_prune = 0.0

    async def run(self, deliver: Deliver) -> None:
        """Runs until cancelled."""
        if self.database.is_sqlite:
            await self._keep_following("Live change log", self._poll, deliver)
        else:
            await self._keep_following("Live listener", self._listen, deliver)

    async def _keep_following(
        self,
        name: str,
        follow: Callable[[Deliver, Recovered], Awaitable[None]],
        deliver: Deliver,
    ) -> None:
        """Run `follow` again whenever it fails (the database or the connection went
        away), logging once per outage; `follow` calls `recovered` once it follows."""
        failing = False

        def recovered() -> None:
            nonlocal failing
            if failing:
                logger.info("%s reconnected; resumed after seq %s", name, self.cursor.high)
                failing = False

        while True:
            try:
                await follow(deliver, recovered)
            except asyncio.CancelledError:
                raise
            except Exception:
                if not failing:
                    logger.warning("%s lost its connection; reconnecting", name, exc_info=True)
                failing = True
                await asyncio.sleep(self.retry_seconds)

    async def _catch_up(self, deliver: Deliver) -> None:
        """Deliver, in seq order, the committed changes of the log not delivered yet.
        The first time, only note where the log is: what was committed before this
        worker followed it is not delivered."""
        after = self.cursor.resume_after()
        while True:
            async with self.database.read() as session:
                if not self.cursor.started:
                    high = await last_seq(session)
                    present = await seqs_after(session, max(high - self.cursor.window, 0))
                    self.cursor.start(high, present)
                    return
                changes = await changes_after(session, after, BATCH)
            for change in changes:
                await self._deliver_once(deliver, change)
            if len(changes) < BATCH:
                return
            after = changes[-1].seq

    async def _deliver_once(self, deliver: Deliver, change: Change) -> None:
        """Deliver unless delivered already, retrying while the database is unreachable:
        delivery pauses."""
        if not self.cursor.fresh(change.seq):
            return
        while True:
            try:
                await deliver(change)
                break
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning(
                    "Live delivery of change %s paused; retrying", change.seq, exc_info=True
                )
                await asyncio.sleep(self.retry_seconds)
        self.cursor.delivered(change.seq)

    async def _poll(self, deliver: Deliver, recovered: Recovered) -> None:
        """SQLite: read the table every poll_seconds."""
        while True:
            await self._catch_up(deliver)
            recovered()
            self.ready.set()
            await self._maybe_prune()
            await asyncio.sleep(self.poll_seconds)

    async def _listen(self, deliver: Deliver, recovered: Recovered) -> None:
        """PostgreSQL: LISTEN first, then read what was missed meanwhile (nothing the
        first time), then deliver notifications as they come; skipping seqs the
        catch-up delivered already."""
        url = self.database.url.set(drivername="postgresql")
        connection = await asyncpg.connect(
            url.render_as_string(hide_password=False),
            timeout=5,
            server_settings={"application_name": LISTENER_NAME},
        )
        try:
            payloads: asyncio.Queue[str] = asyncio.Queue()
            await connection.add_listener(CHANNEL, _listener(payloads))
            await self._catch_up(deliver)
            recovered()
            self.ready.set()
            while True:
                try:
                    # asyncio.timeout, not wait_for: Python 3.11's wait_for can
                    # swallow a cancellation that arrives as a payload does.
                    async with asyncio.timeout(self.health_seconds):
                        payload = await payloads.get()
                except TimeoutError:
                    await connection.fetchval("SELECT 1", timeout=self.health_seconds * 2)
                    await self._maybe_prune()
                    continue
                try:
                    change = change_from_notification(payload)
                except (ValueError, KeyError, TypeError):
                    logger.warning("Ignored a malformed live notification")
                    continue
                await self._deliver_once(deliver, change)
        finally:
            connection.terminate()

    async def _maybe_prune(self) -> None:
        """Every minute or so, forget changes old enough that no follower needs them."""
        now = asyncio.get_running_loop().time()
        if now - self._last_prune < PRUNE_EVERY_SECONDS:
            return
        self._last_prune = now
        try:
            async with self.database.write() as session:
                await prune(session, utc_now() - KEEP_FOR)
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.warning("Pruning the live change log failed", exc_info=True)


def _listener(payloads: "asyncio.Queue[str]") -> Callable[[object, int, str, object], None]:
    def heard(_connection: object, _pid: int, _channel: str, payload: object) -> None:
        payloads.put_nowait(str(payload))

    return heard
