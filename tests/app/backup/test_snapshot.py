"""A backup taken while the service writes is one consistent state of the database: a write
committed after the backup started is not in it (SQLite: one WAL read transaction; PostgreSQL:
one REPEATABLE READ, read-only transaction)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from app.backup import service
from app.backup.service import write_backup
from app.db.session import create_db_engine
from tests.support.factories import ApiFactory


@pytest.mark.dialects
def test_a_write_during_the_backup_is_not_in_it(
    api: ApiFactory, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    api.organization(name="Before the backup")
    reflect = service._tables

    def tables_then_a_concurrent_write(conn: sa.Connection) -> list[sa.Table]:
        tables = reflect(conn)  # the backup has started reading
        api.organization(name="During the backup")  # the service commits meanwhile
        return tables

    monkeypatch.setattr(service, "_tables", tables_then_a_concurrent_write)
    engine = create_db_engine(db_url)
    try:
        path = write_backup(engine, tmp_path / "during.zip").path
    finally:
        engine.dispose()

    with zipfile.ZipFile(path) as archive:
        names = [
            json.loads(line)["name"]
            for line in archive.read("tables/organizations.jsonl").split(b"\n")
            if line
        ]
        manifest: dict[str, Any] = json.loads(archive.read("manifest.json"))
    assert names == ["Before the backup"]
    audited = next(t for t in manifest["tables"] if t["name"] == "audit_log")
    assert audited["rows"] == 1, "nor its audit entry"
    listed = api.client.get("/api/v1/organizations", headers=api.staff).json()
    assert listed["total"] == 2, "the write itself went through"
