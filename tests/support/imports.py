"""Files to import: the fixtures beside the import tests, and slices of the real UPR Info file."""

from __future__ import annotations

import csv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "app" / "imports" / "fixtures"
UPR_INFO = ROOT / "seed_data" / "upr_info" / "upr_info_cycle1_sessions01-12.csv"


def upr_info_slice(path: Path, rows: int, extra: list[dict[str, str]] | None = None) -> Path:
    """The first `rows` rows of the UPR Info file (and `extra` rows after them), written to
    `path`."""
    with UPR_INFO.open(encoding="utf-8", newline="") as source:
        reader = csv.DictReader(source)
        fieldnames = list(reader.fieldnames or [])
        kept = [row for _, row in zip(range(rows), reader, strict=False)]
    with path.open("w", encoding="utf-8", newline="") as target:
        writer = csv.DictWriter(target, fieldnames=fieldnames)
        writer.writeheader()
        writer.writerows(kept + (extra or []))
    return path
