"""activity outputs and links: what an activity produced, and documents or pages about it

Revision ID: 0013
Revises: 0012c
Create Date: 2026-12-07 00:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0013"
down_revision: str | None = "0012c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    # Plain ADD COLUMN, never a batch copy: on SQLite, rebuilding `activities` would cascade
    # the deletion of its link rows (providers, recommendations, themes).
    op.add_column("activities", sa.Column("outputs", sa.Text(), nullable=True))
    op.add_column(
        "activities",
        sa.Column("links", JSON, nullable=False, server_default=sa.text("'[]'")),
    )


def downgrade() -> None:
    op.drop_column("activities", "links")
    op.drop_column("activities", "outputs")
