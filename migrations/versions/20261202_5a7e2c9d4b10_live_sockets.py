"""live updates: open subscription sockets per user, across workers and instances

Revision ID: 5a7e2c9d4b10
Revises: 5d2e8a4c7f13
Create Date: 2026-12-02 20:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5a7e2c9d4b10"
down_revision: str | Sequence[str] | None = "5d2e8a4c7f13"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "live_socket",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("worker", sa.Uuid(), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_live_socket")),
    )
    op.create_index("ix_live_socket_user_id", "live_socket", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_live_socket_user_id", table_name="live_socket")
    op.drop_table("live_socket")
