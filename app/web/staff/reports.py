"""The annual report to the Human Rights Council on a page: choose the year and the format,
download the file (the same builder and renderers as GET /api/v1/reports/annual)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from app.db.base import utcnow
from app.db.session import SessionDep
from app.reports.render import render as render_report
from app.reports.schemas import ReportFormat
from app.reports.scope import FIRST_YEAR
from app.reports.service import build_annual_report
from app.web.i18n import negotiate, supported
from app.web.labels import N_
from app.web.params import enum_value, int_value
from app.web.sessions import StaffPagePrincipal
from app.web.staff.common import page

router = APIRouter()

FORMATS = {
    ReportFormat.pdf: N_("PDF document, to print or send"),
    ReportFormat.html: N_("Web page (HTML), to paste into a document"),
    ReportFormat.xlsx: N_("Spreadsheet (XLSX): one sheet per table"),
    ReportFormat.csv: N_("CSV tables in a ZIP file"),
    ReportFormat.json: N_("JSON, for developers"),
}


def _form(
    request: Request,
    year: int,
    fmt: ReportFormat,
    errors: dict[str, str],
    status_code: int = 200,
    language: str | None = None,
) -> Response:
    context: dict[str, Any] = {
        "years": list(range(utcnow().year, FIRST_YEAR - 1, -1)),
        "year": year,
        "fmt": fmt,
        "report_language": language or negotiate(request),
        "formats": FORMATS,
        "errors": errors,
    }
    return page(request, "staff/reports.html", context, status_code=status_code)


@router.get("/reports", name="web_staff_reports")
def reports(request: Request, principal: StaffPagePrincipal) -> Response:
    return _form(request, utcnow().year, ReportFormat.pdf, {})


@router.get("/reports/annual", name="web_staff_report_file")
def report_file(
    request: Request,
    session: SessionDep,
    principal: StaffPagePrincipal,
    year: str | None = None,
    fmt: Annotated[str | None, Query(alias="format")] = None,
    language: str | None = None,
) -> Response:
    """The report as a file to save; a year or format that makes no sense is said next to its
    field."""
    this_year = utcnow().year
    chosen_year = int_value(year, FIRST_YEAR, this_year)
    chosen_format = enum_value(ReportFormat, fmt)
    errors = {}
    if chosen_year is None:
        errors["year"] = N_("Choose a year from the list.")
    if chosen_format is None:
        errors["format"] = N_("Choose a format from the list.")
    chosen_language = supported(language) if language else negotiate(request)
    if chosen_language is None:
        errors["language"] = N_("Choose a language from the list.")
    if chosen_year is None or chosen_format is None or chosen_language is None:
        return _form(
            request,
            chosen_year or this_year,
            chosen_format or ReportFormat.pdf,
            errors,
            422,
            chosen_language,
        )
    report = build_annual_report(session, chosen_year, language=chosen_language)
    rendered = render_report(report, chosen_format)
    return Response(
        rendered.content,
        media_type=rendered.media_type,
        headers={"Content-Disposition": f'attachment; filename="{rendered.filename}"'},
    )
