"""Importers fed hostile files: truncated, mis-encoded, malicious, oversized or garbage. Each is
refused with a message naming the file and the problem (the line or row where it can), the
same through `uprtc import` and through the staff upload (422
problem+json), and nothing is written: no recommendation, no half-done run."""

from __future__ import annotations

import codecs
import io
import json
import random
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.support.cli import uprtc
from tests.support.factories import ApiFactory
from tests.support.imports import FIXTURES, uhri_rows, upr_info_slice, xlsx_bytes

SOURCE_OF = {".csv": "upr-info", ".json": "uhri", ".xlsx": "uhri", ".txt": "report-text"}
REPORT_ARGS = ("--state", "KAZ", "--session", "32", "--symbol", "A/HRC/41/9")
REPORT_FORM = {"state": "KAZ", "session": "32", "document_symbol": "A/HRC/41/9"}


def counts(db_url: str) -> tuple[int, list[tuple[str, str | None]]]:
    """Rows in the recommendations table, and (status, message) of every import run."""
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            total = conn.execute(text("SELECT count(*) FROM recommendations")).scalar_one()
            runs = conn.execute(text("SELECT status, message FROM import_runs")).all()
    finally:
        engine.dispose()
    return int(total), [(str(s), m) for s, m in runs]


def replace_member(xlsx: bytes, name: str, content: bytes) -> bytes:
    """The workbook with one XML part replaced (to plant an entity declaration)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = content if info.filename == name else source.read(info)
            target.writestr(info.filename, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def sheet_with_entity(xlsx: bytes, doctype: str, entity: str) -> bytes:
    """The workbook with a DTD in its sheet and the entity used in the first cell."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source:
        sheet = source.read("xl/worksheets/sheet1.xml").decode()
    sheet = sheet.replace("<t>", f"<t>&{entity};", 1)
    content = f'<?xml version="1.0"?>{doctype}{sheet}'.encode()
    return replace_member(xlsx, "xl/worksheets/sheet1.xml", content)


BILLION_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol0 "lol">'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    + "]>"
)
EXTERNAL_ENTITY = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def zip_bomb(tmp: Path) -> bytes:
    """A real workbook plus a 300 MB member of zeros (about 300 kB packed): a disguised bomb."""
    path = tmp / "bomb.xlsx"
    path.write_bytes(xlsx_bytes(uhri_rows()))
    block = b"\0" * (1 << 20)
    with (
        zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/media/padding.xml", "w", force_zip64=True) as member,
    ):
        for _ in range(300):
            member.write(block)
    return path.read_bytes()


def csv_cut_mid_row(tmp: Path) -> bytes:
    whole = upr_info_slice(tmp / "whole.csv", 6).read_bytes()
    return whole[:-12]  # the last row loses its last columns


def csv_cut_mid_quote(tmp: Path) -> bytes:
    whole = upr_info_slice(tmp / "whole.csv", 6).read_bytes()
    last_quote = whole.rindex(b',"')
    return whole[: last_quote + 15]


