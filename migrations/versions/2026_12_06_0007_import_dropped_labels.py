"""import runs report the labels they dropped

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-06 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    # Earlier runs get an empty report; the default is only there to fill them.
    with op.batch_alter_table("import_runs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("dropped_labels", JSON, nullable=False, server_default=sa.text("'{}'"))
        )
    with op.batch_alter_table("import_runs", schema=None) as batch_op:
        batch_op.alter_column("dropped_labels", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("import_runs", schema=None) as batch_op:
        batch_op.drop_column("dropped_labels")
