"""refresh tokens and sign-in failures

Revision ID: 62b5588ced3b
Revises: 4e41448a8cdd
Create Date: 2026-11-23 19:52:41.843602
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "62b5588ced3b"
down_revision: str | Sequence[str] | None = "4e41448a8cdd"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "login_failure",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("email_digest", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failure")),
    )
    with op.batch_alter_table("login_failure", schema=None) as batch_op:
        batch_op.create_index("ix_login_failure_address_at", ["address", "at"], unique=False)
        batch_op.create_index("ix_login_failure_email_at", ["email_digest", "at"], unique=False)

    op.create_table(
        "refresh_token",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("family_id", sa.Uuid(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_refresh_token_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refresh_token")),
        sa.UniqueConstraint("digest", name=op.f("uq_refresh_token_digest")),
    )
    with op.batch_alter_table("refresh_token", schema=None) as batch_op:
        batch_op.create_index("ix_refresh_token_expires_at", ["expires_at"], unique=False)
        batch_op.create_index("ix_refresh_token_family", ["family_id"], unique=False)
        batch_op.create_index("ix_refresh_token_user", ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("refresh_token", schema=None) as batch_op:
        batch_op.drop_index("ix_refresh_token_user")
        batch_op.drop_index("ix_refresh_token_family")
        batch_op.drop_index("ix_refresh_token_expires_at")

    op.drop_table("refresh_token")
    with op.batch_alter_table("login_failure", schema=None) as batch_op:
        batch_op.drop_index("ix_login_failure_email_at")
        batch_op.drop_index("ix_login_failure_address_at")

    op.drop_table("login_failure")
