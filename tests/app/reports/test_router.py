"""GET /api/v1/reports/annual on the known world of conftest.py: the figures, the same figures in
every format, what is never published, and the errors."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import datetime
from html.parser import HTMLParser
from typing import Any

import pytest
from openpyxl import load_workbook

from app.reports.labels import for_reading
from app.reports.schemas import Table
from tests.support.report_world import REPORT, SECRET, World
from tests.support.reports import sheet_of, table_keys

pytestmark = pytest.mark.dialects

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def rows(report: dict[str, Any], name: str) -> list[list[Any]]:
    return next(t["rows"] for t in report["tables"] if t["name"] == name)


def by_first(report: dict[str, Any], name: str) -> dict[Any, list[Any]]:
    return {row[0]: row[1:] for row in rows(report, name)}


# --- the figures ----------------------------------------------------------------------------


def test_key_figures_of_the_known_world(world: World) -> None:
    summary = dict(rows(world.report(), "summary"))
    assert summary == {
        "Recommendations in the repository at year end": 6,
        "Supported recommendations at year end": 4,
        "Assistance requests": 5,
        "Offers": 2,
        "Matches": 3,
        "Matches agreed in the year": 2,
        "Activities": 4,
        "Supported recommendations covered by a request or an activity": 2,
        "Share of supported recommendations covered (%)": 50.0,
        "Median days from request to agreed match": 2.0,
        "Themes with unmet demand": 1,
        "Possible duplication flags": 3,
        "Requests published with consent": 1,
        "Activities published with consent": 2,
    }


def test_recommendations_by_cycle_and_region(world: World) -> None:
    assert rows(world.report(), "recommendations") == [
        ["Africa", 4, 1, 1, 0, 0],
        ["Asia", 3, 3, 2, 1, 0],
        ["Europe", 4, 2, 1, 0, 1],
    ]


def test_coverage_of_supported_recommendations(world: World) -> None:
    assert rows(world.report(), "coverage") == [
        ["Africa", 1, 0, 0, 0, 0.0],
        ["Asia", 2, 2, 2, 2, 100.0],
        ["Europe", 1, 0, 0, 0, 0.0],
        ["All regions", 4, 2, 2, 2, 50.0],
    ]


def test_counts_by_status_region_theme_and_provider_type(world: World) -> None:
    report = world.report()
    status = {(kind, s): n for kind, s, n in rows(report, "by_status")}
    assert {k: n for k, n in status.items() if n} == {
        ("Assistance requests", "draft"): 2,
        ("Assistance requests", "open"): 1,
        ("Assistance requests", "matched"): 2,
        ("Offers", "active"): 2,
        ("Matches", "suggested"): 1,
        ("Matches", "agreed"): 2,
        ("Activities", "planned"): 2,
        ("Activities", "ongoing"): 1,
        ("Activities", "completed"): 1,
    }
    assert ("Assistance requests", "withdrawn") in status, "every status is listed, zero or not"
    regions = by_first(report, "by_region")
    assert regions["Asia"] == [2, 1, 2, 3]
    assert regions["Africa"] == [3, 1, 1, 1]
    assert regions["Europe"] == [0, 0, 0, 0]
    assert set(regions) == {"Africa", "Americas", "Asia", "Europe", "Oceania"}
    themes = by_first(report, "by_theme")
    assert themes["Prohibition of torture & ill-treatment"] == [2, 2, 2, 3]
    assert themes["Right to education"] == [3, 0, 1, 1]
    providers = by_first(report, "by_provider_type")
    assert providers["UN entity"] == [1, 2, 2]
    assert providers["Civil society organisation"] == [1, 1, 1]
    assert providers["(no provider named)"] == [0, 0, 1]


def test_time_to_agreement_unmet_demand_and_duplication(world: World) -> None:
    report = world.report()
    assert rows(report, "time_to_agreement") == [["Asia", 2, 2.0], ["All regions", 2, 2.0]]
    assert rows(report, "unmet_demand") == [
        ["Right to education", "Africa", 1, 1, 0],
        ["Right to education", "Europe", 1, 0, 1],
    ]
    assert rows(report, "duplication") == [["Asia", "Prohibition of torture & ill-treatment", 3]]
    # Of the three flags two involve no unpublished activity: a1 with m1's activity (published
    # because its request is) and a1 with the offer o1.
    assert rows(report, "duplication_details") == [
        [
            "Kazakhstan",
            "Prohibition of torture & ill-treatment",
            f"activity {world.ids['a_m1']} (UN entity A)",
            f"activity {world.ids['a1']} (CSO B)",
            None,
            None,
        ],
        [
            "Kazakhstan",
            "Prohibition of torture & ill-treatment",
            f"activity {world.ids['a1']} (CSO B)",
            f"offer {world.ids['o1']} (UN entity A)",
            None,
            None,
        ],
    ]


def test_narrative_states_the_figures(world: World) -> None:
    report = world.report()
    text = " ".join(report["narrative"])
    assert (
        f"At the end of {world.year} the repository held 6 UPR recommendations, 4 of them" in text
    )
    assert "5 assistance requests, 2 offers of technical cooperation, 3 matches and 4" in text
    assert "2 supported recommendations (50.0%)" in text
    assert "2 matches were agreed" in text
    assert "was 2.0 days" in text
    assert "Right to education (2 needs)" in text
    assert "3 possible duplications" in text
    assert (report["year"], report["period_start"], report["period_end"]) == (
        world.year,
        f"{world.year}-01-01",
        f"{world.year}-12-31",
    )


def test_the_year_counts_records_entered_in_it_or_whose_period_reaches_it(world: World) -> None:
    """old1 (entered last year, no period) is last year's only; old2's period reaches into this
    year, so it counts in both; this year's records are not in last year's report, nor are the
    recommendations entered this year in last year's stock."""
    last = world.report(world.year - 1)
    summary = dict(rows(last, "summary"))
    assert summary["Assistance requests"] == 2
    assert summary["Recommendations in the repository at year end"] == 0
    assert summary["Share of supported recommendations covered (%)"] is None
    assert summary["Median days from request to agreed match"] is None
    assert rows(last, "coverage") == [["All regions", 0, 0, 0, 0, None]]
    assert "No match was agreed" in " ".join(last["narrative"])
    assert dict(rows(world.report(), "summary"))["Assistance requests"] == 5


