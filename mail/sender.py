"""The outbox's sender: a task in each app instance that claims due mail jobs, asks
auth/account_mail.py what each says (minting its token), sends it, and records the
outcome. Delivery is at least once: a job is marked sent after the server accepted it,
so an instance dying in between sends that mail again once its lease runs out.

Connection failures and 4xx answers are retried with exponential backoff, without a
limit (an outage delays mail, never loses it); a 5xx answer is a refusal for good and
is logged and given up.
"""

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from datetime import datetime, timedelta

from auth.account_mail import AccountMail
from db.engine import Database
from db.mail_models import MailJob
from db.outbox import (
    claim_due_mails,
    give_up,
    mark_sent,
    mark_skipped,
    release_claims,
    reschedule,
)
from db.types import utc_now
from mail.config import MailConfig
from mail.templates import render
from mail.transport import SendFailed, Transport, build_transport

logger = logging.getLogger("planner.mail")
STOP_SECONDS = 10.0


class MailSender:
    def __init__(
        self,
        database: Database,
        account_mail: AccountMail,
        config: MailConfig,
        transport: Transport | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.database = database
        self.account_mail = account_mail
        self.config = config
        self.transport = transport or build_transport(config.smtp, config.folder)
        self.clock = clock
        self.claimer = uuid.uuid4()  # this instance, in the jobs it claims
        self._wake: asyncio.Event | None = None
        self._stopping = False

    def stop(self) -> None:
        self._stopping = True
        self.notify()

    def notify(self) -> None:
        """A job was enqueued here: look now rather than at the next poll."""
        if self._wake is not None:
            self._wake.set()

    async def send_due(self) -> int:
        """Claim and handle the jobs due now; how many were claimed."""
        now = self.clock()
        lease = timedelta(seconds=self.config.lease_seconds)
        async with self.database.write() as session:
            jobs = await claim_due_mails(session, self.claimer, now, lease, self.config.batch_size)
        for index, job in enumerate(jobs):
            if self._stopping:  # the rest go back to the outbox for any instance
                async with self.database.write() as session:
                    await release_claims(session, [j.id for j in jobs[index:]], self.claimer)
                break
            await self._handle(job)
        return len(jobs)

    async def _handle(self, job: MailJob) -> None:
        try:
            async with self.database.write() as session:
                content = await self.account_mail.prepare(session, job, self.clock())
                if content is None:
                    await mark_skipped(
                        session, job.id, self.claimer, self.clock(), "nothing to send"
                    )
                    return
        except Exception:  # a database hiccup: the job waits for its next attempt
            logger.exception("Preparing mail job %s failed", job.id)
            await self._retry(job, "preparing failed")
            return
        message = render(content, self.config.mail_from, self.config.frontend_url)
        try:
            await self.transport.send(message)
        except SendFailed as failure:
            if failure.permanent:
                logger.warning(
                    "Mail job %s (%s) refused for good, given up: %s",
                    job.id,
                    job.kind,
                    failure.reason,
                )
                async with self.database.write() as session:
                    await give_up(session, job.id, self.claimer, self.clock(), failure.reason)
                return
            await self._retry(job, failure.reason)
            return
        async with self.database.write() as session:
            await mark_sent(session, job.id, self.claimer, self.clock())

    async def _retry(self, job: MailJob, reason: str) -> None:
        attempts = job.attempts + 1
        delay = min(
            self.config.first_retry_seconds * 2 ** (attempts - 1), self.config.max_retry_seconds
        )
        logger.info(
            "Mail job %s (%s) attempt %d failed (%s); next in %.1fs",
            job.id,
            job.kind,
            attempts,
            reason,
            delay,
        )
        at = self.clock() + timedelta(seconds=delay)
        async with self.database.write() as session:
            await reschedule(session, job.id, self.claimer, attempts, at, reason)

    async def run(self) -> None:
        """Forever: send what is due, then wait for a poll interval or a notify."""
        self._wake = asyncio.Event()
        self._stopping = False
        while not self._stopping:
            self._wake.clear()
            try:
                while await self.send_due() == self.config.batch_size:
                    pass
            except Exception:  # the database is away; the next round tries again
                logger.exception("Sending mail failed")
            if self._stopping:
                break
            with suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.config.poll_seconds)


@asynccontextmanager
async def running_sender(sender: MailSender | None) -> AsyncIterator[None]:
    """Run `sender` in the background for the block's duration (None: nothing)."""
    if sender is None:
        yield
        return
    task = asyncio.create_task(sender.run())
    try:
        yield
    finally:
        # Stopped between jobs rather than cancelled inside a database transaction or
        # an SMTP exchange; cancelled only if a send hangs longer than that allows.
        sender.stop()
        with suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(task), STOP_SECONDS)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        sender._wake = None
