"""An import run left "running" by a process that died is reported as interrupted, by the
listing and by the next import; a run whose process is alive (here: another process holding
its lock, as an import does) is left alone."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.db.session import create_db_engine, create_session_factory
from app.imports.liveness import is_alive
from app.imports.models import ImportRun
from tests.support.factories import ApiFactory
from tests.support.server import wait_for

pytestmark = pytest.mark.dialects

HOLD = """
import sys, time
from app.db.session import create_db_engine
from app.imports.liveness import claim
held = claim(create_db_engine(sys.argv[1]), int(sys.argv[2]))
print("holding", flush=True)
time.sleep(120)
"""
CSV = (
    "state_under_review,sur_regional_group,sur_org_memberships,recommendation,recommending_state,"
    "rs_regional_group,rs_org_memberships,response,action_category,issues,session,cycle\r\n"
    "Kazakhstan,Asia,,Ratify OPCAT,Denmark,WEOG,EU,Accepted,4,Justice,7,1\r\n"
)


def _running_run(db_url: str) -> int:
    engine = create_db_engine(db_url)
    with create_session_factory(engine)() as session:
        run = ImportRun(source="upr-info", filename="big.csv", actor_name="a killed importer")
        session.add(run)
        session.commit()
        run_id = run.id
    engine.dispose()
    return run_id


def _status(db_url: str, run_id: int) -> tuple[str, str | None]:
    engine = create_engine(db_url)
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT status, message FROM import_runs WHERE id = :id"), {"id": run_id}
        ).one()
    engine.dispose()
    return row[0], row[1]


def _alive(db_url: str, run_id: int) -> bool:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return is_alive(conn, run_id)
    finally:
        engine.dispose()


def test_a_run_is_interrupted_only_once_its_process_is_gone(api: ApiFactory, db_url: str) -> None:
    run_id = _running_run(db_url)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, db_url, str(run_id)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline() == "holding\n"
        listed = api.client.get(f"/api/v1/imports/{run_id}", headers=api.staff).json()
        assert listed["status"] == "running", "its process is alive"
    finally:
        holder.kill()
        holder.wait(timeout=30)
    # PostgreSQL frees the lock once it sees the connection gone: a moment, not a deadline.
    wait_for(lambda: not _alive(db_url, run_id), 30, "the dead holder's lock to be freed")

    upload = api.client.post(
        "/api/v1/imports/upr-info",
        files={"file": ("one.csv", CSV.encode(), "text/csv")},
        headers=api.staff,
    )
    assert upload.status_code == 201, upload.text
    status, message = _status(db_url, run_id)  # the import's start saw it, not a listing
    assert status == "failed"
    assert message is not None
    assert message.startswith("interrupted: the import stopped before it finished")
    listing = api.client.get("/api/v1/imports", headers=api.staff).json()["items"]
    assert [(r["id"], r["status"]) for r in listing] == [
        (upload.json()["id"], "completed"),
        (run_id, "failed"),
    ]
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite":
        assert url.database is not None
        database = Path(url.database)
        assert list(database.parent.glob(f"{database.name}.import-*.lock")) == [], "cleaned up"
