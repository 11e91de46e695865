from __future__ import annotations

import itertools
import random
from datetime import date
from typing import Literal

import pytest

from matching.duplication import (
    UNKNOWN_REGION,
    UNTAGGED,
    DuplicationFlag,
    Engagement,
    GapRow,
    Need,
    find_duplications,
    find_gaps,
)


def eng(
    id_: int,
    provider: int,
    states: str = "KAZ",
    themes: str = "torture",
    start: date | None = date(2025, 1, 1),
    end: date | None = date(2025, 12, 31),
    kind: Literal["offer", "activity"] = "activity",
) -> Engagement:
    return Engagement(
        kind=kind,
        id=id_,
        provider_id=provider,
        states=frozenset(states.split()),
        themes=frozenset(themes.split()),
        start=start,
        end=end,
    )


def test_same_provider_not_flagged() -> None:
    a, b = eng(1, provider=5), eng(2, provider=5, kind="offer")
    assert find_duplications([a, b]) == []


def test_different_providers_same_state_theme_overlapping_flagged() -> None:
    a = eng(1, provider=5, start=date(2025, 1, 1), end=date(2025, 6, 30))
    b = eng(2, provider=6, start=date(2025, 3, 1), end=date(2025, 12, 31))
    assert find_duplications([b, a]) == [
        DuplicationFlag("KAZ", "torture", a, b, date(2025, 3, 1), date(2025, 6, 30))
    ]


def test_offer_and_activity_of_different_providers_flagged() -> None:
    offer = eng(1, provider=5, kind="offer")
    activity = eng(1, provider=6, kind="activity")
    [flag] = find_duplications([offer, activity])
    assert (flag.first, flag.second) == (activity, offer)  # "activity" < "offer"


def test_different_state_or_theme_not_flagged() -> None:
    a = eng(1, provider=5, states="KAZ", themes="torture")
    assert find_duplications([a, eng(2, provider=6, states="UZB", themes="torture")]) == []
    assert find_duplications([a, eng(3, provider=6, states="KAZ", themes="education")]) == []


def test_non_overlapping_periods_not_flagged() -> None:
    a = eng(1, provider=5, start=date(2024, 1, 1), end=date(2024, 12, 31))
    b = eng(2, provider=6, start=date(2025, 1, 1), end=date(2025, 12, 31))
    assert find_duplications([a, b]) == []


def test_touching_periods_overlap_on_one_day() -> None:
    a = eng(1, provider=5, start=date(2024, 1, 1), end=date(2024, 12, 31))
    b = eng(2, provider=6, start=date(2024, 12, 31), end=date(2025, 12, 31))
    [flag] = find_duplications([a, b])
    assert (flag.overlap_start, flag.overlap_end) == (date(2024, 12, 31), date(2024, 12, 31))


def test_open_ended_periods() -> None:
    old_open = eng(1, provider=5, start=date(2020, 1, 1), end=None)
    recent = eng(2, provider=6, start=date(2026, 5, 1), end=date(2026, 6, 1))
    [flag] = find_duplications([old_open, recent])
    assert (flag.overlap_start, flag.overlap_end) == (date(2026, 5, 1), date(2026, 6, 1))

    both_open = eng(3, provider=7, start=date(2021, 1, 1), end=None)
    flags = find_duplications([old_open, both_open])
    assert [(f.overlap_start, f.overlap_end) for f in flags] == [(date(2021, 1, 1), None)]

    no_dates = eng(4, provider=8, start=None, end=None)
    ended = eng(5, provider=9, start=None, end=date(2019, 1, 1))
    flags = find_duplications([no_dates, ended, old_open])
    pairs = {(f.first.id, f.second.id): (f.overlap_start, f.overlap_end) for f in flags}
    assert pairs == {
        (4, 5): (None, date(2019, 1, 1)),
        (1, 4): (date(2020, 1, 1), None),
    }  # 5 ended before 1 started


def test_one_flag_per_state_and_theme() -> None:
    a = eng(1, provider=5, states="KAZ UZB TJK", themes="torture education")
    b = eng(2, provider=6, states="KAZ UZB", themes="torture education water")
    flags = find_duplications([a, b])
    assert [(f.state, f.theme) for f in flags] == [
        ("KAZ", "education"),
        ("KAZ", "torture"),
        ("UZB", "education"),
        ("UZB", "torture"),
    ]
    assert all((f.first, f.second) == (a, b) for f in flags)


