"""The annual report as a tagged (accessible) PDF, typeset by Typst (the `typst` wheel: a
compiled library, no system packages, nothing downloaded).

The PDF carries what the HTML carries (narrative, scope, the same charts, every table, figures
formatted by the same `cell` function), laid out by the template `report.typ` from the report
object. It is written to PDF/UA-1: a structure tree with the headings (H1, H2), paragraphs, the
scope as a list, real tables (TH header cells with their scope, TD cells pointing to their
headers, the header row repeated on each page), the charts as figures with an alternative text
that gives their figures (`charts.describe`); the document's language (/Lang) is the report's,
its title is in the metadata and shown by viewers (DisplayDocTitle), page footers are artifacts.
Arabic runs right to left (Typst shapes and orders it; tables start on the right), Chinese
breaks between characters.

Nothing from the database is pasted into Typst markup: the template reads one JSON document
(`sys.inputs`) and places its strings as text, so no title can run as code.

Charts are matplotlib's SVG with the letters drawn as outlines (no font needed to show them).
Fonts: `app.reports.fonts`. Chromium is not needed; WeasyPrint would need the Pango system
libraries.
"""

from __future__ import annotations

import json
import logging
from importlib.resources import files
from typing import Any

import typst

from app.reports import charts, fonts
from app.reports.html import cell
from app.reports.labels import for_reading
from app.reports.language import words
from app.reports.schemas import AnnualReport, Table

STANDARDS: list[typst.PDFStandard] = ["ua-1"]
# Typst's region for the language's text conventions (Chinese: Simplified, as the UN writes it).
REGIONS = {"zh": "cn"}
_PAGE = "\x00"
logger = logging.getLogger(__name__)


def template() -> bytes:
    return files("app.reports").joinpath("report.typ").read_bytes()


def document(report: AnnualReport) -> dict[str, Any]:
    """What the template lays out: every string the reader sees, as plain data."""
    said = words(report.language)
    period = said["period"] % {"start": report.period_start, "end": report.period_end}
    generated = said["generated"] % {"when": report.generated_at.strftime("%Y-%m-%d %H:%M UTC")}
    titles = {t.name: t.title for t in report.tables}
    before, _, after = (said["page"] % {"num": _PAGE}).partition(_PAGE)
    return {
        "title": report.title,
        "lang": report.language,
        "region": REGIONS.get(report.language),
        "fonts": fonts.families(report.language),
        "meta": f"{period} · {generated}",
        "page": {"before": before, "after": after},
        "words": {"summary": said["summary"], "charts": said["charts"], "none": said["none"]},
        "narrative": list(report.narrative),
        "scope": list(report.scope),
        "charts": [
            {
                "svg": charts.svg(chart, text_as_paths=True),
                "alt": charts.describe(chart, report.language),
                "caption": said["from_table"]
                % {"chart": chart.title, "table": titles[chart.source]},
            }
            for chart in charts.charts_of(report)
        ],
        "tables": [_table(table) for table in report.tables],
    }


def _table(table: Table) -> dict[str, Any]:
    table = for_reading(table)
    return {
        "title": table.title,
        "note": table.note,
        "columns": list(table.columns),
        "rows": [[cell(value) for value in row] for row in table.rows],
        # Figures align to the end of their cell (the right in English, the left in Arabic).
        "numeric": [
            bool(table.rows)
            and all(isinstance(row[i], int | float) or row[i] is None for row in table.rows)
            for i in range(len(table.columns))
        ],
    }


def pdf(report: AnnualReport) -> bytes:
    compiler = typst.Compiler(
        template(),
        font_paths=fonts.typst_fonts(),
        ignore_system_fonts=True,
        sys_inputs={"report": json.dumps(document(report), ensure_ascii=False)},
    )
    content, warnings = compiler.compile_with_warnings(
        format="pdf",
        pdf_standards=STANDARDS,
        timestamp=report.generated_at.replace(microsecond=0),
    )
    for warning in warnings:
        logger.warning("annual report PDF: %s", warning.message)
    if not isinstance(content, bytes):  # a PDF is one file, not one per page
        raise TypeError("Typst returned pages, not a PDF")
    return content
