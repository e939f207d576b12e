"""Refresh token rows: lookups, the one-winner rotation update, revocation, purge."""

import uuid
from datetime import datetime

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from db.session_models import RefreshToken


async def add_refresh_token(
    session: AsyncSession,
    digest: str,
    user_id: uuid.UUID,
    family_id: uuid.UUID,
    issued_at: datetime,
    expires_at: datetime,
) -> RefreshToken:
    row = RefreshToken(
        digest=digest,
        user_id=user_id,
        family_id=family_id,
        issued_at=issued_at,
        expires_at=expires_at,
    )
    session.add(row)
    await session.flush()
    return row


async def get_refresh_token(session: AsyncSession, digest: str) -> RefreshToken | None:
    """The row as stored now, even if this session has seen it before."""
    statement = select(RefreshToken).where(col(RefreshToken.digest) == digest)
    result = await session.execute(statement.execution_options(populate_existing=True))
    return result.scalar_one_or_none()


async def mark_used(session: AsyncSession, token_id: uuid.UUID, now: datetime) -> bool:
    """Mark a live token used; False when another request already did (or revoked it).

    The condition is in the UPDATE itself, so of two concurrent rotations of one token
    exactly one changes the row, on SQLite and PostgreSQL alike.
    """
    result = await session.execute(
        update(RefreshToken)
        .where(
            col(RefreshToken.id) == token_id,
            col(RefreshToken.used_at).is_(None),
            col(RefreshToken.revoked_at).is_(None),
        )
        .values(used_at=now)
    )
    return getattr(result, "rowcount", 0) == 1


async def revoke_family(session: AsyncSession, family_id: uuid.UUID, now: datetime) -> None:
    await session.execute(
        update(RefreshToken)
        .where(col(RefreshToken.family_id) == family_id, col(RefreshToken.revoked_at).is_(None))
        .values(revoked_at=now)
    )


async def revoke_user_tokens(session: AsyncSession, user_id: uuid.UUID, now: datetime) -> None:
    await session.execute(
        update(RefreshToken)
        .where(col(RefreshToken.user_id) == user_id, col(RefreshToken.revoked_at).is_(None))
        .values(revoked_at=now)
    )


async def purge_expired_refresh_tokens(session: AsyncSession, now: datetime) -> int:
    """Delete rows past their expiry; used and revoked rows are kept until then, since
    a used one presented again must still be recognised as reuse."""
    result = await session.execute(delete(RefreshToken).where(col(RefreshToken.expires_at) <= now))
    return int(getattr(result, "rowcount", 0) or 0)