def test_three_providers_give_three_pairs_in_order() -> None:
    items = [eng(3, provider=7), eng(1, provider=5), eng(2, provider=6), eng(4, provider=5)]
    flags = find_duplications(items)
    assert [(f.first.id, f.second.id) for f in flags] == [(1, 2), (1, 3), (2, 3), (2, 4), (3, 4)]


def test_sweep_matches_all_pairs_check() -> None:
    rng = random.Random(2023)

    def random_date() -> date | None:
        return (
            None if rng.random() < 0.15 else date(2020 + rng.randint(0, 6), rng.randint(1, 12), 1)
        )

    items = []
    for i in range(150):
        start, end = random_date(), random_date()
        if start and end and end < start:
            start, end = end, start
        items.append(
            eng(
                i,
                provider=rng.randint(1, 8),
                states=" ".join(rng.sample(["KAZ", "UZB", "TJK", "SEN"], rng.randint(1, 2))),
                themes=" ".join(rng.sample(["t1", "t2", "t3"], rng.randint(1, 2))),
                start=start,
                end=end,
                kind=rng.choice(["offer", "activity"]),
            )
        )
    expected = set()
    for a, b in itertools.combinations(items, 2):
        if a.provider_id == b.provider_id:
            continue
        lo = max((d for d in (a.start, b.start) if d), default=None)
        hi = min((d for d in (a.end, b.end) if d), default=None)
        if lo and hi and lo > hi:
            continue
        for s, t in itertools.product(a.states & b.states, a.themes & b.themes):
            expected.add((s, t, frozenset({(a.kind, a.id), (b.kind, b.id)}), lo, hi))
    flags = find_duplications(items)
    got = [
        (
            f.state,
            f.theme,
            frozenset({(f.first.kind, f.first.id), (f.second.kind, f.second.id)}),
            f.overlap_start,
            f.overlap_end,
        )
        for f in flags
    ]
    assert len(got) == len(set(got))
    assert set(got) == expected
    assert flags == find_duplications(list(reversed(items)))


def test_end_before_start_rejected() -> None:
    with pytest.raises(ValueError, match="ends"):
        find_duplications([eng(1, 5, start=date(2025, 2, 1), end=date(2025, 1, 1))])


REGIONS = {"KAZ": "Central Asia", "UZB": "Central Asia", "SEN": "Western Africa"}


def need(
    id_: int, state: str, themes: str, kind: Literal["recommendation", "request"] = "request"
) -> Need:
    return Need(kind=kind, id=id_, state=state, themes=frozenset(themes.split()))


def test_gaps_grouped_by_theme_and_region_and_ordered() -> None:
    needs = [
        need(1, "KAZ", "torture education"),
        need(2, "UZB", "torture", kind="recommendation"),
        need(3, "SEN", "torture"),
        need(4, "SEN", "water"),
        need(5, "SEN", "education"),  # covered
        need(6, "KAZ", "water", kind="recommendation"),
        need(7, "SEN", "water", kind="recommendation"),
    ]
    calls: list[int] = []

    def covered(n: Need) -> bool:
        calls.append(n.id)
        return n.id == 5

    rows = find_gaps(needs, covered, REGIONS)
    assert sorted(calls) == [1, 2, 3, 4, 5, 6, 7]
    assert rows == [
        GapRow("torture", "Central Asia", 2, 1, 1, (1, 2)),
        GapRow("water", "Western Africa", 2, 1, 1, (4, 7)),
        GapRow("education", "Central Asia", 1, 0, 1, (1,)),
        GapRow("torture", "Western Africa", 1, 0, 1, (3,)),
        GapRow("water", "Central Asia", 1, 1, 0, (6,)),
    ]


def test_gaps_examples_limited_requests_first() -> None:
    needs = [need(i, "KAZ", "torture", kind="recommendation") for i in range(10, 0, -1)]
    needs.append(need(50, "KAZ", "torture"))
    [row] = find_gaps(needs, lambda n: False, REGIONS)
    assert (row.needs, row.recommendations, row.requests) == (11, 10, 1)
    assert row.example_ids == (50, 1, 2, 3, 4)


def test_gaps_unknown_region_untagged_and_duplicates() -> None:
    needs = [need(1, "XXX", ""), need(1, "XXX", ""), need(1, "XXX", "", kind="recommendation")]
    assert find_gaps(needs, lambda n: False, REGIONS) == [
        GapRow(UNTAGGED, UNKNOWN_REGION, 2, 1, 1, (1, 1))
    ]


def test_no_gaps_when_everything_covered() -> None:
    assert find_gaps([need(1, "KAZ", "torture")], lambda n: True, REGIONS) == []
