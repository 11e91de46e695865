"""Sorting, paging and exporting the list pages: one helper for every list.

A page describes its list once, as `Column`s: the header a person reads, the value a cell holds
in an export, and (when the column sorts) the SQL expression it sorts by. `Listing.show` then
reads `sort`, `page` and `export` from the address and gives either the page's rows or the
export file:

- `?sort=key` sorts by a column in ascending order, `?sort=-key` in descending order; a key the
  list does not know is ignored (the list's default order);
- `?page=N` jumps to a page (the pagination form asks for a number);
- `?export=csv` or `?export=xlsx` downloads every row the filters select (up to
  `MAX_EXPORT_ROWS`), in the order shown, the headers and labels in the page's language.

A list a service computes in Python rather than selects (the gaps, the duplications) goes
through `Listing.show_rows` instead: its sortable columns say `sort=in_python`, and sort by the
value they export (case aside; empty values last either way), ties keeping the service's order.

The rows come from the page's own query, which carries the visibility rule of its entity
(`repository.visible_to`): an export shows what the page would, never an unpublished record to
someone who may not see it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy import ColumnElement, Select, func, nulls_last, select
from sqlalchemy.orm import QueryableAttribute, Session

from app.core.pagination import PageParams, paginate
from app.organizations.models import Organization
from app.reference import cache as reference_cache
from app.reference.cache import LabelRow
from app.reference.models import LANGUAGE_COLUMNS, Country
from app.web.i18n import negotiate, translations
from app.web.params import PAGE_SIZE, page_count, page_value

T = TypeVar("T")
CellValue = str | int | float | Decimal | date | datetime | None
MAX_EXPORT_ROWS = 10_000
EXPORT_BATCH = 500
EXPORT_FORMATS = ("csv", "xlsx")
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A text cell a spreadsheet would run as a formula gets a leading quote (as the annual report).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Cells:
    """What a column needs to write its value in an export: the page's language, and the names
    of the States (a record holds only their codes)."""

    lang: str
    countries: Mapping[str, LabelRow] = field(default_factory=dict)
    organizations: Mapping[int, str] = field(default_factory=dict)
    session: Session | None = None

    def _(self, message: str) -> str:
        return translations(self.lang).gettext(message)

    def label(self, row: Any) -> str:
        """A reference row (country, theme...) in the page's language."""
        return str(row.label(self.lang)) if row is not None else ""

    def labels(self, rows: Iterable[Any]) -> str:
        return "; ".join(self.label(row) for row in rows)

    def state(self, iso3: str | None) -> str:
        country = self.countries.get(iso3 or "")
        return self.label(country) if country is not None else (iso3 or "")

    def organization(self, organization_id: int | None) -> str:
        if organization_id is None:
            return ""
        return self.organizations.get(organization_id, str(organization_id))

    def choice(self, mapping: Mapping[Any, str], value: Any) -> str:
        """An enumeration's value by its label (one of `app.web.labels`), translated."""
        key = getattr(value, "value", value)
        return self._(mapping[key]) if key in mapping else str(key or "")


Orderable = ColumnElement[Any] | QueryableAttribute[Any]
Sorter = Callable[[str], Sequence[Orderable]]


@dataclass(frozen=True)
class Column(Generic[T]):
    """One column of a list: its key in the address, its header (an `N_` message), its value in
    an export and, for a column that sorts, the expressions it sorts by (given the page's
    language, for labels)."""

    key: str
    label: str
    value: Callable[[T, Cells], CellValue]
    sort: Sorter | None = None


@dataclass(frozen=True)
class Sort:
    key: str
    descending: bool

    @property
    def param(self) -> str:
        return f"-{self.key}" if self.descending else self.key


@dataclass(frozen=True)
class Sorting:
    """The order a list is in, for its headers: which column sorts, which way (None: the list's
    own order), and the address parameter of the link that sorts by another column (or the
    other way)."""

    current: Sort | None
    sortable: frozenset[str]
    default: Sort | None

    def aria(self, key: str) -> str | None:
        if self.current is None or key != self.current.key:
            return None
        return "descending" if self.current.descending else "ascending"

    def link(self, key: str) -> str | None:
        """The `sort` value of the header's link: the other way when the column sorts already;
        None for the default order (a shorter address)."""
        if self.current is not None and key == self.current.key:
            target = Sort(key, not self.current.descending)
        else:
            target = Sort(key, False)
        return None if target == self.default else target.param

    def sorts(self, key: str) -> bool:
        return key in self.sortable


