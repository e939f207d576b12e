"""Rows of single-use account tokens (db/mail_models.py's AccountToken)."""

import uuid
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from db.mail_models import AccountToken


async def replace_account_token(
    session: AsyncSession,
    digest: str,
    purpose: str,
    user_id: uuid.UUID,
    binding: str,
    now: datetime,
    expires_at: datetime,
) -> None:
    """Store a new token; the user's older ones for this purpose stop working."""
    await delete_account_tokens(session, user_id, purpose)
    session.add(
        AccountToken(
            digest=digest,
            purpose=purpose,
            user_id=user_id,
            binding=binding,
            created_at=now,
            expires_at=expires_at,
        )
    )
    await session.flush()


async def find_account_token(session: AsyncSession, digest: str) -> AccountToken | None:
    statement = select(AccountToken).where(col(AccountToken.digest) == digest)
    result = await session.execute(statement.execution_options(populate_existing=True))
    return result.scalar_one_or_none()


async def take_account_token(session: AsyncSession, token_id: uuid.UUID) -> bool:
    """Delete the token; True for the one caller that did (single use, also when two
    requests present it at once)."""
    result = await session.execute(delete(AccountToken).where(col(AccountToken.id) == token_id))
    return getattr(result, "rowcount", 0) == 1


async def delete_account_tokens(session: AsyncSession, user_id: uuid.UUID, purpose: str) -> None:
    await session.execute(
        delete(AccountToken).where(
            col(AccountToken.user_id) == user_id, col(AccountToken.purpose) == purpose
        )
    )


async def purge_expired_account_tokens(session: AsyncSession, now: datetime) -> int:
    result = await session.execute(delete(AccountToken).where(col(AccountToken.expires_at) <= now))
    return int(getattr(result, "rowcount", 0) or 0)
