"""Coordination checks: duplicated engagements, and needs that nothing could help with.

*Duplication*: two providers working (or offering to work) for the same State on the same theme at
the same time is what coordination should catch: ``find_duplications`` flags such pairs.

*Gaps*: supported recommendations and assistance requests for which no offer at all could help,
counted by theme and region (``find_gaps``), for the annual report and for outreach to providers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

UNKNOWN_REGION = "unknown"
"""The region of a State missing from ``region_of`` in ``find_gaps``."""

UNTAGGED = "untagged"
"""The theme under which ``find_gaps`` counts a need that has no theme."""

MAX_EXAMPLES = 5


@dataclass(frozen=True)
class Engagement:
    """An offer or an activity, reduced to what duplication depends on.

    ``states``: ISO3 codes of the States it targets; for offers the caller expands the coverage
    (regions, groups, global) to States. ``start`` / ``end`` are inclusive; None means open
    (no known start, or open-ended).
    """

    kind: Literal["offer", "activity"]
    id: int
    provider_id: int
    states: frozenset[str]
    themes: frozenset[str]
    start: date | None
    end: date | None


@dataclass(frozen=True)
class DuplicationFlag:
    """Two engagements of different providers for the same State and theme in overlapping
    periods. ``first`` sorts before ``second`` by (kind, id); the overlap bounds are inclusive,
    None when both engagements are open on that side."""

    state: str
    theme: str
    first: Engagement
    second: Engagement
    overlap_start: date | None
    overlap_end: date | None


def _key(item: Engagement) -> tuple[str, int, int]:
    return (item.kind, item.id, item.provider_id)


def find_duplications(items: Sequence[Engagement]) -> list[DuplicationFlag]:
    """One flag per (pair of engagements of different providers, State, theme) whose periods
    overlap; sorted by State, theme, then the pair's (kind, id).

    Engagements are grouped by (State, theme) and each group is swept in order of start date, so
    the cost is about the number of (engagement, State, theme) entries plus the number of
    overlapping pairs within a group. Volume warning: an offer with global coverage expanded to
    all 193 States enters 193 x (its themes) groups and is flagged against every overlapping
    engagement on those themes anywhere. Callers should pass only offers with explicit (country or
    regional) coverage, or accept that volume and summarise it.

    Raises ValueError for an engagement that ends before it starts.
    """
    groups: defaultdict[tuple[str, str], list[Engagement]] = defaultdict(list)
    for item in items:
        if item.start is not None and item.end is not None and item.end < item.start:
            raise ValueError(
                f"{item.kind} {item.id} ends ({item.end}) before it starts ({item.start})"
            )
        for state in item.states:
            for theme in item.themes:
                groups[(state, theme)].append(item)

    flags: list[DuplicationFlag] = []
    for (state, theme), members in sorted(groups.items()):
        if len(members) < 2:
            continue
        # Open starts first; among equal starts, by key, so the sweep is deterministic.
        members.sort(key=lambda e: (e.start is not None, e.start or date.min, _key(e)))
        group_flags: list[DuplicationFlag] = []
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                # b starts no earlier than a; once b starts after a ends, so do all the rest.
                if a.end is not None and b.start is not None and b.start > a.end:
                    break
                if a.provider_id == b.provider_id:
                    continue
                first, second = (a, b) if _key(a) <= _key(b) else (b, a)
                group_flags.append(
                    DuplicationFlag(
                        state=state,
                        theme=theme,
                        first=first,
                        second=second,
                        overlap_start=_latest(a.start, b.start),
                        overlap_end=_earliest(a.end, b.end),
                    )
                )
        group_flags.sort(key=lambda f: (_key(f.first), _key(f.second)))
        flags.extend(group_flags)
    return flags


def _latest(x: date | None, y: date | None) -> date | None:
    if x is None:
        return y
    return x if y is None else max(x, y)


def _earliest(x: date | None, y: date | None) -> date | None:
    if x is None:
        return y
    return x if y is None else min(x, y)


@dataclass(frozen=True)
class Need:
    """A supported recommendation or an assistance request: the State and its themes."""

    kind: Literal["recommendation", "request"]
    id: int
    state: str
    themes: frozenset[str]


@dataclass(frozen=True)
class GapRow:
    """Uncovered needs for one theme in one region: how many (recommendations + requests) and up
    to five example ids (requests first, then recommendations, each by id)."""

    theme: str
    region: str
    needs: int
    recommendations: int
    requests: int
    example_ids: tuple[int, ...]


def find_gaps(
    needs: Sequence[Need], covered: Callable[[Need], bool], region_of: Mapping[str, str]
) -> list[GapRow]:
    """Count the needs for which ``covered(need)`` is False (no offer at all could help) by
    theme x region; sorted by needs descending, then theme, then region.

    ``covered`` is called once per need. A need counts once in every one of its themes (under
    ``UNTAGGED`` if it has none); a State missing from ``region_of`` is in ``UNKNOWN_REGION``.
    The same (kind, id) passed twice is counted once.
    """
    cells: defaultdict[tuple[str, str], set[tuple[str, int]]] = defaultdict(set)
    for need in needs:
        if covered(need):
            continue
        region = region_of.get(need.state, UNKNOWN_REGION)
        for theme in need.themes or (UNTAGGED,):
            cells[(theme, region)].add((need.kind, need.id))

    rows: list[GapRow] = []
    for (theme, region), members in cells.items():
        requests = sorted(nid for kind, nid in members if kind == "request")
        recommendations = sorted(nid for kind, nid in members if kind == "recommendation")
        rows.append(
            GapRow(
                theme=theme,
                region=region,
                needs=len(members),
                recommendations=len(recommendations),
                requests=len(requests),
                example_ids=tuple((requests + recommendations)[:MAX_EXAMPLES]),
            )
        )
    rows.sort(key=lambda r: (-r.needs, r.theme, r.region))
    return rows
