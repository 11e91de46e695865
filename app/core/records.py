"""Helpers that every service applies to a record it has just changed."""

from __future__ import annotations

from datetime import date
from typing import Protocol

from app.core.errors import InvalidInput
from app.db.base import VersionedMixin, utcnow


class _Dated(Protocol):
    period_start: date | None
    period_end: date | None


def check_period(record: _Dated) -> None:
    """The stored period, after this change, must be in order (not just the fields sent)."""
    start, end = record.period_start, record.period_end
    if start is not None and end is not None and end < start:
        raise InvalidInput(f"period_end {end} is before period_start {start}", field="period_end")


def touch(record: VersionedMixin) -> None:
    """Mark the row changed, so that the version moves even when only its links changed."""
    record.updated_at = utcnow()
