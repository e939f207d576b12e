"""The periodic purge (auth/housekeeping.py) also takes expired mail link tokens and
mails sent or given up longer ago than MAIL_RETENTION_HOURS; fresh ones, and mails
still waiting to be sent however old, stay."""

import asyncio

from fastapi import FastAPI
from sqlmodel import select

from db.mail_models import AccountToken, MailJob
from tests.mail.conftest import Clock, Serve, outbox
from tests.mail.flows import REQUEST_RESET
from tests.mail.smtp_server import MailServer


async def finished(app: FastAPI, count: int) -> list[MailJob]:
    """The outbox once `count` jobs are sent or given up (a bound, not a timing test)."""
    for _ in range(1000):
        jobs = await outbox(app)
        if sum(1 for job in jobs if job.sent_at or job.gave_up_at) >= count:
            return jobs
        await asyncio.sleep(0.02)
    raise AssertionError(f"not {count} finished: {await outbox(app)}")


async def test_old_mails_and_link_tokens_are_purged_fresh_ones_stay(
    serve: Serve, clock: Clock, mail_server: MailServer
):
    async with serve() as api:  # now: a sent mail (and its token), a given-up one
        fresh = await api.sign_up(email="fresh@example.com")
        await api.post(REQUEST_RESET, {"email": "nobody-now@example.com"})
        await finished(api.app, 2)
    clock.advance(days=-10)
    async with serve() as api:  # ten days ago: the same
        await api.sign_up(email="old@example.com")
        await api.post(REQUEST_RESET, {"email": "nobody-then@example.com"})
        await finished(api.app, 4)
    async with serve(mail_sender=False) as api:  # and one never sent (no sender ran)
        await api.sign_up(email="pending@example.com")
    clock.advance(days=10)

    async with serve(mail_sender=False) as api:  # purges as it starts
        async with api.app.state.services.database.read() as session:
            tokens = (await session.execute(select(AccountToken))).scalars().all()
        jobs = await outbox(api.app)

    assert sorted(job.recipient for job in jobs) == [
        "fresh@example.com",
        "nobody-now@example.com",
        "pending@example.com",
    ]
    assert [str(token.user_id) for token in tokens] == [fresh.user_id]
