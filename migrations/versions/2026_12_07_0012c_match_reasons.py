"""matches: the run's reasons as codes and parameters, worded in each reader's language

Revision ID: 0012c
Revises: 0012e
Create Date: 2026-12-07 00:05:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0012c"
down_revision: str | None = "0012e"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("matches", schema=None) as batch_op:
        # Existing matches get none: they keep their English explanation until the next run.
        batch_op.add_column(
            sa.Column(
                "reasons",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=False,
                server_default="[]",
            )
        )
    with op.batch_alter_table("matches", schema=None) as batch_op:
        batch_op.alter_column("reasons", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("matches", schema=None) as batch_op:
        batch_op.drop_column("reasons")
