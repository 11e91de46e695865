"""Imported recommendations get themes and groups however they arrive (the source's labels,
or the tagger's for a kind the row leaves empty), and a re-import keeps what staff corrected."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import uprtc
from tests.support.factories import ApiFactory
from tests.support.imports import upr_info_slice

pytestmark = pytest.mark.dialects


def _all(api: ApiFactory) -> dict[str, dict[str, Any]]:
    items = api.client.get("/api/v1/recommendations", params={"limit": 200}).json()["items"]
    return {item["external_id"]: item for item in items}


def _rewrite(path: Path, change: dict[str, str]) -> None:
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    rows[0].update(change)
    with path.open("w", encoding="utf-8", newline="") as target:
        writer = csv.DictWriter(target, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_imported_labels_machine_suggestions_and_a_kept_correction(
    api: ApiFactory, db_url: str, tmp_path: Path
) -> None:
    path = upr_info_slice(tmp_path / "slice.csv", 6)
    assert uprtc("import", "upr-info", path, db_url=db_url).returncode == 0
    records = _all(api)
    for rec in records.values():
        assert rec["themes"], "every row gets themes"
        sources = {t["source"] for t in rec["theme_tags"]}
        assert sources in ({"import"}, {"machine"}), "the crosswalk's, or the tagger's"
        assert {t["source"] for t in rec["group_tags"]} <= {"machine"}, "UPR Info has no groups"
        for tag in rec["group_tags"]:
            assert tag["score"] is not None
            assert tag["model_version"]
    first_row = next(iter(csv.DictReader(path.open(encoding="utf-8"))))
    corrected = next(r for r in records.values() if r["text"] in first_row["recommendation"])
    response = api.client.put(
        f"/api/v1/recommendations/{corrected['id']}/tags",
        json={"themes": ["nhri"], "groups": ["children"], "version": corrected["version"]},
        headers=api.staff,
    )
    assert response.status_code == 200, response.text
    # the source changes that row (its position): the re-import updates it, but
    # leaves the corrected themes and groups as staff set them
    _rewrite(path, {"response": "Noted"})
    again = uprtc("import", "upr-info", path, db_url=db_url)
    assert "updated 1" in again.stdout, again.stdout
    after = _all(api)[corrected["external_id"]]
    assert after["position"] == "noted"
    assert after["themes"] == ["nhri"]
    assert after["groups"] == ["children"]
    assert after["tags_reviewed_at"] is not None
