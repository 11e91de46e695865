"""`uprtc backup` then `uprtc restore`, as a user types them: every row of every table comes
back, between SQLite and PostgreSQL in both directions, and the restored service works."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from app.config import Settings
from app.main import create_app
from tests.support.backup_world import World, build_world
from tests.support.cli import uprtc, uprtc_typed
from tests.support.database import BACKENDS, FreshDatabase
from tests.support.factories import ApiFactory
from tests.support.snapshots import raw_snapshot, revision, snapshot


def _reads(client: TestClient, world: World) -> dict[str, Any]:
    """What clients see: the same answers (and ETags) before the backup and after the restore."""
    paths = [
        f"/api/v1/requests/{world.request_id}",
        f"/api/v1/offers/{world.offer_id}",
        f"/api/v1/activities/{world.activity_id}",
        f"/api/v1/organizations/{world.organization_id}",
        f"/api/v1/requests/{world.request_id}/matches",
        "/api/v1/recommendations?limit=200",
        "/api/v1/audit?limit=200",
        "/api/v1/imports",
        "/api/v1/me",
    ]
    answers = {}
    for path in paths:
        response = client.get(path, headers=world.staff)
        assert response.status_code == 200, (path, response.text)
        answers[path] = (response.json(), response.headers.get("etag"))
    return answers


def _writes_get_fresh_ids(client: TestClient, world: World, source: dict[str, Any]) -> None:
    """New rows take ids after the restored ones (PostgreSQL sequences were moved past them)."""

    def max_id(table: str) -> int:
        columns, rows = source[table]
        return max(row[columns.index("id")] for row in rows)

    organization = client.post(
        "/api/v1/organizations",
        json={"name": "Created after the restore", "type": "nhri"},
        headers=world.staff,
    )
    assert organization.status_code == 201, organization.text
    assert organization.json()["id"] == max_id("organizations") + 1
    request = client.post(
        "/api/v1/requests",
        json={"state": "KAZ", "title": "A request after the restore"},
        headers=world.staff,
    )
    assert request.status_code == 201, request.text
    assert request.json()["id"] == max_id("assistance_requests") + 1
    audit = client.get("/api/v1/audit?limit=1", headers=world.staff).json()["items"][0]
    assert audit["id"] == max_id("audit_log") + 2


@pytest.mark.dialects
def test_backup_and_restore_lose_nothing(
    api: ApiFactory, db_url: str, fresh_database: FreshDatabase, tmp_path: Path
) -> None:
    world = build_world(api, db_url)
    before = _reads(api.client, world)
    source = snapshot(db_url)
    empty = sorted(name for name, (_columns, rows) in source.items() if not rows)
    assert empty == [], "the world leaves no table empty"

    # As a user types them for SQLite to SQLite; every other way, the same commands run in this
    # process (a start-up of the command line costs seconds).
    source_backend = make_url(db_url).get_backend_name()

    def run(*args: str | Path, db_url: str, typed: bool) -> tuple[str, str]:
        done = (uprtc_typed if typed else uprtc)(*args, db_url=db_url)
        assert done.returncode == 0, done.stderr
        return done.stdout, done.stderr

    dump = tmp_path / "nightly.zip"
    typed = source_backend == "sqlite"
    stdout, stderr = run("backup", "--output", dump, db_url=db_url, typed=typed)
    assert stdout.strip() == str(dump)
    total = sum(len(rows) for _columns, rows in source.values())
    assert f"backup of {total} rows in {len(source)} tables" in stderr

    for backend in BACKENDS:
        target = fresh_database(backend)
        _, message = run("restore", dump, db_url=target, typed=typed and backend == "sqlite")
        assert f"restored {total} rows in {len(source)} tables" in message
        assert revision(target) == revision(db_url)
        copy = snapshot(target)
        assert list(copy) == list(source)
        for name in source:
            assert copy[name] == source[name], f"{source_backend} -> {backend}: table {name}"
        if backend == source_backend:
            assert raw_snapshot(target) == raw_snapshot(db_url), "the very same stored values"
        settings = Settings(database_url=target, environment="test")
        with TestClient(create_app(settings), raise_server_exceptions=False) as client:
            assert _reads(client, world) == before
            _writes_get_fresh_ids(client, world, source)
