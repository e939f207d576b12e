"""Purging expired refresh tokens and stale sign-in failures while the app runs.

Every instance does it; the deletes are idempotent, so several instances on one
database only repeat each other's work. `python main.py purge-tokens` does one round
from the command line (for cron, or with the periodic purge switched off).
"""

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from auth.accounts import Accounts

logger = logging.getLogger("planner.housekeeping")


async def purge_once(accounts: Accounts) -> None:
    try:
        tokens, failures = await accounts.purge_expired()
    except Exception:  # a failed round is retried at the next one; the app goes on
        logger.exception("Purging expired tokens failed")
        return
    logger.info("Purged %d expired refresh tokens, %d old sign-in failures", tokens, failures)


async def _purge_forever(accounts: Accounts, interval_seconds: float) -> None:
    while True:
        await asyncio.sleep(interval_seconds)
        await purge_once(accounts)


@asynccontextmanager
async def periodic_purge(accounts: Accounts, interval_seconds: float) -> AsyncIterator[None]:
    """Purge once now, then every `interval_seconds` until the block ends (0: never)."""
    if interval_seconds <= 0:
        yield
        return
    await purge_once(accounts)
    task = asyncio.create_task(_purge_forever(accounts, interval_seconds))
    try:
        yield
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
