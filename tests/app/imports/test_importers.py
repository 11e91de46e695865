"""Importers through the command line (once as a user types it) and the staff upload, against a
migrated database."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support.cli import uprtc, uprtc_typed
from tests.support.factories import ApiFactory
from tests.support.imports import FIXTURES, UPR_INFO, uhri_rows, upr_info_slice, xlsx_bytes

pytestmark = pytest.mark.dialects


def recommendations(client: TestClient, **query: Any) -> dict[str, Any]:
    response = client.get("/api/v1/recommendations", params={"limit": 200, **query})
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def test_upr_info_import_maps_names_positions_and_issues(
    api: ApiFactory, db_url: str, tmp_path: Path
) -> None:
    path = upr_info_slice(tmp_path / "slice.csv", 300)
    result = uprtc_typed("import", "upr-info", path, db_url=db_url)
    assert result.returncode == 0, result.stderr
    assert "inserted 300, updated 0, unchanged 0, rejected 0" in result.stdout
    afghanistan = recommendations(api.client, state="AFG", limit=200)
    assert afghanistan["total"] > 50
    first = next(r for r in afghanistan["items"] if "forced marriages" in r["text"])
    assert first["position"] == "supported"
    assert first["recommending_states"] == ["AUT"]
    assert first["cycle"] == 1
    assert first["session"] == 5
    assert first["source"] == "upr_info"
    # "Rights of the Child | Women's rights", through the crosswalk
    assert first["themes"] == [
        "advancement-of-women",
        "children-general",
        "discrimination-against-women",
    ]
    noted = recommendations(api.client, state="AFG", position="noted")["total"]
    supported = recommendations(api.client, state="AFG", position="supported")["total"]
    assert noted + supported == afghanistan["total"]
    assert noted > 0


def test_reimport_changes_nothing_and_an_edit_in_the_source_updates(
    api: ApiFactory, db_url: str, tmp_path: Path
) -> None:
    path = upr_info_slice(tmp_path / "slice.csv", 120)
    assert uprtc("import", "upr-info", path, db_url=db_url).returncode == 0
    again = uprtc("import", "upr-info", path, db_url=db_url)
    assert "inserted 0, updated 0, unchanged 120, rejected 0" in again.stdout
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    rows[0]["response"] = "Noted"  # the State changed its position
    with path.open("w", encoding="utf-8", newline="") as target:
        writer = csv.DictWriter(target, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    third = uprtc("import", "upr-info", path, db_url=db_url)
    assert "inserted 0, updated 1, unchanged 119, rejected 0" in third.stdout
    assert recommendations(api.client)["total"] == 120


def test_bad_rows_are_reported_with_line_and_reason_and_good_rows_land(
    api: ApiFactory, db_url: str, tmp_path: Path
) -> None:
    template = next(csv.DictReader(UPR_INFO.open(encoding="utf-8")))
    bad = [
        {**template, "state_under_review": "Atlantis"},
        {**template, "response": "Maybe", "recommendation": "Other text 1"},
        {**template, "recommendation": "   "},
        {**template, "session": "twelve", "recommendation": "Other text 2"},
        {
            **template,
            "issues": "Astrology",
            "recommendation": "Adopt a law guaranteeing free and compulsory primary education "
            "for every child, including children with disabilities",
        },
    ]
    path = upr_info_slice(tmp_path / "mixed.csv", 10, bad)
    result = uprtc("import", "upr-info", path, db_url=db_url)
    assert result.returncode == 0
    assert "inserted 11, updated 0, unchanged 0, rejected 4" in result.stdout
    for expected in (
        "line 12: unknown state under review 'Atlantis'",
        "line 13: response must be Accepted or Noted, not 'Maybe'",
        "line 14: empty recommendation text",
        "line 15: session must be a number, not 'twelve'",
    ):
        assert expected in result.stderr
    # An unknown issue is a label, not a reason to refuse the row: reported, and dropped.
    assert "line 16" not in result.stderr
    assert "unknown issue 'Astrology': 1 row (line 16)" in result.stdout
    (astrology,) = recommendations(api.client, q="free and compulsory primary")["items"]
    # the tagger's themes and groups, as for any row without them: stored as suggestions
    assert "right-to-education" in astrology["themes"]
    assert "persons-with-disabilities" in astrology["groups"]
    assert {t["source"] for t in astrology["theme_tags"] + astrology["group_tags"]} == {"machine"}
    assert all(t["score"] and t["model_version"] for t in astrology["theme_tags"])
    assert recommendations(api.client)["total"] == 11


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Afghanistan,Asia\u00e9".encode("latin-1"), "is not UTF-8"),
        (b"state,text\nKAZ,hello\n", "missing columns"),
    ],
)
def test_unreadable_upr_info_file_is_refused_whole(
    api: ApiFactory, db_url: str, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.csv"
    good = upr_info_slice(tmp_path / "good.csv", 5).read_bytes()
    path.write_bytes(good + content if "UTF-8" in message else content)
    result = uprtc("import", "upr-info", path, db_url=db_url)
    assert result.returncode == 2
    assert message in result.stderr
    assert recommendations(api.client)["total"] == 0, "nothing half-written"


def test_uhri_json_import(api: ApiFactory, db_url: str) -> None:
    result = uprtc("import", "uhri", FIXTURES / "uhri_export.json", db_url=db_url)
    assert result.returncode == 0, result.stderr
    assert "inserted 7, updated 0, unchanged 0, rejected 1, skipped 1" in result.stdout
    assert "unknown theme 'Intergalactic relations': 1 row (line 7)" in result.stdout
    assert "unknown recommending state 'Atlantis'" in result.stderr
    _check_uhri_records(api.client)
    again = uprtc("import", "uhri", FIXTURES / "uhri_export.json", db_url=db_url)
    assert "inserted 0, updated 0, unchanged 7, rejected 1, skipped 1" in again.stdout


def test_uhri_rows_whose_body_says_universal_periodic_review_are_upr_recommendations(
    api: ApiFactory, db_url: str, tmp_path: Path
) -> None:
    # Exports word a UPR row as "Recommendations from the UPR" or as "Recommendation" with the
    # UPR as its recommending body; a treaty body's recommendation stays out.
    first = uhri_rows()[0]
    rows = [
        {**first, "OHCHR Annotation Id": "plain", "Type": "Recommendation",
         "Reccomending Body": "- Universal Periodic Review",
         "Themes": "- Internally displaced persons\n- Right to health - General"},
        {**first, "OHCHR Annotation Id": "tb", "Type": "Recommendations from Treaty Bodies",
         "Reccomending Body": "- CEDAW"},
    ]  # fmt: skip
    path = tmp_path / "export.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    result = uprtc("import", "uhri", path, db_url=db_url)
    assert "inserted 1, updated 0, unchanged 0, rejected 0, skipped 1" in result.stdout
    (stored,) = recommendations(api.client, source="uhri")["items"]
    assert stored["external_id"] == "plain"
    assert stored["themes"] == ["right-to-health"]  # an older wording of the theme
    assert "idps" in stored["groups"]  # an older theme that names a group of persons


def _check_uhri_records(client: TestClient) -> None:
    kaz = {r["paragraph"]: r for r in recommendations(client, state="KAZ")["items"]}
    assert set(kaz) == {"136.1", "136.2", "136.3"}
    opcat = kaz["136.1"]
    assert opcat["text"].startswith("Ratify the Optional Protocol")
    assert opcat["recommending_states"] == ["CHL", "DNK"]
    assert opcat["themes"] == ["ratification", "torture"]
    assert opcat["groups"] == ["persons-deprived-of-liberty"]
    assert opcat["sdgs"] == ["sdg-16"]
    assert opcat["cycle"] == 3
    assert opcat["document_symbol"] == "A/HRC/43/9"
    assert opcat["external_id"] == "a1b2c3d4-0001"
    assert kaz["136.2"]["themes"] == ["nhri"], "an older theme wording maps to the current one"
    assert kaz["136.3"]["position"] == "noted"
    assert kaz["136.3"]["recommending_states"] == ["BOL", "FRA"]
    kgz = {r["paragraph"]: r for r in recommendations(client, state="KGZ")["items"]}
    assert kgz["118.45"]["recommending_states"] == ["CIV", "SWE"]
    assert kgz["118.46"]["position"] == "pending"
    assert kgz["118.46"]["sdgs"] == ["sdg-4", "sdg-10"]
    uzb = {r["paragraph"]: r for r in recommendations(client, state="UZB")["items"]}
    assert set(uzb) == {"99.12", "99.14"}
    assert uzb["99.12"]["themes"] == ["governance-corruption"], "the unknown theme is dropped"


def test_uhri_xlsx_import_gives_the_same_records(
    api: ApiFactory, db_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "export.xlsx"
    path.write_bytes(xlsx_bytes(uhri_rows()))
    result = uprtc("import", "uhri", path, db_url=db_url)
    assert result.returncode == 0, result.stderr
    assert "inserted 7, updated 0, unchanged 0, rejected 1, skipped 1" in result.stdout
    assert "unknown theme 'Intergalactic relations': 1 row (line 8)" in result.stdout
    _check_uhri_records(api.client)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("truncated.json", b'[{"Text": "136.1 Ratify', "cannot be read as a whole"),
        ("not-xlsx.xlsx", b"PK\x03\x04 truncated", "not an XLSX file"),
    ],
)
def test_broken_uhri_files_are_refused_whole(
    api: ApiFactory, db_url: str, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    if name.endswith(".json"):
        whole = (FIXTURES / "uhri_export.json").read_bytes()
        content = whole[: len(whole) // 2]
    path.write_bytes(content)
    result = uprtc("import", "uhri", path, db_url=db_url)
    assert result.returncode == 2
    assert message in result.stderr
    assert recommendations(api.client)["total"] == 0


def test_staff_upload_through_the_api(api: ApiFactory, tmp_path: Path) -> None:
    path = upr_info_slice(tmp_path / "slice.csv", 40)
    files = {"file": ("slice.csv", path.read_bytes(), "text/csv")}
    url = "/api/v1/imports/upr-info"
    assert api.client.post(url, files=files).status_code == 401
    assert api.client.post(url, files=files, headers=api.state("KAZ")).status_code == 403
    response = api.client.post(url, files=files, headers=api.staff)
    assert response.status_code == 201, response.text
    run = response.json()
    assert (run["status"], run["inserted"], run["rejected"]) == ("completed", 40, 0)
    assert run["filename"] == "slice.csv"
    runs = api.client.get("/api/v1/imports", headers=api.staff).json()
    assert runs["items"][0]["id"] == run["id"]
    audit = api.client.get(
        "/api/v1/audit", params={"entity_type": "recommendation"}, headers=api.staff
    ).json()
    assert audit["items"][0]["action"] == "import"
    assert len(audit["items"][0]["after"]["external_ids"]) == 40


def test_upload_with_the_wrong_kind_of_file_is_422(api: ApiFactory) -> None:
    files = {"file": ("export.pdf", io.BytesIO(b"%PDF"), "application/pdf")}
    response = api.client.post("/api/v1/imports/uhri", files=files, headers=api.staff)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "file"


def test_report_text_import_gives_provisional_recommendations(api: ApiFactory, db_url: str) -> None:
    args = ("--state", "KAZ", "--session", "32", "--symbol", "A/HRC/41/9")
    path = FIXTURES / "report_en.txt"
    result = uprtc("import", "report-text", path, *args, db_url=db_url)
    assert result.returncode == 0, result.stderr
    first = recommendations(api.client, state="KAZ")
    assert first["total"] >= 8
    by_paragraph = {r["paragraph"]: r for r in first["items"]}
    opcat = by_paragraph["145.1"]
    assert opcat["position"] == "pending"
    assert opcat["recommending_states"] == ["CHL", "DNK"]
    assert opcat["text"].startswith("Consider ratifying the Optional Protocol")
    assert opcat["text"].endswith("(OPCAT)")
    assert opcat["document_symbol"] == "A/HRC/41/9"
    assert opcat["external_id"] == "A/HRC/41/9:145.1"
    assert opcat["cycle"] == 3
    assert by_paragraph["145.2"]["recommending_states"] == ["BOL", "FRA"]
    assert "implement the National Action Plan" in by_paragraph["145.5"]["text"]
    again = uprtc("import", "report-text", path, *args, db_url=db_url)
    assert f"inserted 0, updated 0, unchanged {first['total']}" in again.stdout


def test_report_text_upload_needs_the_state_session_and_symbol(api: ApiFactory) -> None:
    content = (FIXTURES / "report_fr.txt").read_bytes()
    files = {"file": ("report.txt", content, "text/plain")}
    url = "/api/v1/imports/report-text"
    missing = api.client.post(url, files=files, data={"state": "KGZ"}, headers=api.staff)
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "session"
    response = api.client.post(
        url,
        files=files,
        data={
            "state": "KGZ",
            "session": "35",
            "document_symbol": "A/HRC/44/9",
            "language": "fr",
            "position": "supported",
        },
        headers=api.staff,
    )
    assert response.status_code == 201, response.text
    assert response.json()["inserted"] >= 3
    items = recommendations(api.client, state="KGZ")["items"]
    assert {r["language"] for r in items} == {"fr"}
    assert {r["position"] for r in items} == {"supported"}


@pytest.mark.parametrize(("language", "first"), [("ar", "النظر في التصديق"), ("zh", "考虑批准")])
def test_a_report_text_in_arabic_or_chinese_is_imported(
    api: ApiFactory, language: str, first: str
) -> None:
    content = (FIXTURES / f"report_{language}.txt").read_bytes()
    response = api.client.post(
        "/api/v1/imports/report-text",
        files={"file": ("report.txt", content, "text/plain")},
        data={"state": "KGZ", "session": "46", "document_symbol": "A/HRC/55/16"},
        headers={**api.staff, "Accept-Language": "en"},
    )
    assert response.status_code == 201, response.text
    assert response.json()["inserted"] == 7
    items = {r["paragraph"]: r for r in recommendations(api.client, state="KGZ")["items"]}
    assert items["145.1"]["text"].startswith(first)
    assert items["145.1"]["recommending_states"] == ["DNK"]
    assert items["145.5b"]["external_id"] == "A/HRC/55/16:145.5b"
    assert {r["language"] for r in items.values()} == {language}  # read from the text


def test_report_text_with_an_unknown_state_is_422_and_leaves_no_run(
    api: ApiFactory, db_url: str
) -> None:
    content = (FIXTURES / "report_en.txt").read_bytes()
    form = {"state": "ZZZ", "session": "32", "document_symbol": "A/HRC/41/9"}
    response = api.client.post(
        "/api/v1/imports/report-text",
        files={"file": ("report.txt", content, "text/plain")},
        data=form,
        headers=api.staff,
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "state"
    assert "ZZZ" in response.json()["detail"]
    args = ("--state", "ZZZ", "--session", "32", "--symbol", "A/HRC/41/9")
    result = uprtc("import", "report-text", FIXTURES / "report_en.txt", *args, db_url=db_url)
    assert result.returncode == 2
    assert "unknown State 'ZZZ'" in result.stderr
    runs = api.client.get("/api/v1/imports", headers=api.staff).json()
    assert runs["total"] == 0
    assert recommendations(api.client)["total"] == 0


def test_recommendations_without_themes_are_tagged(
    api: ApiFactory, db_url: str, tmp_path: Path
) -> None:
    rows = json.loads((FIXTURES / "uhri_export.json").read_text(encoding="utf-8"))[:1]
    rows[0]["Themes"] = ""
    path = tmp_path / "untagged.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    result = uprtc("import", "uhri", path, db_url=db_url)
    assert "inserted 1," in result.stdout, result.stderr
    (record,) = recommendations(api.client, state="KAZ")["items"]
    assert "torture" in record["themes"], record["themes"]


def test_clustered_paragraphs_import_as_stable_recommendations(
    api: ApiFactory, db_url: str
) -> None:
    """Each member of a clustered paragraph is its own recommendation (145.17a, 145.17b, ...),
    under an external id that the next import of the same text finds again."""
    args = ("--state", "KAZ", "--session", "44", "--symbol", "A/HRC/55/16")
    path = FIXTURES / "report_clusters_en.txt"
    expected = json.loads((FIXTURES / "report_clusters_en.expected.json").read_text("utf-8"))
    result = uprtc("import", "report-text", path, *args, db_url=db_url)
    assert result.returncode == 0, result.stderr
    assert f"inserted {len(expected)}, updated 0, unchanged 0, rejected 0" in result.stdout
    members = [e for e in expected if e["paragraph"].startswith("145.17")]
    assert [e["paragraph"] for e in members] == ["145.17a", "145.17b", "145.17c"]
    stored = {r["external_id"]: r for r in recommendations(api.client, state="KAZ")["items"]}
    assert len(stored) == len(expected)
    member = stored["A/HRC/55/16:145.17b"]
    assert member["paragraph"] == "145.17b"
    assert member["text"] == members[1]["text"]
    assert member["recommending_states"] == sorted(members[1]["states"])
    again = uprtc("import", "report-text", path, *args, db_url=db_url)
    assert f"inserted 0, updated 0, unchanged {len(expected)}, rejected 0" in again.stdout
