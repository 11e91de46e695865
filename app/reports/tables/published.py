"""The year's requests and activities whose State consented to publish them, one row each."""

from __future__ import annotations

from datetime import UTC

from app.core.i18n import N_
from app.reports.cells import iso_date
from app.reports.labels import Labels
from app.reports.schemas import CellValue, Table
from app.reports.scope import YearRecords


def published_requests_table(records: YearRecords, labels: Labels) -> Table:
    requests = sorted(records.published_requests, key=lambda r: (labels.state(r.state_iso3), r.id))
    rows: list[list[CellValue]] = [
        [
            labels.state(r.state_iso3),
            r.title,
            str(r.status),
            "; ".join(labels.themes(r.theme_codes)),
            iso_date(r.created_at.astimezone(UTC).date()),
        ]
        for r in requests
    ]
    return Table(
        name="published_requests",
        title=N_("Assistance requests published with the State's consent"),
        note=N_("Requests of the year past draft whose State consented to publish them."),
        columns=[N_("State"), N_("Title"), N_("Status"), N_("Themes"), N_("Entered")],
        rows=rows,
    )


def published_activities_table(records: YearRecords, labels: Labels) -> Table:
    activities = sorted(
        records.published_activities, key=lambda a: (labels.state(a.state_iso3), a.id)
    )
    rows: list[list[CellValue]] = [
        [
            labels.state(a.state_iso3),
            a.title,
            str(a.status),
            "; ".join(org.name for org in a.providers),
            iso_date(a.period_start),
            iso_date(a.period_end),
            "; ".join(labels.themes(a.theme_codes)),
        ]
        for a in activities
    ]
    return Table(
        name="published_activities",
        title=N_("Activities published with the State's consent"),
        note=N_("Activities of the year whose State consented to publish them."),
        columns=[
            N_("State"),
            N_("Title"),
            N_("Status"),
            N_("Providers"),
            N_("Start"),
            N_("End"),
            N_("Themes"),
        ],
        rows=rows,
    )
