"""Every format of the annual report, drawn from one `AnnualReport`, so the figures reconcile.

- json: the report object itself;
- csv: a ZIP of one CSV per table (UTF-8 with a byte-order mark, so spreadsheets read accents),
  plus README.txt with the period, scope and narrative; or, with `table`, that one table's CSV;
- xlsx: an "About" sheet (period, scope, narrative, what each sheet holds), then one sheet per
  table, headers in the first row;
- html: one self-contained page, inline SVG charts, every table; ready to paste;
- pdf: a tagged PDF (PDF/UA-1) of the same content, typeset by Typst (`app.reports.pdf`).

In CSV and XLSX, a text cell that a spreadsheet would run as a formula (starting with = + - @,
a tab or a carriage return) is prefixed with a single quote.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime

from app.core.errors import InvalidInput
from app.core.i18n import direction
from app.reports.labels import for_reading
from app.reports.language import words
from app.reports.schemas import AnnualReport, CellValue, ReportFormat, Table
from app.reports.tables import TABLE_NAMES

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters an XLSX cell cannot hold (XML 1.0 forbids them): openpyxl refuses them.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]+")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Rendered:
    content: bytes
    media_type: str
    filename: str
    is_text: bool


def check_choice(fmt: ReportFormat, table: str | None) -> None:
    """Refuse a bad format and table pair before the report is built."""
    if table is None:
        return
    if fmt != ReportFormat.csv:
        raise InvalidInput("a single table is available only with format=csv", field="table")
    if table not in TABLE_NAMES:
        names = ", ".join(TABLE_NAMES)
        raise InvalidInput(f"no table {table!r}; the tables are: {names}", field="table")


def render(report: AnnualReport, fmt: ReportFormat, table: str | None = None) -> Rendered:
    check_choice(fmt, table)
    stem = f"annual-report-{report.year}"
    if fmt == ReportFormat.json:
        return Rendered(
            report.model_dump_json(indent=2).encode(), "application/json", f"{stem}.json", True
        )
    if fmt == ReportFormat.csv:
        if table is None:
            return Rendered(csv_zip(report), "application/zip", f"{stem}-csv.zip", False)
        chosen = report.table(table)
        return Rendered(
            csv_table(chosen), "text/csv; charset=utf-8", f"{stem}-{chosen.name}.csv", True
        )
    if fmt == ReportFormat.xlsx:
        return Rendered(
            xlsx(report),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            f"{stem}.xlsx",
            False,
        )
    if fmt == ReportFormat.html:
        from app.reports.html import html

        return Rendered(html(report).encode(), "text/html; charset=utf-8", f"{stem}.html", True)
    from app.reports.pdf import pdf

    return Rendered(pdf(report), "application/pdf", f"{stem}.pdf", False)


def spreadsheet_safe(value: CellValue) -> CellValue:
    """A text cell that a spreadsheet would evaluate, made inert with a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