def truncated_xlsx(_tmp: Path) -> bytes:
    whole = xlsx_bytes(uhri_rows())
    return whole[: len(whole) * 2 // 3]


def garbage(_tmp: Path) -> bytes:
    return random.Random(54).randbytes(20_000)


def csv_in(encoding: str) -> Callable[[Path], bytes]:
    def make(tmp: Path) -> bytes:
        content = upr_info_slice(tmp / "good.csv", 5).read_text(encoding="utf-8")
        return (content + "Côte d'Ivoire,Africa,,Réforme\n").encode(encoding)

    return make


def json_in(encoding: str) -> Callable[[Path], bytes]:
    def make(_tmp: Path) -> bytes:
        rows = uhri_rows()
        rows[0]["Text"] += " (Réforme)"
        return json.dumps(rows, ensure_ascii=False).encode(encoding)

    return make


def long_csv_field(tmp: Path) -> bytes:
    good = upr_info_slice(tmp / "good.csv", 3).read_text(encoding="utf-8")
    return (good + 'Kazakhstan,Asia,,"' + "x" * 200_000 + '",Denmark,,,Accepted,,,7,1\r\n').encode()


CASES: dict[str, tuple[str, Callable[[Path], bytes], str]] = {
    # name: (file name, content, what the message says)
    "csv cut mid-row": ("cut.csv", csv_cut_mid_row, "line 7: the last row has"),
    "csv cut mid-quote": ("cut.csv", csv_cut_mid_quote, "ends inside a quoted field"),
    "json cut mid-document": (
        "cut.json",
        lambda _t: (FIXTURES / "uhri_export.json").read_bytes()[:1500],
        "the file ends mid-document, it looks truncated",
    ),
    "xlsx truncated zip": ("cut.xlsx", truncated_xlsx, "not an XLSX file (truncated"),
    "csv in latin-1": ("latin1.csv", csv_in("latin-1"), "is not UTF-8 text (line 7, byte"),
    "csv in utf-16": ("utf16.csv", csv_in("utf-16"), "is not UTF-8 text (it is UTF-16 text)"),
    "json in latin-1": ("latin1.json", json_in("latin-1"), "the file is not UTF-8 text"),
    "json in utf-16": ("utf16.json", json_in("utf-16"), "is not UTF-8 text (it is UTF-16 text)"),
    "report text in latin-1": (
        "report.txt",
        lambda _t: "145.1 Réformer la loi (France);\n".encode("latin-1"),
        "is not UTF-8 text (line 1, byte 8)",
    ),
    "json not an array": ("object.json", lambda _t: b'{"Text": "x"}', "expected a JSON array"),
    "zip bomb as xlsx": ("bomb.xlsx", zip_bomb, "(a zip bomb?)"),
    "xlsx billion laughs": (
        "laughs.xlsx",
        lambda _t: sheet_with_entity(xlsx_bytes(uhri_rows()), BILLION_LAUGHS, "lol9"),
        "declares XML entities or a DTD",
    ),
    "xlsx external entity": (
        "xxe.xlsx",
        lambda _t: sheet_with_entity(xlsx_bytes(uhri_rows()), EXTERNAL_ENTITY, "xxe"),
        "declares XML entities or a DTD",
    ),
    "csv field of 200,000 characters": (
        "long.csv",
        long_csv_field,
        "line 5: field larger than field limit",
    ),
    "garbage as csv": ("garbage.csv", garbage, "is not UTF-8 text (line 1, byte"),
    "garbage as json": ("garbage.json", garbage, "not valid JSON"),
    "garbage as xlsx": ("garbage.xlsx", garbage, "not an XLSX file"),
    "garbage as txt": ("garbage.txt", garbage, "is not UTF-8 text (line 1"),
    "empty csv": ("empty.csv", lambda _t: b"", "the file is empty"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_file_is_refused_whole_by_the_command_line(
    db_url: str, tmp_path: Path, case: str
) -> None:
    name, make, message = CASES[case]
    path = tmp_path / name
    path.write_bytes(make(tmp_path))
    source = SOURCE_OF[path.suffix]
    extra = REPORT_ARGS if source == "report-text" else ()
    result = uprtc("import", source, path, *extra, db_url=db_url)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert message in result.stderr, result.stderr
    assert name in result.stderr, "the message names the file"
    assert "Traceback" not in result.stderr
    assert counts(db_url) == (0, []), "nothing written, no run left behind"


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_file_is_refused_whole_by_the_upload(
    api: ApiFactory, db_url: str, tmp_path: Path, case: str
) -> None:
    name, make, message = CASES[case]
    content = make(tmp_path)
    source = SOURCE_OF[Path(name).suffix]
    form = REPORT_FORM if source == "report-text" else {}
    response = api.client.post(
        f"/api/v1/imports/{source}",
        files={"file": (name, content, "application/octet-stream")},
        data=form,
        headers=api.staff,
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 422
    assert message in problem["detail"]
    assert problem["errors"][0]["field"] == "file"
    assert counts(db_url) == (0, [])


def test_a_byte_order_mark_is_fine(api: ApiFactory, db_url: str, tmp_path: Path) -> None:
    csv_path = tmp_path / "bom.csv"
    csv_path.write_bytes(codecs.BOM_UTF8 + upr_info_slice(tmp_path / "good.csv", 5).read_bytes())
    result = uprtc("import", "upr-info", csv_path, db_url=db_url)
    assert result.returncode == 0, result.stderr
    assert "inserted 5, updated 0, unchanged 0, rejected 0" in result.stdout
    content = codecs.BOM_UTF8 + (FIXTURES / "uhri_export.json").read_bytes()
    response = api.client.post(
        "/api/v1/imports/uhri",
        files={"file": ("bom.json", content, "application/json")},
        headers=api.staff,
    )
    assert response.status_code == 201, response.text
    assert (response.json()["inserted"], response.json()["rejected"]) == (7, 1)


def test_values_the_database_cannot_hold_are_rejected_row_by_row(
    api: ApiFactory, db_url: str, tmp_path: Path
) -> None:
    """Too long for their column (PostgreSQL would refuse them midway through the import) or
    holding NUL: those rows are rejected with their line, the others land, the run completes."""
    rows = uhri_rows()
    rows[0]["Text"] = "136.1 " + "Ratify " * 5000  # 34,999 characters once stripped
    rows[1]["Document Symbol"] = "A/HRC/43/" + "9" * 100
    rows[2]["Text"] = "136.3 Abolish the death penalty\u0000 for all crimes"
    path = tmp_path / "values.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    result = uprtc("import", "uhri", path, db_url=db_url)
    assert result.returncode == 0, result.stderr
    assert "inserted 4, updated 0, unchanged 0, rejected 4, skipped 1" in result.stdout
    assert "line 1: text is 34,999 characters long; at most 20,000 are allowed" in result.stderr
    assert "line 2: document_symbol is 109 characters long; at most 60" in result.stderr
    assert "line 3: text holds the control character '\\x00'" in result.stderr
    total, runs = counts(db_url)
    assert (total, runs) == (4, [("completed", None)])


def test_formula_cells_are_stored_verbatim(api: ApiFactory, db_url: str, tmp_path: Path) -> None:
    """A cell starting with = + - @ is text to this repository: stored as it came (the CSV and
    XLSX exports neutralise such cells, tests/app/reports/test_render.py)."""
    good = upr_info_slice(tmp_path / "good.csv", 1).read_text(encoding="utf-8")
    header, first = good.splitlines()[:2]
    texts = [
        '=HYPERLINK("http://example.invalid","Click")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A9)",
    ]
    lines = [first] + [
        f'Kazakhstan,Asia,,"{t.replace(chr(34), chr(34) * 2)}",Denmark,WEOG,EU,Accepted,4,'
        f"Justice,7,1"
        for t in texts
    ]
    path = tmp_path / "formulas.csv"
    path.write_text("\r\n".join([header, *lines]) + "\r\n", encoding="utf-8")
    result = uprtc("import", "upr-info", path, db_url=db_url)
    assert result.returncode == 0, result.stderr
    assert "inserted 5, updated 0, unchanged 0, rejected 0" in result.stdout
    stored = api.client.get("/api/v1/recommendations", params={"state": "KAZ", "limit": 50}).json()[
        "items"
    ]
    assert sorted(r["text"] for r in stored) == sorted(texts)


def test_the_upload_is_bounded_by_the_upload_limit(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file over UPRTC_MAX_UPLOAD_BYTES is refused (413) before the importer sees it."""
    from fastapi.testclient import TestClient

    from app.config import Settings
    from app.main import create_app

    monkeypatch.setenv("UPRTC_MAX_UPLOAD_BYTES", "10000")
    settings = Settings(database_url=db_url, environment="test")
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        api = ApiFactory(client, settings)
        try:
            content = (FIXTURES / "uhri_export.json").read_bytes() * 3
            response = client.post(
                "/api/v1/imports/uhri",
                files={"file": ("big.json", content, "application/json")},
                headers=api.staff,
            )
        finally:
            api.close()
    assert response.status_code == 413
    assert "UPRTC_MAX_UPLOAD_BYTES" in response.json()["detail"]
    assert counts(db_url) == (0, [])
