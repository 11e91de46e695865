"""The annual report's PDF is a tagged PDF (PDF/UA-1): its structure tree has the headings,
paragraphs, tables with header cells and the charts as figures with an alternative text; its
language is the report's; its title is shown. Read back with pypdf from the API's answer, each
language rendered once for the module."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from tests.support.report_world import SECRET, World


@pytest.fixture(scope="module")
def pdfs(world: World) -> dict[str, PdfReader]:
    readers = {}
    for lang in ("en", "ar"):
        response = world.get(format="pdf", language=lang)
        assert response.status_code == 200, response.text
        readers[lang] = PdfReader(io.BytesIO(response.content))
    return readers


def elements(node: Any) -> Iterator[DictionaryObject]:
    """Every structure element under `node`, depth first (marked-content ids and object
    references to content are skipped)."""
    node = node.get_object()
    if isinstance(node, ArrayObject):
        for child in node:
            yield from elements(child)
    elif isinstance(node, DictionaryObject) and "/S" in node:
        yield node
        if "/K" in node:
            yield from elements(node["/K"])
    elif isinstance(node, DictionaryObject) and "/K" in node:  # the tree's root
        yield from elements(node["/K"])


def text_of(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def attribute(element: DictionaryObject, owner: str, key: str) -> Any:
    """An attribute of a structure element (/A holds one dictionary or an array of them)."""
    found = element.get("/A")
    found = found.get_object() if found is not None else ArrayObject()
    for entry in found if isinstance(found, ArrayObject) else [found]:
        entry = entry.get_object()
        if isinstance(entry, DictionaryObject) and entry.get("/O") == owner and key in entry:
            return entry[key]
    return None


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_pdf_is_tagged_in_the_reports_language(
    world: World, pdfs: dict[str, PdfReader], lang: str
) -> None:
    reader = pdfs[lang]
    report = world.get(format="json", language=lang).json()
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert catalog["/Lang"] == lang
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert reader.metadata is not None
    assert reader.metadata.title == report["title"]
    xmp = catalog["/Metadata"].get_object().get_data().decode()
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp, "declares PDF/UA-1"

    tree = list(elements(catalog["/StructTreeRoot"]))
    kinds = Counter(str(e["/S"]) for e in tree)
    assert kinds["/H1"] == 1
    # Summary, Charts, then one heading per table
    assert kinds["/H2"] == 2 + len(report["tables"])
    assert kinds["/P"] >= len(report["narrative"])
    assert kinds["/LI"] == len(report["scope"])
    with_rows = [t for t in report["tables"] if t["rows"]]
    assert kinds["/Table"] == len(with_rows)
    assert kinds["/TH"] == sum(len(t["columns"]) for t in with_rows)
    assert kinds["/TD"] == sum(len(t["columns"]) * len(t["rows"]) for t in with_rows)
    assert {attribute(e, "/Table", "/Scope") for e in tree if e["/S"] == "/TH"} == {"/Column"}
    assert all(attribute(e, "/Table", "/Headers") for e in tree if e["/S"] == "/TD")

    for page in reader.pages:  # the footer (title, page number) is an artifact, not content
        assert b"/Artifact<</Attached[/Bottom]/Subtype/Footer" in page.get_contents().get_data()

    figures = [e for e in tree if e["/S"] == "/Figure"]
    assert len(figures) == 5
    texts = [str(f["/Alt"]) for f in figures]
    chart_titles = {
        "en": "Assistance requests and activities by region",
        "ar": "طلبات المساعدة والأنشطة حسب المنطقة",
    }
    assert texts[0].startswith(chart_titles[lang])
    region = next(t for t in report["tables"] if t["name"] == "by_region")
    asia = next(row for row in region["rows"] if row[0] in ("Asia", "آسيا"))
    assert f"{asia[0]} {asia[1]}" in texts[0], "the alternative text gives the figures"


def test_the_pdf_reads_the_tables_labels_and_keeps_secrets(
    world: World, pdfs: dict[str, PdfReader]
) -> None:
    text = text_of(pdfs["en"])
    for label in ("Published KAZ request", "Published KAZ activity", "UN entity A", "Kazakhstan"):
        assert label in text
    # a table's row reads as a line; its status by name ("Ongoing"), not by code
    row = "Kazakhstan Published KAZ activity Ongoing CSO B"
    assert any(line.startswith(row) for line in text.splitlines()), text
    assert SECRET not in text

    arabic = "".join(c for c in text_of(pdfs["ar"]) if not c.isspace())
    assert "كازاخستان" in arabic
    assert "آسيا" in arabic
