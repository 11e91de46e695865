"""The annual report on the repository (Human Rights Council resolution 54/28, para 14).

One function builds one plain `AnnualReport` (tables and a short narrative); every format
(`app.reports.render`) is drawn from that object, so the figures are the same in all of them.

Which records a year counts, and what the report may say about a single request or activity:
`app.reports.scope`. Where each table is made: `app.reports.tables`. The key figures and the
narrative: `app.reports.narrative`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from app.core.errors import InvalidInput
from app.db.base import utcnow
from app.reports import repository
from app.reports.labels import Labels, load_labels
from app.reports.language import LANGUAGES, TITLE, localise
from app.reports.narrative import key_figures, narrative, summary_table
from app.reports.schemas import AnnualReport, Table
from app.reports.scope import FIRST_YEAR, SCOPE, Year, YearRecords, select_year
from app.reports.tables.cooperation import (
    agreement_table,
    provider_type_table,
    region_table,
    status_table,
    theme_table,
)
from app.reports.tables.duplication import duplication_details_table, duplication_table
from app.reports.tables.published import published_activities_table, published_requests_table
from app.reports.tables.recommendations import (
    coverage_table,
    recommendations_table,
    unmet_demand_table,
)


def build_annual_report(
    session: Session, year: int, *, now: datetime | None = None, language: str = "en"
) -> AnnualReport:
    """The report of `year`, in `language` (one of the six UN languages)."""
    now = now or utcnow()
    if year < FIRST_YEAR:
        raise InvalidInput(f"the UPR began in {FIRST_YEAR}: no report for {year}", field="year")
    if year > now.year:
        raise InvalidInput(f"the year {year} has not begun", field="year")
    records = select_year(session, Year(year))
    labels = load_labels(session)
    if language not in LANGUAGES:
        raise InvalidInput(
            f"no report in {language!r}; the languages are: {', '.join(LANGUAGES)}",
            field="language",
        )
    figures = key_figures(records)
    report = AnnualReport(
        title=TITLE % {"year": year},
        year=year,
        period_start=records.year.first,
        period_end=records.year.last,
        generated_at=now,
        scope=SCOPE,
        narrative=narrative(
            records.year,
            figures,
            records.gaps,
            labels if language == "en" else load_labels(session, language),
            language,
        ),
        tables=[summary_table(records.year, figures), *_tables(session, records, labels)],
    )
    return localise(session, report, language)


def _tables(session: Session, records: YearRecords, labels: Labels) -> list[Table]:
    """In the order of `app.reports.tables.TABLE_NAMES`, after the summary."""
    return [
        recommendations_table(records),
        coverage_table(records),
        status_table(records),
        region_table(records, labels, repository.region_members_of(session)),
        theme_table(records, labels),
        provider_type_table(records),
        agreement_table(records, labels),
        unmet_demand_table(records, labels),
        duplication_table(records, labels),
        duplication_details_table(records, labels, repository.activity_consent(session)),
        published_requests_table(records, labels),
        published_activities_table(records, labels),
    ]
