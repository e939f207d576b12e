"""The mail outbox: enqueue, count what was asked for recently, claim due jobs, and
record what became of them."""

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from db.mail_models import MailJob


async def enqueue_mail(
    session: AsyncSession,
    kind: str,
    recipient: str,
    now: datetime,
    *,
    user_id: uuid.UUID | None = None,
    data: dict[str, Any] | None = None,
    client_address: str | None = None,
) -> None:
    session.add(
        MailJob(
            kind=kind,
            recipient=recipient,
            user_id=user_id,
            data=data or {},
            client_address=client_address,
            created_at=now,
            next_attempt_at=now,
        )
    )
    await session.flush()


async def _recent(session: AsyncSession, asked: Any, since: datetime, limit: int) -> list[datetime]:
    """When the newest `limit` mails matching `asked` after `since` were asked for (sent,
    pending or not), newest first: as many as a limit of `limit` needs to know whether
    it is reached and when it frees up."""
    statement = (
        select(col(MailJob.created_at))
        .where(asked, col(MailJob.created_at) > since)
        .order_by(col(MailJob.created_at).desc())
        .limit(limit)
    )
    return list((await session.execute(statement)).scalars())


async def recent_mails_to(
    session: AsyncSession, recipient: str, since: datetime, limit: int
) -> list[datetime]:
    """The times of the newest mails to this address (see _recent)."""
    return await _recent(session, col(MailJob.recipient) == recipient, since, limit)


async def recent_mails_from(
    session: AsyncSession, client_address: str, since: datetime, limit: int
) -> list[datetime]:
    """The times of the newest mails this client asked for (see _recent)."""
    return await _recent(session, col(MailJob.client_address) == client_address, since, limit)


async def set_mail_data(session: AsyncSession, job_id: uuid.UUID, data: dict[str, Any]) -> None:
    """Remember something about a job for its next attempt (never a token)."""
    await session.execute(update(MailJob).where(col(MailJob.id) == job_id).values(data=data))


def _due(now: datetime) -> Any:
    return (
        col(MailJob.sent_at).is_(None),
        col(MailJob.gave_up_at).is_(None),
        col(MailJob.next_attempt_at) <= now,
        or_(col(MailJob.claimed_until).is_(None), col(MailJob.claimed_until) < now),
    )


async def claim_due_mails(
    session: AsyncSession, claimer: uuid.UUID, now: datetime, lease: timedelta, limit: int
) -> list[MailJob]:
    """Claim up to `limit` due jobs for `claimer` until now + lease.

    PostgreSQL: the candidates are locked with FOR UPDATE SKIP LOCKED, so instances
    claiming at once take different rows instead of waiting for each other. SQLite
    ignores the lock clause, but its write transactions (BEGIN IMMEDIATE) run one at a
    time. On both, the UPDATE repeats the condition, so a row is claimed once.
    """
    candidates = (
        select(MailJob.id)
        .where(*_due(now))
        .order_by(col(MailJob.next_attempt_at))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    ids = list((await session.execute(candidates)).scalars())
    if not ids:
        return []
    await session.execute(
        update(MailJob)
        .where(col(MailJob.id).in_(ids), *_due(now))
        .values(claimed_by=claimer, claimed_until=now + lease)
    )
    claimed = (
        select(MailJob)
        .where(col(MailJob.id).in_(ids), col(MailJob.claimed_by) == claimer)
        .order_by(col(MailJob.next_attempt_at), col(MailJob.created_at))
    )
    result = await session.execute(claimed.execution_options(populate_existing=True))
    return list(result.scalars())


async def _finish(
    session: AsyncSession, job_id: uuid.UUID, claimer: uuid.UUID, **values: Any
) -> bool:
    """Update a job this claimer still holds; False when the lease was lost."""
    result = await session.execute(
        update(MailJob)
        .where(col(MailJob.id) == job_id, col(MailJob.claimed_by) == claimer)
        .values(claimed_by=None, claimed_until=None, **values)
    )
    return getattr(result, "rowcount", 0) == 1


async def mark_sent(
    session: AsyncSession, job_id: uuid.UUID, claimer: uuid.UUID, now: datetime
) -> bool:
    return await _finish(session, job_id, claimer, sent_at=now, last_error=None)


async def mark_skipped(
    session: AsyncSession, job_id: uuid.UUID, claimer: uuid.UUID, now: datetime, why: str
) -> bool:
    """Nothing to send (no such account any more): done, without a mail."""
    return await _finish(session, job_id, claimer, gave_up_at=now, last_error=why[:300])


async def reschedule(
    session: AsyncSession,
    job_id: uuid.UUID,
    claimer: uuid.UUID,
    attempts: int,
    at: datetime,
    error: str,
) -> bool:
    return await _finish(
        session, job_id, claimer, attempts=attempts, next_attempt_at=at, last_error=error[:300]
    )


async def give_up(
    session: AsyncSession, job_id: uuid.UUID, claimer: uuid.UUID, now: datetime, error: str
) -> bool:
    return await _finish(session, job_id, claimer, gave_up_at=now, last_error=error[:300])


async def release_claims(
    session: AsyncSession, job_ids: list[uuid.UUID], claimer: uuid.UUID
) -> None:
    """Give claimed jobs back untouched (an instance stopping)."""
    await session.execute(
        update(MailJob)
        .where(col(MailJob.id).in_(job_ids), col(MailJob.claimed_by) == claimer)
        .values(claimed_by=None, claimed_until=None)
    )


async def purge_finished_mails(session: AsyncSession, before: datetime) -> int:
    """Delete jobs sent or given up before `before` (they only served the limits)."""
    result = await session.execute(
        delete(MailJob).where(or_(col(MailJob.sent_at) < before, col(MailJob.gave_up_at) < before))
    )
    return int(getattr(result, "rowcount", 0) or 0)
