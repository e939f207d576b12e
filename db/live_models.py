"""The change log of live updates (docs/LIVE.md).

Imported at the end of db/models.py, so it registers on SQLModel.metadata wherever the
other tables do.
"""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Column, Index, Integer, String, Uuid, false
from sqlmodel import Field, SQLModel

from db.types import UTCDateTime, utc_now


class LiveChange(SQLModel, table=True):
    """One committed change that subscribers may hear about, written in the same
    transaction as the change itself (db/live_changes.py).

    On SQLite every worker follows this table by `seq`: SQLite runs one write
    transaction at a time, so a row's `seq` is also its commit order. On PostgreSQL the
    row travels as a NOTIFY in the same transaction (commit order again); the table is
    read for what a notification does not carry (who could see a deleted event, a long
    list of who lost access) and, after the listener reconnects, for the changes it
    missed meanwhile (db/change_feed.py). Rows are pruned after a few minutes: they
    serve followers that are seconds behind, not history.
    """

    __tablename__ = "live_change"
    __table_args__: Any = (
        Index("ix_live_change_at", "at"),
        {"sqlite_autoincrement": True},  # a seq is never reused after a prune
    )

    seq: int | None = Field(
        default=None,
        sa_column=Column(
            BigInteger().with_variant(Integer, "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
    )
    # CREATED, UPDATED, CANCELLED, DELETED, ATTENDANCE (about an event) or REVOKED
    # (about a user: their tokens were revoked or the account deleted).
    kind: str = Field(sa_column=Column(String(16), nullable=False))
    # No foreign keys: the row must outlive a deleted event or user.
    event_id: uuid.UUID | None = Field(default=None, sa_column=Column(Uuid, nullable=True))
    user_id: uuid.UUID | None = Field(default=None, sa_column=Column(Uuid, nullable=True))
    # DELETED only: the ids of the users who could see the event just before it went,
    # or null when every signed-in user could (published and public).
    audience: list[str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    # A change that may end someone's access (db/access_loss.py), as read in its own
    # transaction: every signed-in user could see the event just before it...
    public_before: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, server_default=false())
    )
    # ...or these users could, and no longer can. Null: nobody lost it.
    lost_access: list[str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    at: datetime = Field(default_factory=utc_now, sa_column=Column(UTCDateTime, nullable=False))


class LiveSocket(SQLModel, table=True):
    """An open subscription socket of a user, on whichever worker or instance holds it:
    what MAX_CONNECTIONS_PER_USER counts (db/live_sockets.py). Each worker refreshes
    `seen_at` of its rows; the rows of a worker that died without closing its sockets
    stop counting once stale."""

    __tablename__ = "live_socket"
    __table_args__: Any = (Index("ix_live_socket_user_id", "user_id"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, sa_column=Column(Uuid, primary_key=True))
    # No foreign key: a socket's row goes when the socket does, or goes stale.
    user_id: uuid.UUID = Field(sa_column=Column(Uuid, nullable=False))
    worker: uuid.UUID = Field(sa_column=Column(Uuid, nullable=False))
    seen_at: datetime = Field(
        default_factory=utc_now, sa_column=Column(UTCDateTime, nullable=False)
    )
