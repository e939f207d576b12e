"""initial schema: accounts, events and their tags, with the indexes the queries use

Revision ID: 4e41448a8cdd
Revises:
Create Date: 2026-11-23 19:20:10.355380
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "4e41448a8cdd"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "user_account",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("token_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
    )
    op.create_index(
        "uq_user_account_email_lower",
        "user_account",
        [sa.literal_column("lower(email)")],
        unique=True,
    )
    op.create_table(
        "event",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("image", sa.String(length=2048), nullable=True),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("creator_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["creator_id"],
            ["user_account.id"],
            name=op.f("fk_event_creator_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event")),
    )
    op.create_index("ix_event_created_at_id", "event", ["created_at", "id"], unique=False)
    op.create_index(
        "ix_event_creator_created_at_id", "event", ["creator_id", "created_at", "id"], unique=False
    )
    op.create_table(
        "event_tag",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("tag", sa.String(length=50), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_event_tag_event_id_event"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("event_id", "tag", name=op.f("pk_event_tag")),
    )
    op.create_index("ix_event_tag_tag", "event_tag", ["tag", "event_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_event_tag_tag", table_name="event_tag")
    op.drop_table("event_tag")
    op.drop_index("ix_event_creator_created_at_id", table_name="event")
    op.drop_index("ix_event_created_at_id", table_name="event")
    op.drop_table("event")
    op.drop_index("uq_user_account_email_lower", table_name="user_account")
    op.drop_table("user_account")
