"""Backup and restore: every table of the database, portable between SQLite and PostgreSQL.

The tables are read from the database itself (reflection), not from the models, so a backup
carries whatever schema revision the database is at, and is restored into a database at the
same revision. Rows are streamed both ways, so memory does not grow with the database.

- `write_backup` reads every table inside one read-only snapshot (a consistent copy even while
  the service writes), in dependency order, into a ZIP of JSON Lines (see `app.backup.format`);
  the file appears under its name only once complete.
- `restore_backup` checks the whole file first (format, checksums, row counts, every value),
  then the database (same Alembic revision, same tables and columns, empty unless `force`), and
  inserts everything in one transaction: if anything fails, the database is left as it was.
  PostgreSQL sequences are set past the restored ids.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy import Connection, Engine
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import SQLAlchemyError

from app.backup.format import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    SQL_NULL_KEY,
    BackupError,
    ColumnEntry,
    Manifest,
    PortableType,
    TableEntry,
    decode,
    encoder,
    portable_type,
)
from app.db import text_search

ALEMBIC_TABLE = "alembic_version"
CHUNK = 1000  # rows fetched, written or inserted at a time


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    revision: str
    tables: int
    rows: int


@dataclass(frozen=True)
class RestoreSummary:
    revision: str
    tables: int
    rows: int
    removed: int  # rows that were in the database before (with force)
    source_dialect: str
    created_at: datetime


def default_backup_name(now: datetime | None = None) -> str:
    return f"uprtc-backup-{(now or datetime.now(UTC)):%Y%m%dT%H%M%SZ}.zip"


# --- backup ---------------------------------------------------------------------------------


def write_backup(engine: Engine, output: Path | None = None) -> BackupSummary:
    """Write a backup of every table to `output` (default: a timestamped name here)."""
    path = output or Path(default_backup_name())
    if path.exists():
        raise BackupError(f"{path} already exists: give another --output, or remove it first")
    if not path.parent.is_dir():
        raise BackupError(f"no such directory: {path.parent}")
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        with _snapshot(engine) as conn, partial.open("wb") as raw:
            revision = _revision(conn)
            if revision is None:
                raise BackupError(
                    "the database has no schema (no Alembic revision): nothing to back up"
                )
            tables = _tables(conn)
            with zipfile.ZipFile(
                raw, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6
            ) as archive:
                entries = [_dump_table(conn, archive, table) for table in tables]
                manifest = Manifest(
                    format=FORMAT,
                    format_version=FORMAT_VERSION,
                    created_at=datetime.now(UTC),
                    alembic_revision=revision,
                    source_dialect=conn.dialect.name,
                    tables=entries,
                )
                archive.writestr(MANIFEST, manifest.model_dump_json(indent=2))
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, path)
    except BaseException as exc:
        partial.unlink(missing_ok=True)
        if isinstance(exc, SQLAlchemyError | OSError):
            raise BackupError(f"backup failed, nothing was written: {_reason(exc)}") from exc
        raise
    return BackupSummary(path, revision, len(entries), manifest.total_rows)


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """A connection that sees one consistent state of the whole database, read-only."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ")
            conn.exec_driver_sql("SET TRANSACTION READ ONLY")
        elif conn.dialect.name == "sqlite":
            # pysqlite opens no transaction for reads; an explicit one holds one WAL snapshot.
            conn.exec_driver_sql("BEGIN")
        try:
            yield conn
        finally:
            conn.rollback()


def _revision(conn: Connection) -> str | None:
    if not sa.inspect(conn).has_table(ALEMBIC_TABLE):
        return None
    revisions = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all()
    if len(revisions) != 1:
        raise BackupError(f"the database records {len(revisions)} schema revisions, expected one")
    return str(revisions[0])


def _tables(conn: Connection) -> list[sa.Table]:
    """Every table but Alembic's, parents before the tables that refer to them."""
    metadata = sa.MetaData()
    metadata.reflect(conn)
    return [
        t
        for t in metadata.sorted_tables
        if t.name != ALEMBIC_TABLE and not text_search.is_text_index_table(t.name)
    ]


