"""Kill the server (SIGKILL) in the middle of an import uploaded by staff: the database stays
sound, holds whole batches only (the run's row counts exactly what they did), the restarted
service lists the run as interrupted, and importing the same file again gives exactly what an
uninterrupted import gives."""

from __future__ import annotations

import contextlib
import csv
import json
import shutil
import threading
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from app.auth.models import Role
from app.auth.principal import Principal
from app.config import Settings
from app.db.session import create_db_engine, create_session_factory
from app.imports.service import ImportSource, run_import
from app.imports.tagging import default_tagger
from app.main import create_app
from tests.support.crash import assert_database_sound, multipart_post, staff_token
from tests.support.factories import auth
from tests.support.server import Server, wait_for
from tests.support.snapshots import reflect

pytestmark = [pytest.mark.dialects, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[3]
UPR_INFO = ROOT / "seed_data" / "upr_info" / "upr_info_cycle1_sessions01-12.csv"
ROWS = 3000
BATCH = 1000  # the batch size of uploads (run_import's default)
LINKS = {
    "recommendation_recommending_states": "country_iso3",
    "recommendation_themes": "theme_code",
    "recommendation_groups": "group_code",
    "recommendation_sdgs": "sdg_code",
}
# Differ between two imports of the same file by design: the row's id (PostgreSQL sequences
# are not transactional, so a killed batch uses ids up) and when it was written.
VOLATILE = {"id", "created_at", "updated_at"}


@pytest.fixture(scope="module")
def upr_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("upr") / "upr_info.csv"
    with (
        UPR_INFO.open(encoding="utf-8", newline="") as source,
        path.open("w", encoding="utf-8", newline="") as target,
    ):
        reader = csv.reader(source)
        csv.writer(target).writerows(row for _, row in zip(range(ROWS + 1), reader, strict=False))
    return path


def recommendations(db_url: str) -> dict[str, dict[str, Any]]:
    """Every recommendation by external id: every column but VOLATILE, and its links."""
    engine, tables = reflect(db_url)
    by_name = {t.name: t for t in tables}
    table = by_name["recommendations"]
    columns = [c for c in table.columns if c.name not in VOLATILE]
    out: dict[str, dict[str, Any]] = {}
    external: dict[int, str] = {}
    try:
        with engine.connect() as conn:
            for row in conn.execute(sa.select(table.c.id, *columns)):
                external[row[0]] = row.external_id
                out[row.external_id] = {c.name: row[i + 1] for i, c in enumerate(columns)}
            for name, column in LINKS.items():
                link = by_name[name]
                for rec_id, code in conn.execute(
                    sa.select(link.c.recommendation_id, link.c[column])
                ):
                    out[external[rec_id]].setdefault(name, []).append(code)
    finally:
        engine.dispose()
    for record in out.values():
        for name in LINKS:
            record[name] = sorted(record.get(name, []))
    return out


@pytest.fixture(scope="module")
def reference(
    upr_csv: Path, sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Any:
    """The same file imported without interruption into a fresh database."""
    path = tmp_path_factory.mktemp("reference") / "reference.db"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    engine = create_db_engine(url)
    actor = Principal(user_id=None, name="reference", role=Role.admin)
    run = run_import(
        create_session_factory(engine),
        ImportSource.upr_info,
        upr_csv,
        actor=actor,
        tagger=default_tagger(),
    )
    engine.dispose()
    assert run.inserted > 2 * BATCH
    return recommendations(url)


def _upload(request: urllib.request.Request) -> None:
    with contextlib.suppress(urllib.error.URLError, ConnectionError, OSError):
        urllib.request.urlopen(request, timeout=120)  # noqa: S310 - http://127.0.0.1


def test_killing_the_server_mid_import_leaves_whole_batches_and_the_import_can_be_repeated(
    db_url: str, upr_csv: Path, reference: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    token = staff_token(db_url)
    server = Server(db_url, tmp_path / "server.log")
    upload = multipart_post(
        f"{server.base}/api/v1/imports/upr-info", token, "upr_info.csv", upr_csv.read_bytes()
    )
    watcher = sa.create_engine(db_url)

    def first_batch_committed() -> bool:
        with watcher.connect() as conn:
            return bool(conn.execute(sa.text("SELECT count(*) FROM recommendations")).scalar())

    sender = threading.Thread(target=_upload, args=(upload,), daemon=True)
    sender.start()
    try:
        wait_for(first_batch_committed, 90, "the import's first batch")
    finally:
        server.kill()
        watcher.dispose()
    sender.join(timeout=30)

    assert_database_sound(db_url)
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        (run,) = conn.execute(sa.text("SELECT * FROM import_runs")).mappings().all()
        batches = conn.execute(
            sa.text("SELECT after FROM audit_log WHERE entity_id LIKE :run ORDER BY id"),
            {"run": f"import-{run['id']}-batch-%"},
        ).scalars()
        audited = [set(_json(after)["external_ids"]) for after in batches]
    engine.dispose()
    assert run["status"] == "running", "as the killed process left it"
    processed = sum(run[n] for n in ("inserted", "updated", "unchanged", "rejected", "skipped"))
    assert 0 < processed < ROWS, "killed mid-way"
    assert processed % BATCH == 0, "the run counts whole batches"
    committed = recommendations(db_url)
    assert len(committed) == run["inserted"]
    assert len(audited) == processed // BATCH
    assert set().union(*audited) == set(committed), "each committed batch is audited, whole"
    for external_id, record in committed.items():
        assert record == reference[external_id], "every committed row is written whole"

    settings = Settings(database_url=db_url, environment="test")
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        headers = auth(token)

        def listed() -> dict[str, Any]:
            runs = client.get("/api/v1/imports", headers=headers).json()["items"]
            return runs[0]  # type: ignore[no-any-return]

        # PostgreSQL releases the dead server's lock once it sees the connection gone.
        wait_for(lambda: listed()["status"] == "failed", 30, "the run to be seen interrupted")
        interrupted = listed()
        assert interrupted["message"].startswith("interrupted: the import stopped")
        assert interrupted["inserted"] == run["inserted"]
        assert interrupted["finished_at"] is not None

        again = client.post(
            "/api/v1/imports/upr-info",
            files={"file": ("upr_info.csv", upr_csv.read_bytes(), "text/csv")},
            headers=headers,
        )
        assert again.status_code == 201, again.text
        body = again.json()
        assert body["status"] == "completed"
        assert (body["inserted"], body["unchanged"]) == (
            len(reference) - len(committed),
            len(committed),
        )
    assert recommendations(db_url) == reference


def _json(value: Any) -> Any:
    """A JSON column read without SQLAlchemy's types: text on SQLite, parsed on PostgreSQL."""
    return json.loads(value) if isinstance(value, str) else value
