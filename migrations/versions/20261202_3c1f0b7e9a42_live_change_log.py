"""live updates: the change log subscribers follow

Revision ID: 3c1f0b7e9a42
Revises: d7da84cba4a7
Create Date: 2026-12-02 16:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3c1f0b7e9a42"
down_revision: str | Sequence[str] | None = "d7da84cba4a7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "live_change",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=True),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("audience", sa.JSON(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_live_change")),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_live_change_at", "live_change", ["at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_live_change_at", table_name="live_change")
    op.drop_table("live_change")
