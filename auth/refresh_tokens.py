"""Opaque refresh tokens: issue, rotate with reuse detection, revoke.

A refresh token is 256 random bits (URL-safe base64), not a JWT: it means nothing
outside our database, only its SHA-256 is stored, and revoking it is deleting its
meaning there. Callers own the transaction (`database.write()`), so a token is issued
in the same transaction as whatever it belongs to.
"""

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from auth.errors import InvalidRefreshToken
from db.refresh_tokens import add_refresh_token, get_refresh_token, mark_used, revoke_family
from db.session_models import RefreshToken
from db.users import get_user_for_update

DEFAULT_REFRESH_TTL = timedelta(days=14)
TOKEN_BYTES = 32  # 256 bits
# A real token is 43 characters; anything much longer is not worth hashing.
MAX_REFRESH_TOKEN_LENGTH = 256


@dataclass(frozen=True)
class IssuedRefreshToken:
    token: str
    expires_in: int  # seconds
    family_id: uuid.UUID


@dataclass(frozen=True)
class Rotation:
    """What presenting a refresh token led to: the row to continue from, or why not."""

    row: RefreshToken | None
    reused: bool = False
    # Whose token was reused (their row is locked in the caller's transaction).
    user_id: uuid.UUID | None = None


def refresh_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue_refresh_token(
    session: AsyncSession,
    user_id: uuid.UUID,
    now: datetime,
    ttl: timedelta,
    family_id: uuid.UUID | None = None,
) -> IssuedRefreshToken:
    """A new token for the user; a new family unless `family_id` continues one."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    family = family_id or uuid.uuid4()
    await add_refresh_token(session, refresh_digest(token), user_id, family, now, now + ttl)
    return IssuedRefreshToken(token=token, expires_in=int(ttl.total_seconds()), family_id=family)


async def find_live_token(session: AsyncSession, token: str, now: datetime) -> RefreshToken:
    """The row of a known, unexpired, unrevoked token (used or not)."""
    if not token or len(token) > MAX_REFRESH_TOKEN_LENGTH:
        raise InvalidRefreshToken()
    row = await get_refresh_token(session, refresh_digest(token))
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        raise InvalidRefreshToken()
    return row


async def consume_refresh_token(session: AsyncSession, token: str, now: datetime) -> Rotation:
    """Mark the token used so it never works again.

    A token already used (sequentially, or by a concurrent request that won the
    conditional update) is a copy in someone else's hands: its family is revoked and
    the Rotation says `reused`. The caller must commit before raising, or the
    revocation would be rolled back with the error.
    """
    row = await lock_token_owner(session, token, now)
    if row.used_at is None and await mark_used(session, row.id, now):
        return Rotation(row=row)
    await revoke_family(session, row.family_id, now)
    return Rotation(row=None, reused=True, user_id=row.user_id)


async def lock_token_owner(session: AsyncSession, token: str, now: datetime) -> RefreshToken:
    """The live token's row, read again after locking its user.

    Every change to a user's refresh tokens (rotation, sign-out, revocation, a new
    sign-in) first locks the user row. On PostgreSQL this keeps them from interleaving:
    otherwise a token inserted by a rotation still uncommitted would escape a concurrent
    revocation's UPDATE. (SQLite's write transactions are serialised anyway.)
    """
    row = await find_live_token(session, token, now)
    await get_user_for_update(session, row.user_id)
    return await find_live_token(session, token, now)
