from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response

from app.auth.dependencies import StaffPrincipal
from app.core.i18n import ReaderLanguage
from app.db.session import SessionDep
from app.reports.render import check_choice, render
from app.reports.schemas import AnnualReport, ReportFormat
from app.reports.scope import FIRST_YEAR
from app.reports.service import build_annual_report

router = APIRouter(prefix="/reports", tags=["reports"])

FILES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The report in the format asked for",
        "content": {
            "text/csv": {},
            "application/zip": {},
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {},
            "text/html": {},
            "application/pdf": {},
        },
    }
}


@router.get("/annual", response_model=AnnualReport, responses=FILES)
def annual_report(
    _staff: StaffPrincipal,
    session: SessionDep,
    reader: ReaderLanguage,
    year: Annotated[int, Query(ge=FIRST_YEAR, le=2100, description="Calendar year reported")],
    fmt: Annotated[
        ReportFormat, Query(alias="format", description="json, csv, xlsx, html or pdf")
    ] = ReportFormat.json,
    table: Annotated[
        str | None,
        Query(
            max_length=60,
            description="With format=csv: that one table as CSV (default: a ZIP of every table)",
        ),
    ] = None,
    language: Annotated[
        Literal["ar", "zh", "en", "fr", "ru", "es"] | None,
        Query(description="The report's language (default: Accept-Language, else English)"),
    ] = None,
) -> Response:
    """The annual report to the Human Rights Council on the repository: recommendations by cycle
    and region, requests, offers, matches and activities by status, theme, region and provider
    type, coverage of supported recommendations, time to agreement, unmet demand, possible
    duplication, and the details States consented to publish, with a short narrative. Every
    format carries the same figures, in the language chosen (titles, headings, narrative,
    and the names of regions, themes, countries and statuses)."""
    check_choice(fmt, table)
    report = build_annual_report(session, year, language=language or reader)
    rendered = render(report, fmt, table)
    disposition = "inline" if fmt in (ReportFormat.json, ReportFormat.html) else "attachment"
    return Response(
        rendered.content,
        media_type=rendered.media_type,
        headers={"Content-Disposition": f'{disposition}; filename="{rendered.filename}"'},
    )
