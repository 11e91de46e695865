"""A UHRI export in the UHRI's own wording of themes and affected persons (with the dashes,
spacing and case people and exports really use) imports its rows with their themes and groups;
labels that give no code are dropped, never the row, and the run reports them.

The fixture and the codes each row must get are written by tools/build_import_fixtures.py
from its own label-by-label table, not by the importer."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import uprtc
from tests.support.factories import ApiFactory
from tests.support.imports import FIXTURES, uhri_rows, xlsx_bytes

pytestmark = pytest.mark.dialects

EXPORT = FIXTURES / "uhri_export_real_wording.json"
EXPECTED = FIXTURES / "uhri_export_real_wording.expected.json"


def export_rows() -> list[dict[str, Any]]:
    return uhri_rows(EXPORT.name)


def stored_codes(api: ApiFactory) -> dict[str, dict[str, list[str]]]:
    stored: dict[str, dict[str, list[str]]] = {}
    offset = 0
    while True:
        page = api.client.get(
            "/api/v1/recommendations", params={"source": "uhri", "limit": 200, "offset": offset}
        ).json()
        for item in page["items"]:
            # the export's own labels (a kind it leaves empty gets the tagger's suggestions)
            stored[item["external_id"]] = {
                kind: [t["code"] for t in item[f"{kind[:-1]}_tags"] if t["source"] == "import"]
                for kind in ("themes", "groups")
            }
        offset += 200
        if offset >= page["total"]:
            return stored


def rows_mentioning(field: str, label: str) -> list[int]:
    """Row numbers (1-based, as the JSON importer counts) whose `field` lists `label`, however
    it is written (case, no-break spaces, an en dash for a hyphen)."""
    wanted = label.casefold()
    found = []
    for number, row in enumerate(export_rows(), start=1):
        values = [
            " ".join(v.lstrip("- ").replace("\u2013", "-").split()).casefold()
            for v in str(row[field]).splitlines()
        ]
        if wanted in values:
            found.append(number)
    return found


@pytest.mark.parametrize("kind", ["json", "xlsx"])
def test_real_wording_imports_its_rows_with_their_themes_and_groups(
    api: ApiFactory, db_url: str, tmp_path: Path, kind: str
) -> None:
    path = EXPORT
    if kind == "xlsx":
        path = tmp_path / "export.xlsx"
        path.write_bytes(xlsx_bytes(export_rows()))
    expected: dict[str, dict[str, list[str]]] = json.loads(EXPECTED.read_text(encoding="utf-8"))
    assert len(expected) >= 200

    result = uprtc("import", "uhri", path, db_url=db_url)

    assert result.returncode == 0, result.stderr
    assert f"inserted {len(expected)}, updated 0, unchanged 0, rejected 0, skipped 8" in (
        result.stdout
    )
    stored = stored_codes(api)
    exact = [key for key, codes in expected.items() if stored.get(key) == codes]
    assert len(exact) / len(expected) >= 0.99, [
        (key, stored.get(key), codes) for key, codes in expected.items() if key not in exact
    ]


def test_the_run_reports_the_labels_it_dropped(api: ApiFactory, db_url: str) -> None:
    result = uprtc("import", "uhri", EXPORT, db_url=db_url)
    run_id = re.search(r"import (\d+) of", result.stdout)
    assert run_id is not None, result.stdout

    response = api.client.get(f"/api/v1/imports/{run_id[1]}", headers=api.staff)

    assert response.status_code == 200
    report = response.json()["dropped_labels"]
    unknown = {(t["field"], t["label"].casefold()): t for t in report["unknown"]}
    assert set(unknown) == {
        ("theme", "right to schooling"),
        ("group", "persons with special needs"),
    }
    typo = unknown[("theme", "right to schooling")]
    json_rows = rows_mentioning("Themes", "Right to schooling")
    assert typo["rows"] == len(json_rows) >= 3
    assert typo["lines"] == json_rows[:5]
    none = {(t["field"], t["label"].casefold()): t["rows"] for t in report["no_counterpart"]}
    assert none == {
        ("group", "general"): len(rows_mentioning("Affected Persons", "General")),
        ("group", "non-citizens"): len(rows_mentioning("Affected Persons", "Non-citizens")),
        ("group", "persons living in rural areas"): len(
            rows_mentioning("Affected Persons", "Persons living in rural areas")
        ),
        ("theme", "inter-state cooperation & development or humanitarian assistance"): len(
            rows_mentioning(
                "Themes", "Inter-State cooperation & development or humanitarian assistance"
            )
        ),
    }
    assert report["rows"] > 0
    assert report["not_listed"] == 0
    # The command line says the same.
    assert f"{report['rows']} rows imported without the labels below" in result.stdout
    assert f"unknown theme {typo['label']!r}: {typo['rows']} rows (lines " in result.stdout
    assert "no counterpart affected persons 'General': " in result.stdout
