"""request theme origins: themes inferred for a request, and from what

Revision ID: 0012e
Revises: 0012d
Create Date: 2026-12-07 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012e"
down_revision: str | None = "0012d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "request_theme_origins",
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("theme_code", sa.String(length=60), nullable=False),
        sa.Column(
            "source",
            sa.Enum(
                "state",
                "text",
                "recommendation",
                name="themesource",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("score", sa.Double(), nullable=True),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["assistance_requests.id"],
            name=op.f("fk_request_theme_origins_request_id_assistance_requests"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_code"],
            ["themes.code"],
            name=op.f("fk_request_theme_origins_theme_code_themes"),
        ),
        sa.PrimaryKeyConstraint(
            "request_id", "theme_code", "source", name=op.f("pk_request_theme_origins")
        ),
    )


def downgrade() -> None:
    op.drop_table("request_theme_origins")
