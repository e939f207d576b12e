"""Purging what has served its purpose while the app runs: expired refresh tokens,
sign-in and invite failures too old to count, expired mail link tokens, and mails
sent or given up longer ago than MAIL_RETENTION_HOURS (pending mails always stay).

Every instance does it; the deletes are idempotent, so several instances on one
database only repeat each other's work. `python main.py purge-tokens` does one round
from the command line (for cron, or with the periodic purge switched off).
"""

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from auth.account_mail import AccountMail
from auth.accounts import Accounts

logger = logging.getLogger("planner.housekeeping")


@dataclass(frozen=True)
class Purged:
    refresh_tokens: int
    failures: int
    link_tokens: int = 0
    mails: int = 0

    def summary(self) -> str:
        return (
            f"purged {self.refresh_tokens} expired refresh tokens, {self.failures} old "
            f"sign-in failures, {self.link_tokens} expired mail link tokens, "
            f"{self.mails} finished mails"
        )


async def purge(accounts: Accounts, account_mail: AccountMail | None = None) -> Purged:
    """One round of every purge."""
    tokens, failures = await accounts.purge_expired()
    link_tokens, mails = (0, 0) if account_mail is None else await account_mail.purge_finished()
    return Purged(tokens, failures, link_tokens, mails)


async def purge_once(accounts: Accounts, account_mail: AccountMail | None = None) -> None:
    try:
        purged = await purge(accounts, account_mail)
    except Exception:  # a failed round is retried at the next one; the app goes on
        logger.exception("Purging expired tokens failed")
        return
    logger.info("%s", purged.summary().capitalize())


async def _purge_forever(
    accounts: Accounts, account_mail: AccountMail | None, interval_seconds: float
) -> None:
    while True:
        await asyncio.sleep(interval_seconds)
        await purge_once(accounts, account_mail)


@asynccontextmanager
async def periodic_purge(
    accounts: Accounts, interval_seconds: float, account_mail: AccountMail | None = None
) -> AsyncIterator[None]:
    """Purge once now, then every `interval_seconds` until the block ends (0: never)."""
    if interval_seconds <= 0:
        yield
        return
    await purge_once(accounts, account_mail)
    task = asyncio.create_task(_purge_forever(accounts, account_mail, interval_seconds))
    try:
        yield
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
