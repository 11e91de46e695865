"""Whole-database contents as comparable Python values, for tests that compare two databases
(a backup and its restore, a crashed run and an uninterrupted one), on any backend."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from app.db.text_search import is_text_index_table

ALEMBIC_TABLE = "alembic_version"
Rows = list[tuple[Any, ...]]


def _normal(value: Any) -> Any:
    """The same value read from SQLite or PostgreSQL compares equal: SQLite returns naive UTC
    datetimes, PostgreSQL aware ones in the session's time zone."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value


def reflect(url: str) -> tuple[sa.Engine, list[sa.Table]]:
    """The tables with rows of their own (not the SQLite text index, rebuilt from them)."""
    engine = sa.create_engine(url)
    metadata = sa.MetaData()
    metadata.reflect(engine)
    return engine, [
        t
        for t in metadata.sorted_tables
        if t.name != ALEMBIC_TABLE and not is_text_index_table(t.name)
    ]


def snapshot(url: str) -> dict[str, tuple[list[str], Rows]]:
    """Every table (Alembic's aside): its column names and every row, all columns, in primary
    key order. JSON columns also say whether they hold SQL NULL (not JSON null)."""
    engine, tables = reflect(url)
    out: dict[str, tuple[list[str], Rows]] = {}
    try:
        with engine.connect() as conn:
            for table in tables:
                columns = list(table.columns)
                flags = [c.is_(None) for c in columns if isinstance(c.type, sa.JSON)]
                statement = sa.select(*columns, *flags).order_by(*table.primary_key.columns)
                rows = [
                    tuple(_normal(v) for v in row[: len(columns)])
                    + tuple(bool(flag) for flag in row[len(columns) :])
                    for row in conn.execute(statement)
                ]
                out[table.name] = ([c.name for c in columns], rows)
    finally:
        engine.dispose()
    return out


def raw_snapshot(url: str) -> dict[str, Rows]:
    """Every table as the database driver returns it, without SQLAlchemy's types: for two
    databases on the same backend, which must then hold the very same stored values."""
    engine, tables = reflect(url)
    try:
        with engine.connect() as conn:
            quote = conn.dialect.identifier_preparer.quote
            return {
                table.name: [
                    tuple(row)
                    for row in conn.exec_driver_sql(
                        f"SELECT * FROM {quote(table.name)} ORDER BY "  # noqa: S608 - reflected names
                        + ", ".join(quote(c.name) for c in table.primary_key.columns)
                    )
                ]
                for table in tables
            }
    finally:
        engine.dispose()


def revision(url: str) -> str:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return str(
                conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()
            )
    finally:
        engine.dispose()
