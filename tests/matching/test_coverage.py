from __future__ import annotations

import pytest

from matching.coverage import Coverage, covering_regions, covers

MEMBERSHIPS = {
    "KAZ": frozenset({"m49-142", "m49-143", "hrc-asia-pacific", "lldc"}),
    "FJI": frozenset({"m49-009", "m49-054", "hrc-asia-pacific", "sids"}),
    "FRA": frozenset({"m49-150", "m49-155", "hrc-weog"}),
}


@pytest.mark.parametrize(
    ("coverage", "country", "expected"),
    [
        (Coverage(is_global=True), "FRA", True),
        (Coverage(is_global=True), "XXX", True),
        (Coverage(countries=frozenset({"KAZ"})), "KAZ", True),
        (Coverage(countries=frozenset({"KAZ"})), "FJI", False),
        (Coverage(regions=frozenset({"m49-143"})), "KAZ", True),
        (Coverage(regions=frozenset({"m49-143"})), "FRA", False),
        (Coverage(regions=frozenset({"sids"})), "FJI", True),
        (Coverage(regions=frozenset({"sids"})), "KAZ", False),
        (Coverage(regions=frozenset({"hrc-asia-pacific"})), "FJI", True),
        (Coverage(regions=frozenset({"lldc", "hrc-weog"})), "FRA", True),
        (Coverage(regions=frozenset({"lldc"})), "XXX", False),
        (Coverage(), "KAZ", False),
    ],
)
def test_covers(coverage: Coverage, country: str, expected: bool) -> None:
    assert covers(coverage, country, MEMBERSHIPS) is expected


def test_covering_regions_names_the_matching_groups() -> None:
    coverage = Coverage(regions=frozenset({"lldc", "sids", "m49-143"}))
    assert covering_regions(coverage, "KAZ", MEMBERSHIPS) == {"lldc", "m49-143"}
    assert covering_regions(coverage, "FRA", MEMBERSHIPS) == frozenset()