# --- CSV ------------------------------------------------------------------------------------
def csv_table(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([spreadsheet_safe(c) for c in table.columns])
    for row in table.rows:
        writer.writerow(["" if v is None else spreadsheet_safe(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def csv_zip(report: AnnualReport) -> bytes:
    buffer = io.BytesIO()
    stamp = report.generated_at.timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("README.txt", stamp), readme(report).encode())
        for index, table in enumerate(report.tables, start=1):
            info = zipfile.ZipInfo(csv_member_name(index, table), stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, csv_table(table))
    return buffer.getvalue()


def csv_member_name(index: int, table: Table) -> str:
    return f"{index:02d}-{table.name}.csv"


def readme(report: AnnualReport) -> str:
    said = words(report.language)
    lines = [
        report.title,
        said["period"] % {"start": report.period_start, "end": report.period_end},
        said["generated"] % {"when": report.generated_at.isoformat(timespec="seconds")},
        "",
        *report.narrative,
        "",
        said["scope"] + ":",
        *(f"- {rule}" for rule in report.scope),
        "",
        said["files"],
        *(
            f"- {csv_member_name(i, t)}: {t.title}. {t.note}".rstrip()
            for i, t in enumerate(report.tables, start=1)
        ),
    ]
    return "\n".join(lines) + "\n"


# --- XLSX -----------------------------------------------------------------------------------
def sheet_names(report: AnnualReport) -> dict[str, str]:
    """Each table's sheet: its title, as Excel allows one (31 characters, none of []:*?/\\),
    unique in the workbook; the About sheet lists which table each holds."""
    taken = {words(report.language)["about"][:31].casefold()}
    names = {}
    for table in report.tables:
        title = _SHEET_FORBIDDEN.sub(" ", table.title).strip().strip("'") or table.name
        name, number = _shortened(title, 31), 2
        while name.casefold() in taken:
            suffix = f" ({number})"
            name, number = _shortened(title, 31 - len(suffix)) + suffix, number + 1
        taken.add(name.casefold())
        names[table.name] = name
    return names


def _shortened(text: str, limit: int) -> str:
    """`text`, or its words up to `limit` characters with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut.rstrip(" ,;:-") + "…"


def _typed_cell(value: CellValue, share: bool) -> CellValue | datetime:
    """Dates as dates and shares (percent figures) as fractions shown as percentages, so that a
    spreadsheet sorts, filters and sums them as such."""
    if share and isinstance(value, int | float):
        return value / 100
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return datetime.fromisoformat(value)
    return _xlsx_cell(value)


def _xlsx_cell(value: CellValue) -> CellValue:
    if isinstance(value, str):
        return spreadsheet_safe(_ILLEGAL_XML.sub("", value))
    return value


def xlsx(report: AnnualReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    said = words(report.language)
    right_to_left = direction(report.language) == "rtl"
    workbook = Workbook()
    about = workbook.active
    about.title = said["about"][:31]
    about.sheet_view.rightToLeft = right_to_left
    bold = Font(bold=True)
    about.append([_xlsx_cell(report.title)])
    about["A1"].font = Font(bold=True, size=14)
    about.append([said["period"] % {"start": report.period_start, "end": report.period_end}])
    about.append([said["generated"] % {"when": report.generated_at.isoformat(timespec="seconds")}])
    about.append([])
    about.append([said["summary"]])
    about.cell(about.max_row, 1).font = bold
    for sentence in report.narrative:
        about.append([_xlsx_cell(sentence)])
    about.append([])
    about.append([said["scope"]])
    about.cell(about.max_row, 1).font = bold
    for rule in report.scope:
        about.append([_xlsx_cell(rule)])
    about.append([])
    about.append([said["sheet"], said["table"], said["counted"], said["key"]])
    for cell in about[about.max_row]:
        cell.font = bold
    names = sheet_names(report)
    for table in report.tables:
        about.append(
            [names[table.name], _xlsx_cell(table.title), _xlsx_cell(table.note), table.name]
        )
    about.column_dimensions["A"].width = 32
    about.column_dimensions["B"].width = 60
    about.column_dimensions["C"].width = 100

    for table in map(for_reading, report.tables):
        sheet = workbook.create_sheet(names[table.name])
        sheet.sheet_view.rightToLeft = right_to_left
        sheet.append([_xlsx_cell(c) for c in table.columns])
        for cell in sheet[1]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        shares = {i for i, key in enumerate(table.keys or table.columns) if key.endswith("(%)")}
        for row in table.rows:
            sheet.append([_typed_cell(v, i in shares) for i, v in enumerate(row)])
            for i, cell in enumerate(sheet[sheet.max_row]):
                if i in shares:
                    cell.number_format = "0.0%"
                elif isinstance(cell.value, datetime):
                    cell.number_format = "yyyy-mm-dd"
        sheet.freeze_panes = "A2"
        if table.rows:
            sheet.auto_filter.ref = sheet.dimensions
        for index, column in enumerate(table.columns, start=1):
            longest = max([len(column), *(len(str(row[index - 1] or "")) for row in table.rows)])
            sheet.column_dimensions[get_column_letter(index)].width = min(60, max(10, longest + 2))
    workbook.properties.title = report.title
    workbook.properties.created = report.generated_at.replace(tzinfo=None)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