# --- the same figures in every format -----------------------------------------------------


def safe(value: Any) -> Any:
    """What a spreadsheet cell holds for a JSON value (text made inert if formula-like)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def as_xlsx(value: Any, share: bool) -> Any:
    """What a spreadsheet cell holds: dates as dates, shares as fractions (shown as %)."""
    if share and isinstance(value, int | float):
        return value / 100
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return datetime.fromisoformat(value)
    return safe(value)


def as_csv(value: Any) -> str:
    return "" if value is None else str(safe(value))


def as_html(value: Any) -> str:
    if value is None:
        return "\u2013"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return str(value)


class Tables(HTMLParser):
    """Every <table id="table-NAME"> of a page: NAME -> rows of cell texts (header first)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.current: list[list[str]] | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        ident = dict(attrs).get("id") or ""
        if tag == "table" and ident.startswith("table-"):
            self.current = self.tables.setdefault(ident.removeprefix("table-"), [])
        elif tag == "tr" and self.current is not None:
            self.current.append([])
        elif tag in ("td", "th") and self.current is not None:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None and self.current is not None:
            self.current[-1].append("".join(self.cell))
            self.cell = None
        elif tag == "table":
            self.current = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def test_json_csv_xlsx_and_html_carry_the_same_numbers(world: World) -> None:
    report = world.report()
    tables = report["tables"]
    assert len(tables) == 13

    archive = zipfile.ZipFile(io.BytesIO(world.get(format="csv").content))
    names = archive.namelist()
    assert names[0] == "README.txt"
    assert " ".join(report["narrative"]) in archive.read("README.txt").decode().replace("\n", " ")
    for index, table in enumerate(tables, start=1):
        member = f"{index:02d}-{table['name']}.csv"
        assert member in names
        text = archive.read(member).decode("utf-8-sig")
        found = list(csv.reader(io.StringIO(text)))
        assert found[0] == table["columns"]
        assert found[1:] == [[as_csv(v) for v in row] for row in table["rows"]], table["name"]

    # The formats people read name statuses ("In progress") where JSON and CSV hold the codes.
    readable = {t["name"]: for_reading(Table(**t)).model_dump() for t in tables}
    assert readable["by_status"]["rows"][0][:2] == ["Assistance requests", "Draft"]
    workbook = load_workbook(io.BytesIO(world.get(format="xlsx").content))
    assert table_keys(workbook) == [t["name"] for t in tables]
    for name, table in zip(workbook.sheetnames[1:], tables, strict=True):  # readable names
        assert len(name) <= 31
        assert table["title"].startswith(re.sub(r"…( \(\d+\))?$", "", name)), name
    for table in readable.values():
        sheet = list(sheet_of(workbook, table["name"]).iter_rows(values_only=True))
        assert list(sheet[0]) == table["columns"]
        shares = {i for i, c in enumerate(table["columns"]) if c.endswith("(%)")}
        expected = [
            [as_xlsx(v, share=i in shares) for i, v in enumerate(row)] for row in table["rows"]
        ]
        assert [list(r) for r in sheet[1:]] == expected, table["name"]

    page = world.get(format="html").text
    parser = Tables()
    parser.feed(page)
    for table in readable.values():
        if not table["rows"]:
            assert f'id="table-{table["name"]}"' in page
            continue
        found = parser.tables[table["name"]]
        assert found[0] == table["columns"]
        assert found[1:] == [[as_html(v) for v in row] for row in table["rows"]], table["name"]
    for sentence in report["narrative"]:
        assert sentence.replace("'", "&#39;") in page


