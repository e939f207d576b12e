"""Following the change log (db/live_changes.py) from one worker: every committed
change, once, in commit order, handed to `deliver` one at a time.

- SQLite: the workers of one machine share the database file, so each follows the
  `live_change` table by its monotonic seq, polling every `poll_seconds`.
- PostgreSQL: one dedicated connection per worker LISTENs on the channel; the server
  pushes each notification at commit, to every instance.

A database outage pauses delivery; the follower reconnects by itself. On SQLite it
resumes at the seq it had reached, so nothing is lost. On PostgreSQL a change can only
be missed if this listener's connection was down while the database still accepted
writes from others (an outage of the database itself commits nothing to miss); the log
says when a listener reconnected.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

import asyncpg

from db.engine import Database
from db.live_changes import CHANNEL, Change, change_from_notification, changes_after, last_seq
from db.live_changes import prune_changes as prune
from db.types import utc_now

logger = logging.getLogger("planner.live")

Deliver = Callable[[Change], Awaitable[None]]

BATCH = 500
PRUNE_EVERY_SECONDS = 60.0
KEEP_FOR = timedelta(minutes=5)


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
        # Set once the feed follows (its starting seq read, or LISTEN issued): changes
        # committed from then on are delivered.
        self.ready = asyncio.Event()
        self._last_prune = 0.0

    async def run(self, deliver: Deliver) -> None:
        """Runs until cancelled."""
        if self.database.is_sqlite:
            await self._follow_table(deliver)
        else:
            await self._listen(deliver)

    async def _deliver(self, deliver: Deliver, change: Change) -> None:
        """Deliver, retrying while the database is unreachable: delivery pauses."""
        while True:
            try:
                await deliver(change)
                return
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning(
                    "Live delivery of change %s paused; retrying", change.seq, exc_info=True
                )
                await asyncio.sleep(self.retry_seconds)

    async def _follow_table(self, deliver: Deliver) -> None:
        seq: int | None = None
        failing = False
        while True:
            try:
                async with self.database.read() as session:
                    if seq is None:
                        seq = await last_seq(session)
                        self.ready.set()
                    changes = await changes_after(session, seq, BATCH)
                await self._maybe_prune()
            except asyncio.CancelledError:
                raise
            except Exception:
                if not failing:
                    logger.warning("Live change log unreachable; retrying", exc_info=True)
                failing = True
                await asyncio.sleep(self.retry_seconds)
                continue
            if failing:
                logger.info("Live change log reachable again; resuming at seq %s", seq)
                failing = False
            for change in changes:
                await self._deliver(deliver, change)
                seq = change.seq
            if len(changes) < BATCH:
                await asyncio.sleep(self.poll_seconds)

    async def _listen(self, deliver: Deliver) -> None:
        url = self.database.url.set(drivername="postgresql")
        dsn = url.render_as_string(hide_password=False)
        reconnecting = False
        while True:
            connection: asyncpg.Connection | None = None
            try:
                connection = await asyncpg.connect(dsn, timeout=5)
                payloads: asyncio.Queue[str] = asyncio.Queue()

                await connection.add_listener(CHANNEL, _listener(payloads))
                if reconnecting:
                    logger.info("Live listener reconnected")
                    reconnecting = False
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
                    await self._deliver(deliver, change)
            except asyncio.CancelledError:
                raise
            except Exception:
                if not reconnecting:
                    logger.warning("Live listener lost its connection; reconnecting", exc_info=True)
                reconnecting = True
                await asyncio.sleep(self.retry_seconds)
            finally:
                if connection is not None:
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
