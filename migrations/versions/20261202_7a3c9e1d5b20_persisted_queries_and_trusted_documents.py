"""persisted queries (APQ) and trusted documents

Revision ID: 7a3c9e1d5b20
Revises: 62b5588ced3b
Create Date: 2026-12-02 13:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7a3c9e1d5b20"
down_revision: str | Sequence[str] | None = "62b5588ced3b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "persisted_query",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_persisted_query")),
    )
    with op.batch_alter_table("persisted_query", schema=None) as batch_op:
        batch_op.create_index("ix_persisted_query_stored_at", ["stored_at"], unique=False)

    op.create_table(
        "trusted_document",
        sa.Column("id", sa.String(length=256), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trusted_document")),
    )


def downgrade() -> None:
    op.drop_table("trusted_document")
    with op.batch_alter_table("persisted_query", schema=None) as batch_op:
        batch_op.drop_index("ix_persisted_query_stored_at")

    op.drop_table("persisted_query")