def test_one_table_as_csv(world: World) -> None:
    response = world.get(format="csv", table="by_region")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert (
        response.headers["content-disposition"]
        == f'attachment; filename="annual-report-{world.year}-by_region.csv"'
    )
    found = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    report = world.report()
    assert found[1:] == [[as_csv(v) for v in row] for row in rows(report, "by_region")]


def test_html_is_self_contained_with_charts(world: World) -> None:
    response = world.get(format="html")
    page = response.text
    assert page.startswith("<!DOCTYPE html>")
    assert page.count("<svg") == 5
    assert page.count('<figure id="chart-') == 5
    for external in ("<script", "<link", "<img", "src=", 'href="http', "url(http", "@import"):
        assert external not in page, external


def test_pdf_is_a_pdf(world: World) -> None:
    response = world.get(format="pdf")
    assert response.status_code == 200, response.text
    assert response.content.startswith(b"%PDF-")
    assert response.content.rstrip().endswith(b"%%EOF")


@pytest.mark.parametrize(
    ("fmt", "media_type", "disposition"),
    [
        ("json", "application/json", 'inline; filename="annual-report-{y}.json"'),
        ("csv", "application/zip", 'attachment; filename="annual-report-{y}-csv.zip"'),
        ("xlsx", XLSX, 'attachment; filename="annual-report-{y}.xlsx"'),
        ("html", "text/html; charset=utf-8", 'inline; filename="annual-report-{y}.html"'),
        ("pdf", "application/pdf", 'attachment; filename="annual-report-{y}.pdf"'),
    ],
)
def test_content_types_and_file_names(
    world: World, fmt: str, media_type: str, disposition: str
) -> None:
    response = world.get(format=fmt)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == media_type
    assert response.headers["content-disposition"] == disposition.format(y=world.year)


# --- privacy --------------------------------------------------------------------------------


def test_unconsented_details_never_appear_in_any_format(world: World) -> None:
    report = world.report()
    assert [row[1] for row in rows(report, "published_requests")] == ["Published KAZ request"]
    assert [row[:4] for row in rows(report, "published_activities")] == [
        ["Kazakhstan", "Published KAZ request", "planned", "UN entity A"],
        ["Kazakhstan", "Published KAZ activity", "ongoing", "CSO B"],
    ]
    assert SECRET not in world.get(format="json").text
    archive = zipfile.ZipFile(io.BytesIO(world.get(format="csv").content))
    for name in archive.namelist():
        assert SECRET not in archive.read(name).decode("utf-8-sig"), name
    workbook = load_workbook(io.BytesIO(world.get(format="xlsx").content))
    for sheet in workbook:
        for row in sheet.iter_rows(values_only=True):
            assert not any(SECRET in str(v) for v in row if v is not None), sheet.title
    assert SECRET not in world.get(format="html").text
    # The PDF compresses its text: the HTML and it come from the same report object.


# --- access and errors ----------------------------------------------------------------------


def test_staff_only(world: World) -> None:
    url = f"{REPORT}?year={world.year}"
    assert world.client.get(url).status_code == 401
    assert world.client.get(url, headers=world.api.state("KAZ")).status_code == 403
    provider = world.api.provider(world.ids["un"])
    assert world.client.get(url, headers=provider).status_code == 403
    assert world.client.get(url, headers=world.api.headers("admin")).status_code == 200


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"year": 2007}, "year"),
        ({"year": "soon"}, "year"),
        ({"year": 9999}, "year"),
        ({"format": "docx"}, "format"),
        ({"format": "json", "table": "summary"}, "table"),
        ({"format": "csv", "table": "nonsense"}, "table"),
    ],
)
def test_bad_parameters_are_a_422_naming_the_field(
    world: World, params: dict[str, Any], field: str
) -> None:
    response = world.get(**params)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_a_year_not_yet_begun_is_refused(world: World) -> None:
    response = world.get(year=world.year + 1)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "year", "message": f"the year {world.year + 1} has not begun"}
    ]


def test_year_is_required(world: World) -> None:
    response = world.client.get(REPORT, headers=world.api.staff)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "year"