@dataclass
class Shown(Generic[T]):
    """A list page's rows and what its template needs to sort, page and export."""

    items: list[T]
    total: int
    page: int
    pages: int
    sorting: Sorting
    columns: Sequence[Column[T]] = field(default_factory=list)

    def context(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "total": self.total,
            "page": self.page,
            "pages": self.pages,
            "sorting": self.sorting,
            "columns": self.columns,
            "export_limit": MAX_EXPORT_ROWS,
        }


def state_name(state_iso3: Orderable) -> Sorter:
    """Sort by a State's name in the page's language (English where it has none)."""

    def order(lang: str) -> Sequence[Orderable]:
        column = getattr(Country, f"label_{lang}") if lang in LANGUAGE_COLUMNS else None
        name = func.coalesce(column, Country.label_en) if column is not None else Country.label_en
        return [select(name).where(Country.iso3 == state_iso3).scalar_subquery()]

    return order


def by(*expressions: Orderable) -> Sorter:
    return lambda _lang: list(expressions)


def in_python(_lang: str) -> Sequence[Orderable]:
    """The `sort` of a column of a list computed in Python (`Listing.show_rows`): it sorts by
    its value; there is no SQL to sort by."""
    raise TypeError("a column of a list computed in Python sorts in Listing.show_rows")


def _sort_key(value: CellValue) -> Any:
    return value.casefold() if isinstance(value, str) else value


class Listing(Generic[T]):
    """A list page's columns, default order and the unique column that breaks ties (so that
    pages never overlap)."""

    def __init__(
        self,
        name: str,
        title: str,
        columns: Sequence[Column[T]],
        *,
        default: str | None,
        tiebreak: Orderable,
        page_size: int = PAGE_SIZE,
    ) -> None:
        self.name = name
        self.title = title
        self.columns = list(columns)
        self.by_key = {c.key: c for c in self.columns}
        self.default = self._parse(default)
        self.tiebreak = tiebreak
        self.page_size = page_size

    def _parse(self, value: str | None) -> Sort | None:
        value = (value or "").strip()
        descending = value.startswith("-")
        key = value[1:] if descending else value
        column = self.by_key.get(key)
        return Sort(key, descending) if column is not None and column.sort is not None else None

    def sorting(self, params: Mapping[str, str]) -> Sorting:
        return Sorting(
            current=self._parse(params.get("sort")) or self.default,
            sortable=frozenset(c.key for c in self.columns if c.sort is not None),
            default=self.default,
        )

    def ordered(self, stmt: Select[Any], sort: Sort | None, lang: str) -> Select[Any]:
        if sort is None:  # the query's own order (ending with a unique column)
            return stmt
        column = self.by_key[sort.key]
        assert column.sort is not None  # noqa: S101 - _parse keeps sortable columns only
        keys = [
            nulls_last(e.desc()) if sort.descending else nulls_last(e.asc())
            for e in column.sort(lang)
        ]
        tiebreak = self.tiebreak.desc() if sort.descending else self.tiebreak.asc()
        return stmt.order_by(None).order_by(*keys, tiebreak)

    def show(self, request: Request, session: Session, stmt: Select[Any]) -> Shown[T] | Response:
        """The page of rows asked for, or the export file when the address asks for one."""
        params = request.query_params
        lang = negotiate(request)
        sorting = self.sorting(params)
        stmt = self.ordered(stmt, sorting.current, lang)
        fmt = params.get("export")
        if fmt in EXPORT_FORMATS:
            return self.export(session, stmt, fmt, lang)
        number, page = page_value(params.get("page"), self.page_size)
        items, total = paginate(session, stmt, page)
        pages = page_count(total, self.page_size)
        if number > pages and total:  # past the end: the last page
            number = pages
            items, total = paginate(
                session,
                stmt,
                PageParams(limit=self.page_size, offset=(pages - 1) * self.page_size),
            )
        return Shown(items, total, number, pages, sorting, self.columns)

    def show_rows(
        self, request: Request, session: Session, items: Sequence[T]
    ) -> Shown[T] | Response:
        """`show` for a list a service computed in Python: the page of `items` asked for, in
        the order asked for, or the export file of all of them."""
        params = request.query_params
        sorting = self.sorting(params)
        fmt = params.get("export")
        ordered = list(items)
        if sorting.current is None and fmt not in EXPORT_FORMATS:
            cells = None
        else:
            cells = self.cells(session, negotiate(request))
            if sorting.current is not None:
                ordered = self.sorted_rows(ordered, sorting.current, cells)
            if fmt in EXPORT_FORMATS:
                rows = (self.line(item, cells) for item in ordered[:MAX_EXPORT_ROWS])
                return self.file(rows, fmt, cells)
        pages = page_count(len(ordered), self.page_size)
        number = min(
            page_value(params.get("page"), self.page_size)[0], pages
        )  # past the end: the last
        start = (number - 1) * self.page_size
        shown = ordered[start : start + self.page_size]
        return Shown(shown, len(ordered), number, pages, sorting, self.columns)

    def sorted_rows(self, items: list[T], sort: Sort, cells: Cells) -> list[T]:
        """Sorted by the column's value, empty values last either way; Python's sort is
        stable, so ties keep the service's order."""
        column = self.by_key[sort.key]
        valued = [(column.value(item, cells), item) for item in items]
        present = [(v, item) for v, item in valued if v is not None and v != ""]
        empty = [item for v, item in valued if v is None or v == ""]
        present.sort(key=lambda pair: _sort_key(pair[0]), reverse=sort.descending)
        return [item for _v, item in present] + empty

    # --- export --------------------------------------------------------------------------------
    def line(self, item: T, cells: Cells) -> list[CellValue]:
        return [column.value(item, cells) for column in self.columns]

    def rows(self, session: Session, stmt: Select[Any], cells: Cells) -> Iterable[list[CellValue]]:
        for offset in range(0, MAX_EXPORT_ROWS, EXPORT_BATCH):
            limit = min(EXPORT_BATCH, MAX_EXPORT_ROWS - offset)
            batch = list(session.scalars(stmt.limit(limit).offset(offset)).unique())
            for item in batch:
                yield self.line(item, cells)
            if len(batch) < limit:
                return

    @staticmethod
    def cells(session: Session, lang: str) -> Cells:
        countries = {row.code: row for row in reference_cache.countries(session)}
        organizations = {
            row.id: row.name for row in session.execute(select(Organization.id, Organization.name))
        }
        return Cells(lang, countries, organizations, session)

    def export(self, session: Session, stmt: Select[Any], fmt: str, lang: str) -> Response:
        cells = self.cells(session, lang)
        return self.file(self.rows(session, stmt, cells), fmt, cells)

    def file(self, rows: Iterable[Sequence[CellValue]], fmt: str, cells: Cells) -> Response:
        headers = [cells._(c.label) for c in self.columns]
        stamp = datetime.now(UTC).date().isoformat()
        filename = f"{self.name}-{stamp}.{fmt}"
        if fmt == "csv":
            content, media_type = csv_bytes(headers, rows), "text/csv; charset=utf-8"
        else:
            content, media_type = xlsx_bytes(cells._(self.title), headers, rows), XLSX_MEDIA_TYPE
        return Response(
            content,
            media_type=media_type,
            headers={
                "Content-Disposition": f'attachment; filename="{filename}"',
                "Cache-Control": "no-store",
                "Vary": "Accept-Language, Cookie",
            },
        )