def _dump_table(conn: Connection, archive: zipfile.ZipFile, table: sa.Table) -> TableEntry:
    kinds = {c.name: portable_type(c) for c in table.columns}
    file = f"tables/{table.name}.jsonl"
    to_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode
    digest = hashlib.sha256()
    count = 0
    info = zipfile.ZipInfo(file, date_time=datetime.now(UTC).timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w", force_zip64=True) as member:
        lines: list[bytes] = []
        for row in _read_table(conn, table, kinds):
            try:
                text = to_json(row)
            except ValueError as exc:
                raise BackupError(f"{table.name}: a row cannot be written as JSON: {exc}") from exc
            line = f"{text}\n".encode()
            digest.update(line)
            lines.append(line)
            count += 1
            if len(lines) >= CHUNK:
                member.write(b"".join(lines))
                lines.clear()
        member.write(b"".join(lines))
    return TableEntry(
        name=table.name,
        file=file,
        columns=[ColumnEntry(name=name, type=kind) for name, kind in kinds.items()],
        primary_key=[c.name for c in table.primary_key.columns],
        rows=count,
        sha256=digest.hexdigest(),
    )


def _read_table(
    conn: Connection, table: sa.Table, kinds: dict[str, PortableType]
) -> Iterator[dict[str, Any]]:
    columns = list(table.columns)
    json_columns = [c for c in columns if kinds[c.name] == "json"]
    # JSON columns read SQL NULL and JSON null alike as None; this tells them apart.
    flags = [c.is_(None).label(f"sql_null_{i}") for i, c in enumerate(json_columns)]
    order = list(table.primary_key.columns) or [c for c in columns if kinds[c.name] != "json"]
    statement = sa.select(*columns, *flags).order_by(*order)
    result = conn.execution_options(yield_per=CHUNK).execute(statement)
    encoders = [encoder(kinds[c.name]) for c in columns]
    rows = (_encoded_row(row, columns, json_columns, encoders) for row in result)
    if _self_references(table):
        yield from _parents_first(table, list(rows))
    else:
        yield from rows


def _encoded_row(
    row: sa.Row[Any],
    columns: Sequence[sa.Column[Any]],
    json_columns: Sequence[sa.Column[Any]],
    encoders: Sequence[Callable[[Any], Any] | None],
) -> dict[str, Any]:
    values = tuple(row)
    out = {
        c.name: value if value is None or function is None else function(value)
        for c, value, function in zip(columns, values, encoders, strict=False)
    }
    sql_nulls = [c.name for i, c in enumerate(json_columns) if values[len(columns) + i]]
    if sql_nulls:
        out[SQL_NULL_KEY] = sql_nulls
    return out


def _self_references(table: sa.Table) -> list[sa.ForeignKeyConstraint]:
    return [fk for fk in table.foreign_key_constraints if fk.referred_table is table]


def _parents_first(table: sa.Table, rows: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Rows of a table that refers to itself (regions and their parent region), each after
    the rows it refers to, so that they can be inserted in order with foreign keys on."""
    links = [
        ([c.name for c in fk.columns], [e.column.name for e in fk.elements])
        for fk in _self_references(table)
    ]
    seen: set[tuple[int, tuple[Any, ...]]] = set()
    waiting = rows
    while waiting:
        later = []
        for row in waiting:
            ready = all(
                any(row[c] is None for c in local)
                or (n, tuple(row[c] for c in local)) in seen
                or tuple(row[c] for c in local) == tuple(row[c] for c in remote)
                for n, (local, remote) in enumerate(links)
            )
            if not ready:
                later.append(row)
                continue
            for n, (_local, remote) in enumerate(links):
                seen.add((n, tuple(row[c] for c in remote)))
            yield row
        if len(later) == len(waiting):
            raise BackupError(f"{table.name}: rows refer to each other in a cycle or to no row")
        waiting = later


# --- restore --------------------------------------------------------------------------------


def restore_backup(engine: Engine, path: Path, *, force: bool = False) -> RestoreSummary:
    """Restore `path` into the database; all or nothing. Without `force` the database must
    be empty; with it, every row in it is replaced (the audit log's included)."""
    with _open_archive(path) as archive:
        manifest = _manifest(archive, path)
        for entry in manifest.tables:  # the whole file is checked before anything is written
            for _row in _rows(archive, entry):
                pass
        try:
            with engine.connect() as conn:  # leaving it without a commit rolls back
                _begin_exclusive(conn)
                removed = _restore(conn, archive, manifest, force=force)
                conn.commit()
        except SQLAlchemyError as exc:
            raise BackupError(f"restore failed, the database is unchanged: {_reason(exc)}") from exc
    return RestoreSummary(
        revision=manifest.alembic_revision,
        tables=len(manifest.tables),
        rows=manifest.total_rows,
        removed=removed,
        source_dialect=manifest.source_dialect,
        created_at=manifest.created_at,
    )


def _reason(exc: BaseException) -> str:
    return str(getattr(exc, "orig", None) or exc).strip()


@contextmanager
def _open_archive(path: Path) -> Iterator[zipfile.ZipFile]:
    if not path.is_file():
        raise BackupError(f"no such file: {path}")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise BackupError(
            f"{path} is not a complete uprtc backup (truncated, or not a ZIP file): {exc}"
        ) from exc
    with archive:
        yield archive


def _manifest(archive: zipfile.ZipFile, path: Path) -> Manifest:
    try:
        raw = json.loads(archive.read(MANIFEST))
    except KeyError as exc:
        raise BackupError(f"{path} is not a uprtc backup: it has no {MANIFEST}") from exc
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
        raise BackupError(f"{path}: {MANIFEST} is damaged: {exc}") from exc
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise BackupError(f"{path} is not a uprtc backup (its manifest names another format)")
    version = raw.get("format_version")
    if version != FORMAT_VERSION:
        raise BackupError(
            f"{path} is a backup in format version {version}; this uprtc reads version "
            f"{FORMAT_VERSION}"
        )
    try:
        manifest = Manifest.model_validate(raw)
    except ValidationError as exc:
        raise BackupError(f"{path}: {MANIFEST} is not valid: {exc}") from exc
    names = [t.name for t in manifest.tables]
    if len(set(names)) != len(names):
        raise BackupError(f"{path}: {MANIFEST} lists a table twice")
    return manifest


def _rows(
    archive: zipfile.ZipFile, entry: TableEntry, naive: frozenset[str] = frozenset()
) -> Iterator[dict[str, Any]]:
    """The table's rows as values to insert, checked: each line, the row count, the SHA-256.
    `naive`: datetime columns that take naive UTC values (SQLite)."""
    kinds = {c.name: c.type for c in entry.columns}
    json_columns = {name for name, kind in kinds.items() if kind == "json"}
    digest = hashlib.sha256()
    count = 0
    try:
        with archive.open(entry.file) as member:
            for count, line in enumerate(member, start=1):
                digest.update(line)
                yield _decoded(line, kinds, json_columns, naive, f"{entry.file} line {count}")
    except KeyError as exc:
        raise BackupError(f"the backup has no {entry.file} for table {entry.name}") from exc
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise BackupError(f"{entry.file} is damaged: {exc}") from exc
    if count != entry.rows:
        raise BackupError(
            f"{entry.file} has {count} rows, the manifest says {entry.rows}: the backup is "
            "damaged or was altered"
        )
    if digest.hexdigest() != entry.sha256:
        raise BackupError(
            f"checksum mismatch for table {entry.name} ({entry.file}): the backup is damaged "
            "or was altered"
        )


def _decoded(
    line: bytes,
    kinds: dict[str, PortableType],
    json_columns: set[str],
    naive: frozenset[str],
    where: str,
) -> dict[str, Any]:
    try:
        row = json.loads(line)
    except ValueError as exc:
        raise BackupError(f"{where} is not JSON: {exc}") from exc
    if not isinstance(row, dict):
        raise BackupError(f"{where} is not a JSON object")
    sql_nulls = row.pop(SQL_NULL_KEY, [])
    if (
        set(row) != set(kinds)
        or not isinstance(sql_nulls, list)
        or not all(isinstance(name, str) and name in json_columns for name in sql_nulls)
    ):
        raise BackupError(f"{where} does not have the manifest's columns")
    out: dict[str, Any] = {}
    for name, value in row.items():
        if name in json_columns:
            # None inserts SQL NULL (the bind type has none_as_null); JSON.NULL, JSON null.
            out[name] = None if name in sql_nulls else (sa.JSON.NULL if value is None else value)
            continue
        try:
            out[name] = decode(value, kinds[name], naive_datetimes=name in naive)
        except ValueError as exc:
            raise BackupError(f"{where}, column {name}: {exc}") from exc
    return out


def _begin_exclusive(conn: Connection) -> None:
    """Start the restore's transaction, keeping other writers out until it ends."""
    if conn.dialect.name == "sqlite":
        # The write lock now, and DDL inside the transaction (see _empty).
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _restore(conn: Connection, archive: zipfile.ZipFile, manifest: Manifest, *, force: bool) -> int:
    revision = _revision(conn)
    if revision is None:
        raise BackupError(
            "the database has no schema yet: run `uprtc db upgrade` on it first, then restore"
        )
    wanted = manifest.alembic_revision
    if revision != wanted:
        raise BackupError(
            f"the backup is at schema revision {wanted} and the database at {revision}: "
            f"restore into an empty database at revision {wanted} (`uprtc db upgrade {wanted}`), "
            "then run `uprtc db upgrade`"
        )
    tables = _tables(conn)
    _check_schema(tables, manifest)
    if conn.dialect.name == "postgresql":
        # Readers may go on; writers wait for the restore. A running service holding locks
        # makes the restore give up after a while rather than hang.
        conn.exec_driver_sql("SET LOCAL lock_timeout = '30s'")
        names = ", ".join(_quoted(conn, t) for t in tables)
        conn.exec_driver_sql(f"LOCK TABLE {names} IN EXCLUSIVE MODE")
    counts = {t.name: _count(conn, t) for t in tables if _has_rows(conn, t)}
    if counts and not force:
        listed = ", ".join(f"{name} {n}" for name, n in counts.items())
        raise BackupError(
            f"the database is not empty ({sum(counts.values())} rows: {listed}); restore into "
            "a freshly migrated database (`uprtc db upgrade` on a new one), or pass --force to "
            "replace everything in this one"
        )
    if counts:
        _empty(conn, tables)
    entries = {t.name: t for t in manifest.tables}
    for table in tables:
        _insert(conn, archive, table, entries[table.name])
    _reset_sequences(conn, tables)
    text_search.rebuild(conn)
    return sum(counts.values())


def _check_schema(tables: list[sa.Table], manifest: Manifest) -> None:
    in_database = {t.name: t for t in tables}
    in_backup = {t.name: t for t in manifest.tables}
    if set(in_database) != set(in_backup):
        missing = sorted(set(in_backup) - set(in_database))
        extra = sorted(set(in_database) - set(in_backup))
        raise BackupError(
            f"the database's tables differ from the backup's (not in the database: {missing}; "
            f"not in the backup: {extra})"
        )
    for name, entry in in_backup.items():
        ours = {c.name: portable_type(c) for c in in_database[name].columns}
        theirs = {c.name: c.type for c in entry.columns}
        if ours != theirs:
            raise BackupError(
                f"table {name} has columns {ours} in the database and {theirs} in the backup"
            )


def _quoted(conn: Connection, table: sa.Table) -> str:
    return conn.dialect.identifier_preparer.format_table(table)


def _has_rows(conn: Connection, table: sa.Table) -> bool:
    return conn.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first() is not None


def _count(conn: Connection, table: sa.Table) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def _empty(conn: Connection, tables: list[sa.Table]) -> None:
    """Remove every row, inside the restore's transaction (undone if the restore fails).

    The audit log refuses DELETE through triggers: PostgreSQL's TRUNCATE does not fire them;
    on SQLite the triggers are dropped and created again from their own SQL."""
    if conn.dialect.name == "postgresql":
        names = ", ".join(_quoted(conn, t) for t in tables)
        conn.exec_driver_sql(f"TRUNCATE TABLE {names} RESTART IDENTITY")
        return
    triggers = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql IS NOT NULL"
    ).all()
    preparer = conn.dialect.identifier_preparer
    for name, _sql in triggers:
        conn.exec_driver_sql(f"DROP TRIGGER {preparer.quote_identifier(name)}")
    for table in reversed(tables):
        conn.execute(sa.delete(table))
    for _name, sql in triggers:
        conn.exec_driver_sql(sql)


def _insert(conn: Connection, archive: zipfile.ZipFile, table: sa.Table, entry: TableEntry) -> None:
    columns = [table.c[c.name] for c in entry.columns]
    naive = frozenset(
        c.name for c in columns if isinstance(c.type, sa.DateTime) and not c.type.timezone
    )
    target = sa.table(table.name, *(sa.column(c.name, _bind_type(c)) for c in columns))
    statement = sa.insert(target)
    batch: list[dict[str, Any]] = []
    for row in _rows(archive, entry, naive):
        batch.append(row)
        if len(batch) >= CHUNK:
            conn.execute(statement, batch)
            batch = []
    if batch:
        conn.execute(statement, batch)


def _bind_type(column: sa.Column[Any]) -> sa.types.TypeEngine[Any]:
    if isinstance(column.type, sa.JSON):  # None: SQL NULL; JSON null is sent as JSON.NULL
        return type(column.type)(none_as_null=True)
    return column.type


def _reset_sequences(conn: Connection, tables: list[sa.Table]) -> None:
    """PostgreSQL: the next id of every serial column follows the largest restored one."""
    if conn.dialect.name != "postgresql":
        return  # SQLite takes max(rowid) + 1 by itself
    for table in tables:
        for column in table.columns:
            if portable_type(column) != "integer":
                continue
            sequence = conn.execute(
                sa.text("SELECT pg_get_serial_sequence(:table, :column)"),
                {"table": _quoted(conn, table), "column": column.name},
            ).scalar()
            if sequence is None:
                continue
            next_id = sa.func.coalesce(sa.func.max(column), 0) + 1
            regclass = sa.cast(sa.literal(sequence), postgresql.REGCLASS)
            conn.execute(sa.select(sa.func.setval(regclass, next_id, False)))
