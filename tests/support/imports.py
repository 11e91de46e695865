"""Files to import: the fixtures beside the import tests, and slices of the real UPR Info file."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

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


def uhri_rows(name: str = "uhri_export.json") -> list[dict[str, Any]]:
    """The rows of a UHRI export fixture (JSON)."""
    rows: list[dict[str, Any]] = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return rows


def xlsx_bytes(rows: list[dict[str, Any]]) -> bytes:
    """The rows as the UHRI's XLSX export: a header row, then one row per record."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    header = list(rows[0])
    sheet.append(header)
    for row in rows:
        sheet.append([row[h] for h in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