def _safe(value: CellValue) -> CellValue:
    if isinstance(value, str):
        value = _ILLEGAL_XML.sub("", value)
        if value.startswith(FORMULA_START):
            return "'" + value
    return value


def _text(value: CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M") if value.tzinfo else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(_safe(value))


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[CellValue]]) -> bytes:
    """UTF-8 with a byte-order mark, so that spreadsheets read accents."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_text(h) for h in headers])
    for row in rows:
        writer.writerow([_text(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def sheet_name(title: str) -> str:
    """A worksheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    return _SHEET_NAME_FORBIDDEN.sub(" ", title).strip()[:31] or "Sheet"


def xlsx_bytes(title: str, headers: Sequence[str], rows: Iterable[Sequence[CellValue]]) -> bytes:
    """One sheet named after the list: bold headers, frozen, filterable; dates as dates. Written
    in openpyxl's streaming mode (the rows are read first, for the columns' widths)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    values: list[list[Any]] = []
    widths = [len(h) for h in headers]
    for row in rows:
        line: list[Any] = []
        for index, value in enumerate(row):
            if isinstance(value, datetime) and value.tzinfo is not None:
                value = value.astimezone(UTC).replace(tzinfo=None)
            line.append(_safe(value))
            widths[index] = max(widths[index], min(60, len(_text(value))))
        values.append(line)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name(title))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(60, max(8, width + 2))
    sheet.freeze_panes = "A2"
    last = f"{get_column_letter(max(1, len(headers)))}{len(values) + 1}"
    sheet.auto_filter.ref = f"A1:{last}"
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        header_cell = WriteOnlyCell(sheet, value=_safe(header))
        header_cell.font = bold
        header_cells.append(header_cell)
    sheet.append(header_cells)
    for line in values:
        sheet.append(line)
    workbook.properties.title = title
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
