"""Figures and dates as the report's cells hold them (`app.reports.schemas.CellValue`)."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from datetime import date


def share(part: int, whole: int) -> float | None:
    """A percentage to one decimal; None where there is nothing to share."""
    return round(100 * part / whole, 1) if whole else None


def median(values: Sequence[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def iso_date(value: date | None) -> str | None:
    return value.isoformat() if value else None
