"""The tables and their indexes. Schema changes go through a migration
(`alembic revision --autogenerate`); a test fails when models and migrations differ."""

import uuid
from datetime import datetime

from sqlalchemy import JSON, BigInteger, Column, ForeignKey, Index, Integer, String, Uuid, func
from sqlmodel import Field, SQLModel

from db.types import UTCDateTime, utc_now

# Named constraints, so that later migrations can drop or alter them by name (SQLite
# batch mode cannot address an unnamed constraint). Set before any table is declared.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class User(SQLModel, table=True):
    __tablename__ = "user_account"
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    email: str = Field(sa_column=Column(String(254), nullable=False))
    password_hash: str = Field(sa_column=Column(String(255), nullable=False))
    # What other people see; never derived from the email (auth/profiles.py names new
    # users; the server default only covers writers that give none).
    display_name: str = Field(sa_column=Column(String(60), nullable=False, server_default="Member"))
    # Bumped to invalidate every access token issued before (sign-out everywhere).
    token_version: int = Field(default=0, nullable=False)
    # Set when the user followed a verification link (or a reset link: both prove
    # they read mail at this address); cleared when the address changes.
    email_verified_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime, nullable=True)
    )
    created_at: datetime = Field(
        default_factory=utc_now, sa_column=Column(UTCDateTime, nullable=False)
    )


# Emails are stored trimmed and lower-cased; a unique index on lower(email) makes the
# database itself refuse a second account that differs only in case, and serves the
# sign-in lookup (db/users.py compares lower(email)).
Index("uq_user_account_email_lower", func.lower(User.email), unique=True)


class Event(SQLModel, table=True):
    __tablename__ = "event"
    __table_args__ = (
        Index("ix_event_created_at_id", "created_at", "id"),
        Index("ix_event_creator_created_at_id", "creator_id", "created_at", "id"),
        # STARTS_SOONEST: (starts_at, id) ascending for dated events, then the undated
        # ones by id (starts_at IS NULL): both walk this index (db/event_pages.py).
        Index("ix_event_starts_at_id", "starts_at", "id"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    title: str = Field(sa_column=Column(String(200), nullable=False))
    description: str = Field(default="", sa_column=Column(String, nullable=False))
    image: str | None = Field(default=None, sa_column=Column(String(2048), nullable=True))
    # Kept in order for output; EventTag indexes the same tags for filtering.
    tags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    location: str = Field(default="", sa_column=Column(String(200), nullable=False))
    starts_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    created_at: datetime = Field(
        default_factory=utc_now, sa_column=Column(UTCDateTime, nullable=False)
    )
    updated_at: datetime = Field(
        default_factory=utc_now, sa_column=Column(UTCDateTime, nullable=False)
    )
    creator_id: uuid.UUID = Field(
        sa_column=Column(Uuid, ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False)
    )
    ends_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    time_zone: str | None = Field(default=None, sa_column=Column(String(64), nullable=True))
    # Server defaults: rows written before these columns existed (and any writer that
    # does not know them) get today's behaviour, a public published event.
    visibility: str = Field(
        default="PUBLIC", sa_column=Column(String(10), nullable=False, server_default="PUBLIC")
    )
    status: str = Field(
        default="PUBLISHED",
        sa_column=Column(String(10), nullable=False, server_default="PUBLISHED"),
    )
    capacity: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    # The last arrival number handed to an answer (Rsvp.arrival), under the row's lock.
    rsvp_sequence: int = Field(
        default=0, sa_column=Column(BigInteger, nullable=False, server_default="0")
    )


class EventTag(SQLModel, table=True):
    """One row per (event, tag): an indexable, portable form of Event.tags."""

    __tablename__ = "event_tag"
    __table_args__ = (Index("ix_event_tag_tag", "tag", "event_id"),)

    event_id: uuid.UUID = Field(
        sa_column=Column(
            Uuid, ForeignKey("event.id", ondelete="CASCADE"), primary_key=True, nullable=False
        )
    )
    tag: str = Field(sa_column=Column(String(50), primary_key=True, nullable=False))


# The token lifecycle's, the stored documents', mail's and planning's tables live in
# their own modules; importing them here registers them wherever the models are loaded
# (create_all, migrations).
from db.document_models import PersistedQuery, TrustedDocument  # noqa: E402
from db.live_models import LiveChange, LiveSocket  # noqa: E402
from db.mail_models import AccountToken, MailJob  # noqa: E402
from db.planning_models import (  # noqa: E402
    EventHost,
    InviteAcceptance,
    InviteFailure,
    InviteLink,
    Rsvp,
)
from db.session_models import LoginFailure, RefreshToken  # noqa: E402

__all__ = [
    "AccountToken",
    "Event",
    "EventHost",
    "EventTag",
    "InviteAcceptance",
    "InviteFailure",
    "InviteLink",
    "LiveChange",
    "LiveSocket",
    "LoginFailure",
    "MailJob",
    "PersistedQuery",
    "RefreshToken",
    "Rsvp",
    "TrustedDocument",
    "User",
]
