"""A restore refuses what it cannot restore whole, says why, exits with 2 and writes nothing;
`--force` replaces a database that is not empty, all or nothing, audit log included."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from app.backup.format import MANIFEST
from app.backup.service import write_backup
from app.db.session import create_db_engine
from tests.support.cli import uprtc
from tests.support.database import FreshDatabase
from tests.support.factories import ApiFactory
from tests.support.snapshots import raw_snapshot, revision, snapshot


def _backend(url: str) -> str:
    return make_url(url).get_backend_name()


@pytest.fixture
def backup(api: ApiFactory, db_url: str, tmp_path: Path) -> Path:
    """A backup of a small database: reference data, an organization, a recommendation, an
    offer and their audit entries."""
    organization = api.organization(name="Backed-up provider")
    api.recommendation("KAZ")
    api.offer(organization["id"])
    engine = create_db_engine(db_url)
    try:
        return write_backup(engine, tmp_path / "backup.zip").path
    finally:
        engine.dispose()


def _rewrite(source: Path, target: Path, change: Callable[[str, bytes], bytes]) -> Path:
    """A copy of the archive with every member passed through `change(name, content)`."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            new.writestr(info.filename, change(info.filename, old.read(info.filename)))
    return target


def _manifest_change(edit: Callable[[dict[str, Any]], None]) -> Callable[[str, bytes], bytes]:
    def change(name: str, content: bytes) -> bytes:
        if name != MANIFEST:
            return content
        manifest = json.loads(content)
        edit(manifest)
        return json.dumps(manifest).encode()

    return change


def _refused(path: Path, target: str, message: str) -> None:
    before = raw_snapshot(target)
    result = uprtc("restore", path, db_url=target)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "nothing was restored" in result.stderr
    assert result.stdout == ""
    assert raw_snapshot(target) == before, "nothing written"


# Refusals of the file itself do not depend on the database (SQLite only); refusals by the
# database run on both.
def test_a_truncated_backup_is_refused(
    backup: Path, db_url: str, fresh_database: FreshDatabase, tmp_path: Path
) -> None:
    cut = tmp_path / "cut.zip"
    content = backup.read_bytes()
    cut.write_bytes(content[: len(content) // 2])
    _refused(cut, fresh_database(_backend(db_url)), "is not a complete uprtc backup (truncated")


def test_a_tampered_backup_is_refused(
    backup: Path, db_url: str, fresh_database: FreshDatabase, tmp_path: Path
) -> None:
    target = fresh_database(_backend(db_url))

    def wrong_checksum(manifest: dict[str, Any]) -> None:
        table = next(t for t in manifest["tables"] if t["name"] == "organizations")
        table["sha256"] = "0" * 64

    bad_sum = _rewrite(backup, tmp_path / "sum.zip", _manifest_change(wrong_checksum))
    _refused(bad_sum, target, "checksum mismatch for table organizations")

    def edited_row(name: str, content: bytes) -> bytes:
        return (
            content.replace(b"Backed-up provider", b"Someone else") if "organ" in name else content
        )

    bad_row = _rewrite(backup, tmp_path / "row.zip", edited_row)
    _refused(bad_row, target, "checksum mismatch for table organizations")

    def dropped_row(name: str, content: bytes) -> bytes:
        return content.split(b"\n", 1)[1] if name == "tables/countries.jsonl" else content

    _refused(_rewrite(backup, tmp_path / "short.zip", dropped_row), target, "the manifest says 248")


@pytest.mark.dialects
def test_a_backup_of_another_schema_revision_is_refused(
    backup: Path, db_url: str, fresh_database: FreshDatabase, tmp_path: Path
) -> None:
    target = fresh_database(_backend(db_url))

    def older(manifest: dict[str, Any]) -> None:
        manifest["alembic_revision"] = "0001"

    other = _rewrite(backup, tmp_path / "old.zip", _manifest_change(older))
    _refused(
        other,
        target,
        f"the backup is at schema revision 0001 and the database at {revision(target)}",
    )
    unmigrated = f"sqlite:///{tmp_path / 'nothing.db'}"
    create_engine(unmigrated).dispose()
    result = uprtc("restore", backup, db_url=unmigrated)
    assert result.returncode == 2
    assert "the database is not set up: run `uprtc db upgrade`" in result.stderr


@pytest.mark.dialects
def test_a_row_the_database_refuses_leaves_nothing_behind(
    backup: Path, db_url: str, fresh_database: FreshDatabase, tmp_path: Path
) -> None:
    """Offers refer to an organization the (consistent, re-summed) backup no longer has: the
    tables inserted before the failure are rolled back too."""

    def without_organizations(name: str, content: bytes) -> bytes:
        return b"" if name == "tables/organizations.jsonl" else content

    stripped = _rewrite(backup, tmp_path / "stripped.zip", without_organizations)
    empty_sum = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    def resum(manifest: dict[str, Any]) -> None:
        table = next(t for t in manifest["tables"] if t["name"] == "organizations")
        table["rows"], table["sha256"] = 0, empty_sum

    consistent = _rewrite(stripped, tmp_path / "consistent.zip", _manifest_change(resum))
    _refused(
        consistent, fresh_database(_backend(db_url)), "restore failed, the database is unchanged"
    )


@pytest.mark.dialects
def test_a_database_that_is_not_empty_is_refused_and_force_replaces_it(
    api: ApiFactory, backup: Path, db_url: str
) -> None:
    at_backup = snapshot(db_url)
    api.organization(name="Written after the backup")  # and its audit entry
    _refused(backup, db_url, "the database is not empty (")

    replaced = uprtc("restore", backup, "--force", db_url=db_url)
    assert replaced.returncode == 0, replaced.stderr
    assert "replacing" in replaced.stderr
    assert snapshot(db_url) == at_backup, "exactly the backup, audit log included"

    engine = create_engine(db_url)
    with engine.connect() as conn:
        for statement in ("UPDATE audit_log SET actor_name = 'x'", "DELETE FROM audit_log"):
            with pytest.raises(DBAPIError, match="audit_log is append-only"):
                conn.execute(text(statement))
            conn.rollback()
    engine.dispose()
    created = api.organization(name="Written after the restore")
    columns, rows = at_backup["organizations"]
    assert created["id"] == max(row[columns.index("id")] for row in rows) + 1


def test_backup_refuses_to_overwrite_a_file(db_url: str, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    existing = tmp_path / "out" / "existing.zip"
    existing.write_bytes(b"an earlier backup")
    result = uprtc("backup", "--output", existing, db_url=db_url)
    assert result.returncode == 2
    assert "already exists" in result.stderr
    assert existing.read_bytes() == b"an earlier backup"
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["existing.zip"]
