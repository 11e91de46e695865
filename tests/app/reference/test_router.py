"""Reference data through the API: the decided counts, regions as first-class codes, coverage."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from matching.coverage import Coverage, covers
from tests.support.factories import ApiFactory


def _total(client: TestClient, path: str, **params: str) -> int:
    response = client.get(path, params={"limit": 1, **params})
    assert response.status_code == 200
    return int(response.json()["total"])


def _members(client: TestClient, code: str) -> list[str]:
    response = client.get(f"/api/v1/regions/{code}")
    assert response.status_code == 200
    return list(response.json()["member_iso3"])


def test_193_un_members_and_two_observers(client: TestClient) -> None:
    assert _total(client, "/api/v1/countries", un_status="member") == 193
    assert _total(client, "/api/v1/countries", un_status="observer") == 2
    assert _total(client, "/api/v1/countries") == 248


@pytest.mark.parametrize(
    ("code", "size"),
    [
        ("hrc-african", 54),
        ("hrc-asia-pacific", 54),
        ("hrc-eastern-european", 23),
        ("hrc-grulac", 33),
        ("hrc-weog", 29),
        ("ldc", 44),
        ("lldc", 32),
        ("sids", 53),
    ],
)
def test_group_sizes(client: TestClient, code: str, size: int) -> None:
    assert len(_members(client, code)) == size


def test_every_member_sits_in_exactly_one_regional_group(client: TestClient) -> None:
    groups = client.get("/api/v1/regions", params={"kind": "hrc_group"}).json()
    assert len(groups) == 5
    seen = [iso3 for group in groups for iso3 in group["member_iso3"]]
    assert len(seen) == len(set(seen)) == 193
    assert "TUR" in _members(client, "hrc-weog")
    assert "TUR" not in _members(client, "hrc-asia-pacific")
    assert "COD" in _members(client, "hrc-african")
    assert "VEN" in _members(client, "hrc-grulac")


def test_sids_members_among_un_members(client: TestClient) -> None:
    members = {
        c["iso3"]
        for c in client.get(
            "/api/v1/countries", params={"un_status": "member", "region": "sids", "limit": 200}
        ).json()["items"]
    }
    assert len(members) == 37
    assert "BHR" not in members, "Bahrain is not a SIDS (UNSD list)"
    assert "STP" not in _members(client, "ldc"), "Sao Tome and Principe graduated in 2024"


def test_region_kinds_and_hierarchy(client: TestClient) -> None:
    central_asia = client.get("/api/v1/regions/m49-143").json()
    assert central_asia["kind"] == "m49_subregion"
    assert central_asia["name"] == "Central Asia"
    assert central_asia["parent_code"] == "m49-142"
    assert central_asia["member_iso3"] == ["KAZ", "KGZ", "TJK", "TKM", "UZB"]
    kinds = {r["kind"] for r in client.get("/api/v1/regions").json()}
    assert kinds == {
        "m49_region",
        "m49_subregion",
        "m49_intermediate_region",
        "hrc_group",
        "un_group",
    }
    assert client.get("/api/v1/regions/m49-999").status_code == 404


def test_country_names_in_six_languages(client: TestClient) -> None:
    kaz = client.get("/api/v1/countries/kaz").json()
    assert kaz["name"] == "Kazakhstan"
    assert kaz["labels"]["ru"] == "Казахстан"
    assert set(kaz["labels"]) == {"en", "fr", "es", "ru", "zh", "ar"}
    assert {"m49-143", "hrc-asia-pacific", "lldc"} <= set(kaz["region_codes"])
    search = client.get("/api/v1/countries", params={"q": "Côte"}).json()["items"]
    assert [c["iso3"] for c in search] == ["CIV"]


def test_vocabularies(client: TestClient) -> None:
    assert len(client.get("/api/v1/themes").json()) == 84
    assert len(client.get("/api/v1/groups-of-persons").json()) == 24
    sdgs = client.get("/api/v1/sdg-goals").json()
    assert [s["code"] for s in sdgs] == [f"sdg-{n}" for n in range(1, 18)]
    assert set(sdgs[0]["labels"]) == {"en", "fr", "es", "ru", "zh", "ar"}
    types = {t["code"] for t in client.get("/api/v1/assistance-types").json()}
    assert {"legislative-review", "training", "nmirf-support", "peer-exchange"} <= types
    assert len(types) == 10
    assert {lang["code"] for lang in client.get("/api/v1/languages").json()} >= {
        "ar",
        "zh",
        "en",
        "fr",
        "ru",
        "es",
    }


def test_offers_covering_a_country_agree_with_the_matching_library(api: ApiFactory) -> None:
    """The SQL filter `?covers=` and matching.coverage.covers give the same answer."""
    shapes = [
        {"is_global": True},
        {"countries": ["KAZ"]},
        {"countries": ["FJI", "FRA"]},
        {"regions": ["m49-143"]},
        {"regions": ["sids"]},
        {"regions": ["hrc-weog", "ldc"]},
        {"regions": ["m49-002"], "countries": ["KAZ"]},
    ]
    org = api.organization()["id"]
    offers = [api.offer(org, **{"countries": [], **shape}) for shape in shapes]
    countries = api.client.get("/api/v1/countries", params={"limit": 200}).json()["items"]
    countries += api.client.get("/api/v1/countries", params={"limit": 200, "offset": 200}).json()[
        "items"
    ]
    memberships = {c["iso3"]: frozenset(c["region_codes"]) for c in countries}
    sample = ["KAZ", "FJI", "FRA", "NGA", "TUV", "USA", "BOL", "ABW", "ATA"]
    for iso3 in sample:
        found = {
            o["id"]
            for o in api.client.get("/api/v1/offers", params={"covers": iso3, "limit": 200}).json()[
                "items"
            ]
        }
        expected = {
            o["id"]
            for o in offers
            if covers(
                Coverage(o["is_global"], frozenset(o["countries"]), frozenset(o["regions"])),
                iso3,
                memberships,
            )
        }
        assert found == expected, iso3


def test_suggest_themes_across_languages(client: TestClient) -> None:
    response = client.post(
        "/api/v1/themes/suggest",
        json={
            "text": "Привести национальное правозащитное учреждение в соответствие с "
            "Парижскими принципами",
            "top_k": 3,
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert body["language"] == "ru"
    codes = [s["code"] for s in body["suggestions"]]
    assert "nhri" in codes
    nhri = next(s for s in body["suggestions"] if s["code"] == "nhri")
    assert nhri["label"] == "NHRI"
    assert nhri["selected"] is True
    scores = [s["score"] for s in body["suggestions"]]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 1 for s in scores)


def test_suggest_themes_needs_text(client: TestClient) -> None:
    response = client.post("/api/v1/themes/suggest", json={"text": ""})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "text"
