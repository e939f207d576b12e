"""live updates: who could see an event just before a change (ACCESS_LOST on eventsChanged)

Revision ID: 5d2e8a4c7f13
Revises: 3c1f0b7e9a42
Create Date: 2026-12-02 19:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5d2e8a4c7f13"
down_revision: str | Sequence[str] | None = "3c1f0b7e9a42"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "live_change",
        sa.Column("public_before", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.add_column("live_change", sa.Column("lost_access", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("live_change") as batch:
        batch.drop_column("lost_access")
        batch.drop_column("public_before")
