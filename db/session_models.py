"""Tables of the token lifecycle: refresh tokens and failed sign-in attempts.

Imported at the end of db/models.py, so they register on SQLModel.metadata wherever
the other tables do.
"""

import uuid
from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, String, Uuid
from sqlmodel import Field, SQLModel

from db.types import UTCDateTime, utc_now


class RefreshToken(SQLModel, table=True):
    """One issued refresh token. The token itself is never stored, only its SHA-256.

    Every token descends from one sign-in (its family); rotating marks the old row
    used and adds a new one in the same family, so a used token presented again
    reveals a copy and its whole family is revoked.
    """

    __tablename__ = "refresh_token"
    __table_args__ = (
        Index("ix_refresh_token_family", "family_id"),
        Index("ix_refresh_token_user", "user_id"),
        Index("ix_refresh_token_expires_at", "expires_at"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    digest: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    user_id: uuid.UUID = Field(
        sa_column=Column(Uuid, ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False)
    )
    family_id: uuid.UUID = Field(sa_column=Column(Uuid, nullable=False))
    issued_at: datetime = Field(
        default_factory=utc_now, sa_column=Column(UTCDateTime, nullable=False)
    )
    expires_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    # Set when the token was exchanged for a new one (rotation).
    used_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    # Set by sign-out, sign-out everywhere, a password change or reuse detection.
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))


class LoginFailure(SQLModel, table=True):
    """One password check that failed (or is running: a check is recorded before
    bcrypt runs and removed when it succeeds, so concurrent guesses count too).

    The email is kept as a SHA-256 digest: the throttle needs equality only, and the
    table then holds no addresses of people who mistyped theirs.
    """

    __tablename__ = "login_failure"
    __table_args__ = (
        Index("ix_login_failure_email_at", "email_digest", "at"),
        Index("ix_login_failure_address_at", "address", "at"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    email_digest: str = Field(sa_column=Column(String(64), nullable=False))
    address: str = Field(sa_column=Column(String(64), nullable=False))
    at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
