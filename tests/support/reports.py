"""Reading the annual report's workbook as a person would: the About sheet says which sheet
holds which table (sheets are named by the tables' titles)."""

from __future__ import annotations

from typing import Any

ABOUT = "About"


def sheet_of(workbook: Any, table: str, about: str = ABOUT) -> Any:
    """The sheet that holds the table named `table` (its key, e.g. "published_requests")."""
    rows = workbook[about].iter_rows(values_only=True)
    for row in rows:
        if len(row) >= 4 and row[3] == table:
            return workbook[row[0]]
    raise KeyError(f"the About sheet names no sheet for the table {table!r}")


def table_keys(workbook: Any, about: str = ABOUT) -> list[str]:
    """The tables' keys, in the order of their sheets."""
    keys = {
        row[0]: row[3]
        for row in workbook[about].iter_rows(values_only=True)
        if len(row) >= 4 and row[3]
    }
    return [keys[name] for name in workbook.sheetnames if name in keys]
