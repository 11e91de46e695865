"""Possible duplication: different providers for the same State and theme at the same time."""

from __future__ import annotations

from collections import Counter

from app.core.i18n import N_
from app.reports.cells import iso_date
from app.reports.labels import Labels, region_order
from app.reports.schemas import CellValue, Table
from app.reports.scope import YearRecords
from matching.duplication import Engagement


def duplication_table(records: YearRecords, labels: Labels) -> Table:
    counts = Counter(
        (labels.region(flag.state), labels.theme(flag.theme)) for flag in records.flags
    )
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], region_order(kv[0][0]), kv[0]))
    return Table(
        name="duplication",
        title=N_("Possible duplication by region and theme"),
        note=N_(
            "Active offers naming the State and planned or ongoing activities of different "
            "providers for the same State and theme, whose periods overlap during the year."
        ),
        columns=[N_("Region"), N_("Theme"), N_("Flags")],
        rows=[[region, theme, count] for (region, theme), count in ordered],
    )


def duplication_details_table(
    records: YearRecords, labels: Labels, consent: dict[int, bool]
) -> Table:
    """`consent`: whether the State consented to publish each activity, by id."""

    def published(item: Engagement) -> bool:
        return item.kind == "offer" or consent.get(item.id, False)

    def label(item: Engagement) -> str:
        provider = labels.organization.get(item.provider_id)
        return f"{item.kind} {item.id}" + (f" ({provider})" if provider else "")

    rows: list[list[CellValue]] = [
        [
            labels.state(flag.state),
            labels.theme(flag.theme),
            label(flag.first),
            label(flag.second),
            iso_date(flag.overlap_start),
            iso_date(flag.overlap_end),
        ]
        for flag in records.flags
        if published(flag.first) and published(flag.second)
    ]
    return Table(
        name="duplication_details",
        title=N_("Possible duplication: published engagements"),
        note=N_(
            "The flags above whose activities the State consented to publish (offers are "
            "public while active); the others are counted above but not described."
        ),
        columns=[
            N_("State"),
            N_("Theme"),
            N_("First"),
            N_("Second"),
            N_("Overlap from"),
            N_("Overlap to"),
        ],
        rows=rows,
    )
