"""Failed sign-in attempts, counted per email digest and per client address."""

from datetime import datetime

from sqlalchemy import ColumnElement, delete
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from db.session_models import LoginFailure


async def add_login_failure(
    session: AsyncSession, email_digest: str, address: str, at: datetime
) -> None:
    session.add(LoginFailure(email_digest=email_digest, address=address, at=at))
    await session.flush()


async def failure_times_for_email(
    session: AsyncSession, email_digest: str, since: datetime
) -> list[datetime]:
    """Times of the email's failures after `since`, newest first."""
    return await _failure_times(session, col(LoginFailure.email_digest) == email_digest, since)


async def failure_times_for_address(
    session: AsyncSession, address: str, since: datetime
) -> list[datetime]:
    """Times of the address's failures after `since`, newest first."""
    return await _failure_times(session, col(LoginFailure.address) == address, since)


async def _failure_times(
    session: AsyncSession, whose: ColumnElement[bool], since: datetime
) -> list[datetime]:
    result = await session.execute(
        select(LoginFailure.at)
        .where(whose, col(LoginFailure.at) > since)
        .order_by(col(LoginFailure.at).desc())
    )
    return list(result.scalars())


async def delete_email_failures(session: AsyncSession, email_digest: str) -> None:
    await session.execute(
        delete(LoginFailure).where(col(LoginFailure.email_digest) == email_digest)
    )


async def purge_login_failures(session: AsyncSession, before: datetime) -> int:
    result = await session.execute(delete(LoginFailure).where(col(LoginFailure.at) <= before))
    return int(getattr(result, "rowcount", 0) or 0)
