"""Tables of mail: the outbox of mail jobs, and the single-use tokens mails carry.

Imported at the end of db/models.py, so they register on SQLModel.metadata wherever
the other tables do.
"""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, String, Uuid
from sqlmodel import Field, SQLModel

from db.types import UTCDateTime, utc_now


class MailJob(SQLModel, table=True):
    """One mail to send. Requests only insert these; the sender of some app instance
    claims a job, writes the mail (minting its token then, so no usable token is ever
    stored), sends it and marks it sent, or reschedules it, or gives up.

    A claim is a lease (`claimed_until`): a job whose instance died mid-send is taken
    up again by any instance once the lease has run out, so a restart loses nothing.
    """

    __tablename__ = "mail_outbox"
    __table_args__ = (
        Index("ix_mail_outbox_due", "sent_at", "gave_up_at", "next_attempt_at"),
        Index("ix_mail_outbox_recipient_created", "recipient", "created_at"),
        Index("ix_mail_outbox_client_created", "client_address", "created_at"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    # What to write (mail/templates.py): password_reset, verify_email, ...
    kind: str = Field(sa_column=Column(String(32), nullable=False))
    # Normalised (auth/credentials.py); the per-address limit counts on it.
    recipient: str = Field(sa_column=Column(String(254), nullable=False))
    # Whose account the mail is about, when known at enqueue time (an invitation: the
    # host who sent it; it goes with their account). A password reset request leaves
    # it empty: the request does the same work whether or not the address has an
    # account, and the sender looks the account up.
    user_id: uuid.UUID | None = Field(
        default=None,
        sa_column=Column(Uuid, ForeignKey("user_account.id", ondelete="CASCADE"), nullable=True),
    )
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # Who asked (the per-client limit counts on it); None for mails nobody asked for.
    client_address: str | None = Field(default=None, sa_column=Column(String(64), nullable=True))
    created_at: datetime = Field(
        default_factory=utc_now, sa_column=Column(UTCDateTime, nullable=False)
    )
    next_attempt_at: datetime = Field(
        default_factory=utc_now, sa_column=Column(UTCDateTime, nullable=False)
    )
    attempts: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default="0"))
    claimed_by: uuid.UUID | None = Field(default=None, sa_column=Column(Uuid, nullable=True))
    claimed_until: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime, nullable=True)
    )
    sent_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    gave_up_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    # The last refusal or failure, for operators (never a token: mails are not logged).
    last_error: str | None = Field(default=None, sa_column=Column(String(300), nullable=True))


class AccountToken(SQLModel, table=True):
    """A single-use token a mail carried (password reset, email verification, email
    change). Only its SHA-256 is stored. It is bound to its purpose, its user, and to
    `binding`: what must still hold when it is used (the password it may replace, the
    address it verifies). Using it deletes it; minting a new one for the same user and
    purpose deletes the older ones."""

    __tablename__ = "account_token"
    __table_args__ = (
        Index("ix_account_token_user_purpose", "user_id", "purpose"),
        Index("ix_account_token_expires_at", "expires_at"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    digest: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    purpose: str = Field(sa_column=Column(String(32), nullable=False))
    user_id: uuid.UUID = Field(
        sa_column=Column(Uuid, ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False)
    )
    binding: str = Field(sa_column=Column(String(254), nullable=False))
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    expires_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
