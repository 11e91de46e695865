"""text search indexes: FTS5 trigram table for recommendations (SQLite), pg_trgm GIN (PostgreSQL)

Revision ID: 0012f
Revises: 0012b
Create Date: 2026-12-07 00:05:00

`app/db/text_search.py` uses them: a text search no longer reads every recommendation.
SQLite: an external-content FTS5 table over `recommendations.text` with the trigram tokenizer
(substring matches, as ILIKE '%...%'), kept in step by three triggers. PostgreSQL: the pg_trgm
extension (trusted: the database owner may create it) and a GIN index answering ILIKE.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012f"
down_revision: str | None = "0012b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_UP = [
    "CREATE VIRTUAL TABLE recommendations_fts USING fts5("
    "text, content='recommendations', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER recommendations_fts_insert AFTER INSERT ON recommendations BEGIN "
    "INSERT INTO recommendations_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER recommendations_fts_delete AFTER DELETE ON recommendations BEGIN "
    "INSERT INTO recommendations_fts(recommendations_fts, rowid, text) "
    "VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER recommendations_fts_update AFTER UPDATE OF text ON recommendations BEGIN "
    "INSERT INTO recommendations_fts(recommendations_fts, rowid, text) "
    "VALUES ('delete', old.id, old.text); "
    "INSERT INTO recommendations_fts(rowid, text) VALUES (new.id, new.text); END",
    "INSERT INTO recommendations_fts(recommendations_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS recommendations_fts_update",
    "DROP TRIGGER IF EXISTS recommendations_fts_delete",
    "DROP TRIGGER IF EXISTS recommendations_fts_insert",
    "DROP TABLE IF EXISTS recommendations_fts",
]
POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS ix_recommendations_text_trgm "
    "ON recommendations USING gin (text gin_trgm_ops)",
]
POSTGRES_DOWN = ["DROP INDEX IF EXISTS ix_recommendations_text_trgm"]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}.get(dialect, []):
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}.get(dialect, []):
        op.execute(statement)
