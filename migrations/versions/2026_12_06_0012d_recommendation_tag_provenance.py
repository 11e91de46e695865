"""recommendation themes and groups: source, score, model, confirmation

Revision ID: 0012d
Revises: 0011
Create Date: 2026-12-06 23:45:00.367703
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012d"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("recommendation_groups", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "source",
                sa.Enum(
                    "machine",
                    "staff",
                    "import",
                    name="tagsource",
                    native_enum=False,
                    create_constraint=True,
                    length=32,
                ),
                server_default="staff",
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("score", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("model_version", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("confirmed_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_recommendation_groups_confirmed_by_id_users"),
            "users",
            ["confirmed_by_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("recommendation_themes", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "source",
                sa.Enum(
                    "machine",
                    "staff",
                    "import",
                    name="tagsource",
                    native_enum=False,
                    create_constraint=True,
                    length=32,
                ),
                server_default="staff",
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("score", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("model_version", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("confirmed_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_recommendation_themes_confirmed_by_id_users"),
            "users",
            ["confirmed_by_id"],
            ["id"],
            ondelete="SET NULL",
        )

    # Plain ALTER TABLE, never a batch (copy-and-rename) on SQLite: dropping the old
    # `recommendations` table would delete, through ON DELETE CASCADE, every row that refers
    # to it. Hence the reviewer's name rather than a foreign key (as in the audit log).
    op.add_column(
        "recommendations",
        sa.Column("tags_reviewed_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.add_column("recommendations", sa.Column("tags_reviewed_by", sa.String(200), nullable=True))

    # Existing links take the recommendation's own source: typed by staff (manual) -> staff;
    # UPR Info and UHRI rows -> import (their labels, or the tagger's for rows without, which
    # can no longer be told apart); report text carries no labels -> machine (the tagger's).
    for table in ("recommendation_themes", "recommendation_groups"):
        for rec_source, tag_source in (
            ("upr_info", "import"),
            ("uhri", "import"),
            ("report_text", "machine"),
        ):
            op.execute(
                sa.text(
                    f"UPDATE {table} SET source = :tag WHERE recommendation_id IN "  # noqa: S608
                    "(SELECT id FROM recommendations WHERE source = :rec)"
                ).bindparams(tag=tag_source, rec=rec_source)
            )


def downgrade() -> None:
    op.drop_column("recommendations", "tags_reviewed_by")
    op.drop_column("recommendations", "tags_reviewed_at")

    with op.batch_alter_table("recommendation_themes", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_recommendation_themes_confirmed_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("ck_recommendation_themes_tagsource"), type_="check")
        batch_op.drop_column("confirmed_at")
        batch_op.drop_column("confirmed_by_id")
        batch_op.drop_column("model_version")
        batch_op.drop_column("score")
        batch_op.drop_column("source")

    with op.batch_alter_table("recommendation_groups", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_recommendation_groups_confirmed_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("ck_recommendation_groups_tagsource"), type_="check")
        batch_op.drop_column("confirmed_at")
        batch_op.drop_column("confirmed_by_id")
        batch_op.drop_column("model_version")
        batch_op.drop_column("score")
        batch_op.drop_column("source")
