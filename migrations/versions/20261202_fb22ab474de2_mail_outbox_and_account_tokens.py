"""mail outbox, account tokens, User.email_verified_at

The outbox of mail jobs, the single-use tokens mails carry, and when a user verified
their address (existing users: not yet).

Revision ID: fb22ab474de2
Revises: 7a3c9e1d5b20
Create Date: 2026-12-02 13:10:14.212659
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "fb22ab474de2"
down_revision: str | Sequence[str] | None = "7a3c9e1d5b20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "account_token",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("purpose", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("binding", sa.String(length=254), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_account_token_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_token")),
        sa.UniqueConstraint("digest", name=op.f("uq_account_token_digest")),
    )
    with op.batch_alter_table("account_token", schema=None) as batch_op:
        batch_op.create_index("ix_account_token_expires_at", ["expires_at"], unique=False)
        batch_op.create_index("ix_account_token_user_purpose", ["user_id", "purpose"], unique=False)

    op.create_table(
        "mail_outbox",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("client_address", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("claimed_by", sa.Uuid(), nullable=True),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("gave_up_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_mail_outbox_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_outbox")),
    )
    with op.batch_alter_table("mail_outbox", schema=None) as batch_op:
        batch_op.create_index(
            "ix_mail_outbox_client_created", ["client_address", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_mail_outbox_due", ["sent_at", "gave_up_at", "next_attempt_at"], unique=False
        )
        batch_op.create_index(
            "ix_mail_outbox_recipient_created", ["recipient", "created_at"], unique=False
        )

    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("email_verified_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("email_verified_at")

    with op.batch_alter_table("mail_outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_mail_outbox_recipient_created")
        batch_op.drop_index("ix_mail_outbox_due")
        batch_op.drop_index("ix_mail_outbox_client_created")

    op.drop_table("mail_outbox")
    with op.batch_alter_table("account_token", schema=None) as batch_op:
        batch_op.drop_index("ix_account_token_user_purpose")
        batch_op.drop_index("ix_account_token_expires_at")

    op.drop_table("account_token")
