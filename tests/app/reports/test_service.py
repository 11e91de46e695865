"""The year rule of the annual report, and the helpers that word the narrative."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.reports.cells import median, share
from app.reports.narrative import _number
from app.reports.scope import Year
from app.reports.tables import TABLE_NAMES
from tests.support.factories import ApiFactory

Y = Year(2026)
BEFORE = datetime(2025, 5, 1, tzinfo=UTC)
DURING = datetime(2026, 5, 1, tzinfo=UTC)
AFTER = datetime(2027, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("created", "start", "end", "live", "expected"),
    [
        (DURING, None, None, False, True),  # entered during the year
        (DURING, date(2030, 1, 1), None, False, True),  # whatever its period
        (AFTER, date(2026, 1, 1), date(2026, 12, 31), True, False),  # not yet entered
        (BEFORE, None, None, True, False),  # entered before, no period
        (BEFORE, date(2025, 6, 1), date(2026, 1, 1), False, True),  # period reaches the year
        (BEFORE, date(2025, 6, 1), date(2025, 12, 31), True, False),  # period ends before
        (BEFORE, date(2027, 1, 1), date(2027, 6, 1), True, False),  # period starts after
        (BEFORE, date(2025, 6, 1), None, True, True),  # open period of a live record
        (BEFORE, date(2025, 6, 1), None, False, False),  # a closed record ends where it starts
        (BEFORE, date(2026, 3, 1), None, False, True),  # ... which may be in the year
        (BEFORE, None, date(2026, 2, 1), False, True),  # no start: since it was entered
        (datetime(2025, 12, 31, 23, 30, tzinfo=UTC), None, None, True, False),
        (datetime(2026, 12, 31, 23, 59, tzinfo=UTC), None, None, True, True),
    ],
)
def test_year_rule(
    created: datetime, start: date | None, end: date | None, live: bool, expected: bool
) -> None:
    assert Y.holds(created, start, end, live=live) is expected


def test_year_bounds() -> None:
    assert (Y.first, Y.last, Y.until) == (
        date(2026, 1, 1),
        date(2026, 12, 31),
        datetime(2027, 1, 1, tzinfo=UTC),
    )
    assert Y.contains(DURING)
    assert not Y.contains(AFTER)
    assert not Y.contains(None)


def test_figures_and_words() -> None:
    assert share(1, 3) == 33.3
    assert share(0, 0) is None
    assert median([1.0, 3.0, 10.0, 0.5]) == 2.0
    assert median([]) is None
    assert _number(1_234) == "1,234"
    assert _number(2.0) == "2.0"
    assert _number(1_234, "fr") == "1\u202f234"
    assert _number(None) == "None"


def test_table_names_are_the_report_tables(api: ApiFactory) -> None:
    year = datetime.now(UTC).year
    report = api.client.get(
        "/api/v1/reports/annual", params={"year": year}, headers=api.staff
    ).json()
    assert tuple(t["name"] for t in report["tables"]) == TABLE_NAMES
