"""How the UHRI importer reads an export worded by someone who never saw its alias tables.

Imports `benchmarks/data/uhri_blind/export.json` (see its README; with `--data DIR`, every
`export*.json` and `export*.xlsx` in DIR) with `uprtc import uhri` into a fresh SQLite
database, as a user would, then compares the themes and groups of persons each row got *from its
labels* (source `import`; a kind a row leaves empty is filled by the tagger, which is not
measured here) with `expected.json`, an officer's mapping of each label to its current code (a
row marked `"skip": true`, another body's recommendation, must not be stored at all). Prints:
rows imported, rows whose themes and groups are both exactly as expected, label-level precision
and recall, and the importer's report of the labels it dropped.

    .venv/bin/python benchmarks/uhri_wording_eval.py [--failures] [--data DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEFAULT_DATA = ROOT / "benchmarks" / "data" / "uhri_blind"
STORED = """
SELECT r.external_id, 'themes', t.theme_code FROM recommendations r
  JOIN recommendation_themes t ON t.recommendation_id = r.id
  WHERE r.source = 'uhri' AND t.source = 'import'
UNION ALL
SELECT r.external_id, 'groups', g.group_code FROM recommendations r
  JOIN recommendation_groups g ON g.recommendation_id = r.id
  WHERE r.source = 'uhri' AND g.source = 'import'
"""


def _uprtc(url: str, *args: str) -> str:
    env = {**os.environ, "UPRTC_DATABASE_URL": url, "UPRTC_LOG_LEVEL": "WARNING"}
    done = subprocess.run(
        [str(BIN / "uprtc"), *args], env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


def stored_codes(exports: list[Path]) -> tuple[dict[str, dict[str, set[str]]], int, str]:
    """(external id of each stored row -> kind -> codes from the labels, rows stored, the
    imports' reports)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "uhri.db"
        url = f"sqlite:///{path}"
        _uprtc(url, "db", "upgrade")
        _uprtc(url, "seed")
        report = "\n".join(_uprtc(url, "import", "uhri", str(export)) for export in exports)
        with sqlite3.connect(path) as db:
            ids = db.execute("SELECT external_id FROM recommendations WHERE source = 'uhri'")
            stored: dict[str, dict[str, set[str]]] = {
                external_id: {"themes": set(), "groups": set()} for (external_id,) in ids
            }
            for external_id, kind, code in db.execute(STORED):
                stored[external_id][kind].add(code)
    return stored, len(stored), report


def _by_annotation_id(expected: dict[str, Any], exports: list[Path]) -> dict[str, Any]:
    """`expected` keyed by the rows' annotation ids: as written, or (a set whose ids are opaque,
    `uhri_blind_4`) by the rows' order in the one JSON export."""
    json_exports = [path for path in exports if path.suffix == ".json"]
    if len(json_exports) != 1:
        return expected
    rows = json.loads(json_exports[0].read_text(encoding="utf-8"))
    ids = [row["OHCHR Annotation Id"] for row in rows]
    if set(expected) & set(ids) or len(ids) != len(expected):
        return expected
    return dict(zip(ids, expected.values(), strict=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--failures", action="store_true", help="list every row that differs")
    args = parser.parse_args()
    expected = json.loads((args.data / "expected.json").read_text(encoding="utf-8"))
    exports = sorted(p for p in args.data.glob("export*") if p.suffix in {".json", ".xlsx"})
    stored, count, report = stored_codes(exports)
    expected = _by_annotation_id(expected, exports)
    exact = 0
    found = {"themes": 0, "groups": 0}
    wanted = {"themes": 0, "groups": 0}
    right = {"themes": 0, "groups": 0}
    differences = []
    for row_id, want in expected.items():
        if want.get("skip"):
            exact += row_id not in stored
            if row_id in stored:
                differences.append(f"{row_id}: stored, but it is not a UPR recommendation")
            continue
        if row_id not in stored:
            differences.append(f"{row_id}: not stored")
        got = stored.get(row_id, {"themes": set(), "groups": set()})
        same = row_id in stored
        for kind in ("themes", "groups"):
            want_codes, got_codes = set(want[kind]), got[kind]
            wanted[kind] += len(want_codes)
            found[kind] += len(got_codes)
            right[kind] += len(want_codes & got_codes)
            if want_codes != got_codes:
                same = False
                differences.append(
                    f"{row_id} {kind}: missing {sorted(want_codes - got_codes)}, "
                    f"extra {sorted(got_codes - want_codes)}"
                )
        exact += same
    print(f"rows in the export: {len(expected)}, stored: {count}")
    print(f"rows with themes and groups exactly as expected: {exact} ({exact / len(expected):.3f})")
    for kind in ("themes", "groups"):
        precision = right[kind] / found[kind] if found[kind] else 0.0
        recall = right[kind] / wanted[kind] if wanted[kind] else 0.0
        print(f"{kind}: precision {precision:.3f}, recall {recall:.3f} ({wanted[kind]} expected)")
    print("\nthe import's report:\n" + report)
    if args.failures:
        print("\n".join(differences))


if __name__ == "__main__":
    main()
