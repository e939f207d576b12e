"""Single-use tokens that mails carry: mint, check, use.

256 random bits (URL-safe base64); only the SHA-256 is stored, with the token's
purpose, user, expiry and `binding`: what must still be true when it is used (the
password hash it may replace, the address it verifies). Every way a token can fail
(unknown, used, expired, superseded, bound to something that changed) gives the same
answer, so a client learns nothing from which it was.
"""

import hashlib
import secrets
import uuid
from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from db.account_tokens import find_account_token, replace_account_token, take_account_token
from db.errors import InvalidInput
from db.mail_models import AccountToken

RESET_PASSWORD = "password_reset"  # noqa: S105 (a purpose, not a secret)
VERIFY_EMAIL = "verify_email"
CHANGE_EMAIL = "change_email"

TOKEN_BYTES = 32  # 256 bits
MAX_TOKEN_LENGTH = 128  # a real one is 43 characters
INVALID_LINK = "This link is invalid or has expired; ask for a new one"


class InvalidAccountToken(InvalidInput):
    def __init__(self) -> None:
        super().__init__("token", INVALID_LINK)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def password_binding(password_hash: str) -> str:
    """What a reset token is bound to: the password it may replace. Any change of the
    password since (by a reset, changePassword, a rehash) makes the token stale."""
    return hashlib.sha256(password_hash.encode()).hexdigest()


async def mint_account_token(
    session: AsyncSession,
    purpose: str,
    user_id: uuid.UUID,
    binding: str,
    now: datetime,
    ttl: timedelta,
) -> str:
    """A new token; the user's earlier ones for `purpose` stop working."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    await replace_account_token(
        session, token_digest(token), purpose, user_id, binding, now, now + ttl
    )
    return token


async def find_account_token_for(
    session: AsyncSession, token: str, purposes: Collection[str], now: datetime
) -> AccountToken:
    """The live token's row, or InvalidAccountToken."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise InvalidAccountToken()
    row = await find_account_token(session, token_digest(token))
    if row is None or row.purpose not in purposes or row.expires_at <= now:
        raise InvalidAccountToken()
    return row


async def use_account_token(
    session: AsyncSession, token: str, purposes: Collection[str], now: datetime
) -> AccountToken:
    """Find the token and delete it, in the caller's write transaction: of two requests
    presenting it at once, one gets the row and the other InvalidAccountToken."""
    row = await find_account_token_for(session, token, purposes, now)
    if not await take_account_token(session, row.id):
        raise InvalidAccountToken()
    return row
