"""Kill `uprtc match` (SIGKILL) in the middle of its run: a run is one transaction, so the
database is sound and holds nothing of it (no suggestion, no cached embedding, no audit entry);
running it again gives exactly the suggestions of an uninterrupted run, one row per pair."""

from __future__ import annotations

import random
import shutil
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from app.models import Base
from tests.support.cli import uprtc
from tests.support.crash import assert_database_sound, scalar, write_transaction_open
from tests.support.server import UPRTC, env_for, wait_for

pytestmark = [pytest.mark.dialects, pytest.mark.slow]

REQUESTS, OFFERS = 200, 100
# Seconds into the run's transaction, which opens when the offers' embeddings are cached and
# lasts while the requests are encoded (about 3 ms each), scored and stored: well inside it.
KILL_AFTER = 0.1
TOPICS = (
    "justice training police prison torture children women education health election media "
    "journalists judges detention migrants refugees disability minorities indigenous land water "
    "housing poverty violence trafficking"
)
WORDS = TOPICS.split()


def populate(db_url: str) -> None:
    """Many open requests and active offers, the same on every backend (seeded, fixed ids)."""
    rng = random.Random(20261123)
    tables = Base.metadata.tables
    now = datetime.now(UTC)
    stamps = {"version": 1, "created_at": now, "updated_at": now}
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        themes = list(conn.execute(sa.text("SELECT code FROM themes ORDER BY code")).scalars())
        countries = list(
            conn.execute(
                sa.text("SELECT iso3 FROM countries WHERE un_status = 'member' ORDER BY iso3")
            ).scalars()
        )[:30]
        conn.execute(
            sa.insert(tables["organizations"]),
            [
                {"id": n, "name": f"Provider {n}", "type": "un_entity", "is_demo": False, **stamps}
                for n in range(1, OFFERS // 10 + 2)
            ],
        )

        def text() -> str:
            return " ".join(rng.sample(WORDS, 12))

        offers, requests = [], []
        offer_links: dict[str, list[dict[str, Any]]] = {
            "offer_themes": [],
            "offer_countries": [],
            "offer_languages": [],
        }
        for n in range(1, OFFERS + 1):
            offers.append(
                {
                    "id": n,
                    "organization_id": n // 10 + 1,
                    "title": f"Offer {n}: {' '.join(rng.sample(WORDS, 4))}",
                    "description": text(),
                    "is_global": False,
                    "capacity": rng.randint(1, 5),
                    "status": "active",
                    **stamps,
                }
            )
            offer_links["offer_themes"] += [
                {"offer_id": n, "theme_code": c} for c in rng.sample(themes, 3)
            ]
            offer_links["offer_countries"] += [
                {"offer_id": n, "country_iso3": c} for c in rng.sample(countries, 8)
            ]
            offer_links["offer_languages"].append({"offer_id": n, "language_code": "en"})
        request_themes = []
        for n in range(1, REQUESTS + 1):
            requests.append(
                {
                    "id": n,
                    "state_iso3": rng.choice(countries),
                    "title": f"Request {n}: {' '.join(rng.sample(WORDS, 4))}",
                    "description": text(),
                    "consent_to_publish": False,
                    "status": "open",
                    **stamps,
                }
            )
            request_themes += [{"request_id": n, "theme_code": c} for c in rng.sample(themes, 2)]
        conn.execute(sa.insert(tables["offers"]), offers)
        for name, rows in offer_links.items():
            conn.execute(sa.insert(tables[name]), rows)
        conn.execute(sa.insert(tables["assistance_requests"]), requests)
        conn.execute(sa.insert(tables["request_themes"]), request_themes)
    engine.dispose()


def suggestions(db_url: str) -> dict[tuple[int, int], tuple[Any, ...]]:
    """Every match by its pair (ids differ on PostgreSQL: sequences are not transactional)."""
    table = Base.metadata.tables["matches"]
    columns = [c for c in table.columns if c.name not in {"id", "created_at", "updated_at"}]
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.select(*columns)).all()
    finally:
        engine.dispose()
    by_pair = {(row.request_id, row.offer_id): tuple(row) for row in rows}
    assert len(by_pair) == len(rows), "one row per pair"
    return by_pair


@pytest.fixture(scope="module")
def reference(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("reference") / "reference.db"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    populate(url)
    result = uprtc("match", db_url=url)
    assert result.returncode == 0, result.stderr
    found = suggestions(url)
    assert len(found) > REQUESTS
    return found


def _counts(db_url: str) -> tuple[int, int, int]:
    return (
        scalar(db_url, "SELECT count(*) FROM matches"),
        scalar(db_url, "SELECT count(*) FROM text_embeddings"),
        scalar(db_url, "SELECT count(*) FROM audit_log WHERE entity_type = 'matching'"),
    )


def test_killing_a_matching_run_leaves_nothing_of_it_and_it_can_be_repeated(
    db_url: str, reference: dict[tuple[int, int], tuple[Any, ...]]
) -> None:
    populate(db_url)
    run = subprocess.Popen(
        [UPRTC, "match"], env=env_for(db_url), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        wait_for(
            lambda: run.poll() is not None or write_transaction_open(db_url),
            120,
            "the run's transaction to start writing",
        )
        assert run.poll() is None, f"the run ended before it was killed: {run.stderr}"
        time.sleep(KILL_AFTER)
    finally:
        run.kill()
        run.wait(timeout=30)

    assert_database_sound(db_url)
    assert _counts(db_url) == (0, 0, 0), "nothing of the killed run"

    again = uprtc("match", db_url=db_url)
    assert again.returncode == 0, again.stderr
    assert f"-> {len(reference)} new, 0 updated, 0 unchanged" in again.stderr
    assert suggestions(db_url) == reference
    matches, embeddings, audited = _counts(db_url)
    assert (matches, audited) == (len(reference), 1)
    assert embeddings == REQUESTS + OFFERS
