"""The recommendations in the repository, how far requests and activities cover the supported
ones, and the needs no offer could serve."""

from __future__ import annotations

from collections import Counter, defaultdict

from app.core.i18n import N_
from app.recommendations.models import Position
from app.reports.cells import share
from app.reports.labels import ALL_REGIONS, UNASSIGNED, Labels, region_order
from app.reports.schemas import CellValue, Table
from app.reports.scope import YearRecords
from matching.duplication import UNKNOWN_REGION


def recommendations_table(records: YearRecords) -> Table:
    cells: defaultdict[tuple[str, int], Counter[Position]] = defaultdict(Counter)
    for row in records.stock:
        cells[(row.region or UNASSIGNED, row.cycle)][row.position] += row.count
    rows: list[list[CellValue]] = [
        [
            region,
            cycle,
            sum(counts.values()),
            counts[Position.supported],
            counts[Position.noted],
            counts[Position.pending],
        ]
        for (region, cycle), counts in sorted(cells.items(), key=_by_region_and_cycle)
    ]
    return Table(
        name="recommendations",
        title=N_("Recommendations in the repository by cycle and region"),
        note=N_(
            "Stock at the end of %(year)s, by the M49 region of the State under "
            "review. Pending: taken from a Working Group report before the State's position."
        )
        % {"year": records.year.year},
        columns=[
            N_("Region"),
            N_("Cycle"),
            N_("Recommendations"),
            N_("Supported"),
            N_("Noted"),
            N_("Pending"),
        ],
        rows=rows,
    )


def _by_region_and_cycle(item: tuple[tuple[str, int], object]) -> tuple[tuple[int, str], int]:
    (region, cycle), _ = item
    return (region_order(region), cycle)


def coverage_table(records: YearRecords) -> Table:
    merged: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for row in records.coverage:
        cell = merged[row.region or UNASSIGNED]
        for i, value in enumerate((row.supported, row.by_request, row.by_activity, row.either)):
            cell[i] += value
    rows: list[list[CellValue]] = []
    for region, values in sorted(merged.items(), key=lambda kv: region_order(kv[0])):
        rows.append([region, *values, share(values[3], values[0])])
    totals = [sum(values[i] for values in merged.values()) for i in range(4)]
    rows.append([ALL_REGIONS, *totals, share(totals[3], totals[0])])
    return Table(
        name="coverage",
        title=N_("Supported recommendations covered by a request or an activity"),
        note=N_(
            "Supported recommendations in the repository at the end of %(year)s, "
            "and those named by an assistance request (past draft, not withdrawn) or an "
            "activity (not cancelled) entered by then."
        )
        % {"year": records.year.year},
        columns=[
            N_("Region"),
            N_("Supported recommendations"),
            N_("Covered by a request"),
            N_("Covered by an activity"),
            N_("Covered by either"),
            N_("Share covered (%)"),
        ],
        rows=rows,
    )


def unmet_demand_table(records: YearRecords, labels: Labels) -> Table:
    return Table(
        name="unmet_demand",
        title=N_("Unmet demand by theme and region"),
        note=N_(
            "Open requests and supported recommendations no request names yet, that no "
            "active offer with places left could serve (none covers the State on any of the "
            "need's themes), as at the time the report is generated. A need counts once in "
            "each of its themes."
        ),
        columns=[
            N_("Theme"),
            N_("Region"),
            N_("Needs"),
            N_("Assistance requests"),
            N_("Recommendations"),
        ],
        rows=[
            [
                labels.gap_theme(row.theme),
                UNASSIGNED if row.region == UNKNOWN_REGION else row.region,
                row.needs,
                row.requests,
                row.recommendations,
            ]
            for row in records.gaps
        ],
    )
