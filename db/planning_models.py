"""Tables of planning together: hosts, answers (RSVPs), invite links and their use.

Imported at the end of db/models.py, so they register on SQLModel.metadata wherever
the other tables do. Every row belongs to an event and a user and goes with either
(ON DELETE CASCADE); db/rsvps.py promotes the waitlist where a deleted user held a place.
"""

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, String, Uuid
from sqlmodel import Field, SQLModel

from db.types import UTCDateTime, utc_now


def _event_key() -> Column[uuid.UUID]:
    return Column(
        Uuid, ForeignKey("event.id", ondelete="CASCADE"), primary_key=True, nullable=False
    )


def _user_key() -> Column[uuid.UUID]:
    return Column(
        Uuid, ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True, nullable=False
    )


class EventHost(SQLModel, table=True):
    """Who runs an event: its creator (the first row) and the co-hosts."""

    __tablename__ = "event_host"
    # The visibility predicate and filter.hosting look up (user, event).
    __table_args__ = (Index("ix_event_host_user", "user_id", "event_id"),)

    event_id: uuid.UUID = Field(sa_column=_event_key())
    user_id: uuid.UUID = Field(sa_column=_user_key())
    added_at: datetime = Field(
        default_factory=utc_now, sa_column=Column(UTCDateTime, nullable=False)
    )


class Rsvp(SQLModel, table=True):
    """One user's answer to one event.

    `arrival` orders the answers of an event: it is taken from the event's counter
    (Event.rsvp_sequence) while the event row is locked, so it is unique per event and
    follows the order the answers were serialised in. A waitlist position is derived
    from it (how many WAITLISTED arrived before), never stored, so nothing is renumbered.
    """

    __tablename__ = "rsvp"
    __table_args__ = (
        Index("ix_rsvp_event_status_arrival", "event_id", "status", "arrival"),
        Index("ix_rsvp_user", "user_id", "event_id"),
    )

    event_id: uuid.UUID = Field(sa_column=_event_key())
    user_id: uuid.UUID = Field(sa_column=_user_key())
    status: str = Field(sa_column=Column(String(12), nullable=False))
    arrival: int = Field(sa_column=Column(BigInteger, nullable=False))
    responded_at: datetime = Field(
        default_factory=utc_now, sa_column=Column(UTCDateTime, nullable=False)
    )


class InviteLink(SQLModel, table=True):
    """A code that lets whoever holds it see a (private) event. Only the code's SHA-256
    is stored, as for refresh tokens: the code is shown once, when it is created."""

    __tablename__ = "invite_link"
    __table_args__ = (Index("ix_invite_link_event", "event_id", "created_at"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    event_id: uuid.UUID = Field(
        sa_column=Column(Uuid, ForeignKey("event.id", ondelete="CASCADE"), nullable=False)
    )
    digest: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    max_uses: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    uses: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    expires_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    created_at: datetime = Field(
        default_factory=utc_now, sa_column=Column(UTCDateTime, nullable=False)
    )


class InviteAcceptance(SQLModel, table=True):
    """A user who accepted an invite link to the event: they may see it while it is
    private (and not a draft)."""

    __tablename__ = "invite_acceptance"
    __table_args__ = (Index("ix_invite_acceptance_user", "user_id", "event_id"),)

    event_id: uuid.UUID = Field(sa_column=_event_key())
    user_id: uuid.UUID = Field(sa_column=_user_key())
    accepted_at: datetime = Field(
        default_factory=utc_now, sa_column=Column(UTCDateTime, nullable=False)
    )


class InviteFailure(SQLModel, table=True):
    """One acceptInvite with a code that was not valid, counted per user and per client
    address (auth/invite_throttle.py) so that codes cannot be guessed at speed."""

    __tablename__ = "invite_failure"
    __table_args__ = (
        Index("ix_invite_failure_user_at", "user_id", "at"),
        Index("ix_invite_failure_address_at", "address", "at"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(
        sa_column=Column(Uuid, ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False)
    )
    address: str = Field(sa_column=Column(String(64), nullable=False))
    at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
