"""planning together: visibility, hosts, rsvps, invite links, display names

An existing database keeps working as before: its events become PUBLIC and PUBLISHED
(the columns' server defaults), each creator becomes the first host of their events,
and every user gets a display name made from their id ("Member 3f9c2a"), which
reveals nothing of the email address (auth/profiles.py makes the same default).

Revision ID: d7da84cba4a7
Revises: fb22ab474de2
Create Date: 2026-12-02 12:26:21.487235
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d7da84cba4a7"
down_revision: str | Sequence[str] | None = "fb22ab474de2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "invite_failure",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_invite_failure_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invite_failure")),
    )
    with op.batch_alter_table("invite_failure", schema=None) as batch_op:
        batch_op.create_index("ix_invite_failure_address_at", ["address", "at"], unique=False)
        batch_op.create_index("ix_invite_failure_user_at", ["user_id", "at"], unique=False)

    op.create_table(
        "event_host",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_event_host_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_event_host_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "user_id", name=op.f("pk_event_host")),
    )
    with op.batch_alter_table("event_host", schema=None) as batch_op:
        batch_op.create_index("ix_event_host_user", ["user_id", "event_id"], unique=False)

    op.create_table(
        "invite_acceptance",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_invite_acceptance_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_invite_acceptance_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "user_id", name=op.f("pk_invite_acceptance")),
    )
    with op.batch_alter_table("invite_acceptance", schema=None) as batch_op:
        batch_op.create_index("ix_invite_acceptance_user", ["user_id", "event_id"], unique=False)

    op.create_table(
        "invite_link",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("max_uses", sa.Integer(), nullable=True),
        sa.Column("uses", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_invite_link_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invite_link")),
        sa.UniqueConstraint("digest", name=op.f("uq_invite_link_digest")),
    )
    with op.batch_alter_table("invite_link", schema=None) as batch_op:
        batch_op.create_index("ix_invite_link_event", ["event_id", "created_at"], unique=False)

    op.create_table(
        "rsvp",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("arrival", sa.BigInteger(), nullable=False),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_rsvp_event_id_event"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_rsvp_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "user_id", name=op.f("pk_rsvp")),
    )
    with op.batch_alter_table("rsvp", schema=None) as batch_op:
        batch_op.create_index(
            "ix_rsvp_event_status_arrival", ["event_id", "status", "arrival"], unique=False
        )
        batch_op.create_index("ix_rsvp_user", ["user_id", "event_id"], unique=False)

    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("time_zone", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("visibility", sa.String(length=10), server_default="PUBLIC", nullable=False)
        )
        batch_op.add_column(
            sa.Column("status", sa.String(length=10), server_default="PUBLISHED", nullable=False)
        )
        batch_op.add_column(sa.Column("capacity", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("rsvp_sequence", sa.BigInteger(), server_default="0", nullable=False)
        )
        batch_op.create_index("ix_event_starts_at_id", ["starts_at", "id"], unique=False)

    # Added NOT NULL with a server default, then filled: SQLite adds such a column in
    # place, where making it NOT NULL afterwards would rebuild the table, and dropping
    # the old user_account would cascade to every event.
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("display_name", sa.String(length=60), server_default="Member", nullable=False)
        )
    op.execute(_default_display_names())

    # Every creator is the first host of their events (added when the event was made).
    op.execute(
        "INSERT INTO event_host (event_id, user_id, added_at) "
        "SELECT id, creator_id, created_at FROM event"
    )


def _default_display_names() -> str:
    """ "Member " and the first six hex digits of the user's id, as auth/profiles.py
    names a new user who gives no name. SQLite stores a Uuid as 32 hex digits;
    PostgreSQL as uuid, whose text form starts with the same digits."""
    if op.get_bind().dialect.name == "sqlite":
        return "UPDATE user_account SET display_name = 'Member ' || substr(lower(id), 1, 6)"
    return "UPDATE user_account SET display_name = 'Member ' || substr(CAST(id AS TEXT), 1, 6)"


def downgrade() -> None:
    # Columns are dropped in place (SQLite >= 3.35 can): batch mode would rebuild
    # user_account and event, and dropping the old tables would cascade to their rows.
    op.drop_column("user_account", "display_name")
    op.drop_index("ix_event_starts_at_id", table_name="event")
    for column in ("rsvp_sequence", "capacity", "status", "visibility", "time_zone", "ends_at"):
        op.drop_column("event", column)

    with op.batch_alter_table("rsvp", schema=None) as batch_op:
        batch_op.drop_index("ix_rsvp_user")
        batch_op.drop_index("ix_rsvp_event_status_arrival")

    op.drop_table("rsvp")
    with op.batch_alter_table("invite_link", schema=None) as batch_op:
        batch_op.drop_index("ix_invite_link_event")

    op.drop_table("invite_link")
    with op.batch_alter_table("invite_acceptance", schema=None) as batch_op:
        batch_op.drop_index("ix_invite_acceptance_user")

    op.drop_table("invite_acceptance")
    with op.batch_alter_table("event_host", schema=None) as batch_op:
        batch_op.drop_index("ix_event_host_user")

    op.drop_table("event_host")
    with op.batch_alter_table("invite_failure", schema=None) as batch_op:
        batch_op.drop_index("ix_invite_failure_user_at")
        batch_op.drop_index("ix_invite_failure_address_at")

    op.drop_table("invite_failure")
