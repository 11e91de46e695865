"""A record's period (start and end dates), checked after every change."""

from __future__ import annotations

from datetime import date
from typing import Protocol

from app.core.errors import InvalidInput


class _Dated(Protocol):
    period_start: date | None
    period_end: date | None


def check_period(record: _Dated) -> None:
    """The stored period, after this change, must be in order (not just the fields sent)."""
    start, end = record.period_start, record.period_end
    if start is not None and end is not None and end < start:
        raise InvalidInput(f"period_end {end} is before period_start {start}", field="period_end")
