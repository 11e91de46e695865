"""HTTP API tests for /api/v1/offers."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support.factories import ApiFactory

URL = "/api/v1/offers"


def _ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def _body(organization_id: int, **fields: Any) -> dict[str, Any]:
    return {"organization_id": organization_id, "title": "Training", "countries": ["KAZ"], **fields}


# --- create / get --------------------------------------------------------------------------


def test_create_echoes_fields_and_sets_etag(api: ApiFactory) -> None:
    org = api.organization(name="UNODC", acronym="UNODC")
    body = {
        "organization_id": org["id"],
        "title": "Training of prison staff on the Nelson Mandela Rules",
        "description": "Five-day course",
        "themes": ["torture"],
        "assistance_types": ["training"],
        "languages": ["ru"],
        "countries": ["kaz"],
        "regions": ["m49-143"],
        "is_global": False,
        "capacity": 3,
        "period_start": "2025-01-01",
        "period_end": "2025-12-31",
        "status": "active",
    }
    response = api.client.post(URL, json=body, headers=api.staff)
    assert response.status_code == 201, response.text
    data = response.json()
    assert data["organization"] == {"id": org["id"], "name": "UNODC", "type": "un_entity"}
    assert data["title"] == body["title"]
    assert data["description"] == "Five-day course"
    assert data["themes"] == ["torture"]
    assert data["assistance_types"] == ["training"]
    assert data["languages"] == ["ru"]
    assert data["countries"] == ["KAZ"]
    assert data["regions"] == ["m49-143"]
    assert data["is_global"] is False
    assert data["capacity"] == 3
    assert (data["period_start"], data["period_end"]) == ("2025-01-01", "2025-12-31")
    assert data["status"] == "active"
    assert data["version"] == 1
    assert response.headers["ETag"] == f'"{data["version"]}"'


def test_create_defaults(api: ApiFactory) -> None:
    org = api.organization()
    response = api.client.post(
        URL,
        json={"organization_id": org["id"], "title": "Anything", "is_global": True},
        headers=api.staff,
    )
    assert response.status_code == 201, response.text
    data = response.json()
    assert data["status"] == "active"
    assert data["capacity"] == 1
    assert data["description"] == ""
    assert data["countries"] == data["regions"] == data["themes"] == []
    assert data["is_global"] is True
    assert (data["period_start"], data["period_end"]) == (None, None)


def test_get_returns_record_with_etag(api: ApiFactory, client: TestClient) -> None:
    offer = api.offer()
    response = client.get(f"{URL}/{offer['id']}")
    assert response.status_code == 200
    assert response.json() == offer
    assert response.headers["ETag"] == '"1"'


def test_get_unknown_is_404(client: TestClient) -> None:
    assert client.get(f"{URL}/987654").status_code == 404


# --- validation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("themes", ["torture", "not-a-theme"]),
        ("assistance_types", ["teleportation"]),
        ("languages", ["en", "xx"]),
        ("countries", ["KAZ", "QQQ"]),
        ("regions", ["m49-999"]),
    ],
)
def test_unknown_codes_are_422_naming_field(
    api: ApiFactory, client: TestClient, field: str, value: list[str]
) -> None:
    org = api.organization()
    response = client.post(URL, json=_body(org["id"], **{field: value}), headers=api.staff)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == field
    assert client.get(URL, headers=api.staff).json()["total"] == 0


def test_period_end_before_start_is_422(api: ApiFactory, client: TestClient) -> None:
    org = api.organization()
    body = _body(org["id"], period_start="2025-06-01", period_end="2025-05-31")
    response = client.post(URL, json=body, headers=api.staff)
    assert response.status_code == 422
    assert client.get(URL, headers=api.staff).json()["total"] == 0


def test_same_day_period_is_fine(api: ApiFactory) -> None:
    offer = api.offer(period_start="2025-06-01", period_end="2025-06-01")
    assert offer["period_start"] == offer["period_end"] == "2025-06-01"


def test_patch_period_end_before_stored_start_is_422(api: ApiFactory) -> None:
    offer = api.offer(period_start="2025-06-01", period_end="2025-12-31")
    response = api.client.patch(
        f"{URL}/{offer['id']}",
        json={"period_end": "2025-01-01", "version": 1},
        headers=api.staff,
    )
    assert response.status_code == 422, response.text
    assert api.client.get(f"{URL}/{offer['id']}").json()["period_end"] == "2025-12-31"


def test_no_coverage_is_422(api: ApiFactory, client: TestClient) -> None:
    org = api.organization()
    body = {"organization_id": org["id"], "title": "Nowhere", "is_global": False}
    response = client.post(URL, json=body, headers=api.staff)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "countries"
    empty = {**body, "countries": [], "regions": []}
    assert client.post(URL, json=empty, headers=api.staff).status_code == 422
    assert client.get(URL, headers=api.staff).json()["total"] == 0


@pytest.mark.parametrize(
    "coverage", [{"countries": ["FRA"]}, {"regions": ["hrc-african"]}, {"is_global": True}]
)
def test_any_one_kind_of_coverage_is_enough(api: ApiFactory, coverage: dict[str, Any]) -> None:
    org = api.organization()
    response = api.client.post(
        URL,
        json={"organization_id": org["id"], "title": "Somewhere", **coverage},
        headers=api.staff,
    )
    assert response.status_code == 201, response.text


def test_patch_removing_all_coverage_is_422(api: ApiFactory) -> None:
    offer = api.offer(countries=["KAZ"])
    response = api.client.patch(
        f"{URL}/{offer['id']}", json={"countries": [], "version": 1}, headers=api.staff
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "countries"
    assert api.client.get(f"{URL}/{offer['id']}").json()["countries"] == ["KAZ"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("capacity", -1), ("capacity", 10_001), ("status", "open"), ("title", ""), ("x", 1)],
)
def test_invalid_values_are_422(api: ApiFactory, field: str, value: Any) -> None:
    org = api.organization()
    response = api.client.post(URL, json=_body(org["id"], **{field: value}), headers=api.staff)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field


def test_staff_must_name_an_existing_organization(api: ApiFactory) -> None:
    missing = api.client.post(URL, json={"title": "T", "is_global": True}, headers=api.staff)
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "organization_id"
    unknown = api.client.post(URL, json=_body(999999), headers=api.staff)
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "organization_id"


# --- providers -----------------------------------------------------------------------------


def test_provider_organization_taken_from_token(api: ApiFactory) -> None:
    org = api.organization()
    response = api.client.post(
        URL, json={"title": "Our offer", "is_global": True}, headers=api.provider(org["id"])
    )
    assert response.status_code == 201, response.text
    assert response.json()["organization"]["id"] == org["id"]


def test_provider_may_name_its_own_organization(api: ApiFactory) -> None:
    org = api.organization()
    response = api.client.post(URL, json=_body(org["id"]), headers=api.provider(org["id"]))
    assert response.status_code == 201
    assert response.json()["organization"]["id"] == org["id"]


def test_provider_may_not_create_for_another_organization(api: ApiFactory) -> None:
    own = api.organization()
    other = api.organization()
    response = api.client.post(URL, json=_body(other["id"]), headers=api.provider(own["id"]))
    assert response.status_code == 403
    assert api.client.get(URL, headers=api.staff).json()["total"] == 0


def test_state_and_anonymous_may_not_create(api: ApiFactory, client: TestClient) -> None:
    org = api.organization()
    assert client.post(URL, json=_body(org["id"]), headers=api.state("KAZ")).status_code == 403
    assert client.post(URL, json=_body(org["id"])).status_code == 401
    assert client.get(URL, headers=api.staff).json()["total"] == 0


def test_provider_edits_own_offers_only(api: ApiFactory) -> None:
    own = api.organization()
    other = api.organization()
    provider = api.provider(own["id"])
    mine = api.offer(own["id"])
    theirs = api.offer(other["id"])
    ok = api.client.patch(
        f"{URL}/{mine['id']}", json={"capacity": 5, "version": 1}, headers=provider
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["capacity"] == 5
    denied = api.client.patch(
        f"{URL}/{theirs['id']}", json={"capacity": 5, "version": 1}, headers=provider
    )
    assert denied.status_code == 403
    assert api.client.delete(f"{URL}/{theirs['id']}", headers=provider).status_code == 403
    assert api.client.get(f"{URL}/{theirs['id']}").json()["capacity"] == 1
    assert api.client.delete(f"{URL}/{mine['id']}", headers=provider).status_code == 204


def test_anonymous_and_state_writes_are_refused(api: ApiFactory, client: TestClient) -> None:
    offer = api.offer()
    assert client.patch(f"{URL}/{offer['id']}", json={"version": 1}).status_code == 401
    assert client.delete(f"{URL}/{offer['id']}").status_code == 401
    state = api.state("KAZ")
    assert (
        client.patch(f"{URL}/{offer['id']}", json={"version": 1}, headers=state).status_code == 403
    )
    assert client.delete(f"{URL}/{offer['id']}", headers=state).status_code == 403
    assert client.get(f"{URL}/{offer['id']}").status_code == 200


# --- visibility ----------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["draft", "paused", "closed"])
def test_unpublished_offers_are_hidden_from_public_and_other_providers(
    api: ApiFactory, client: TestClient, status: str
) -> None:
    own = api.organization()
    other = api.organization()
    hidden = api.offer(own["id"], status=status)
    active = api.offer(own["id"], status="active")
    own_provider = api.provider(own["id"])
    other_provider = api.provider(other["id"])
    state = api.state("KAZ")

    for headers in ({}, other_provider, state):
        assert client.get(f"{URL}/{hidden['id']}", headers=headers).status_code == 404
        assert client.get(f"{URL}/{active['id']}", headers=headers).status_code == 200
        listed = client.get(URL, headers=headers)
        assert _ids(listed) == [active["id"]]
        assert listed.json()["total"] == 1
        # filtering by the hidden status does not reveal it either
        assert _ids(client.get(URL, params={"status": status}, headers=headers)) == []

    for headers in (own_provider, api.staff, api.headers("admin")):
        got = client.get(f"{URL}/{hidden['id']}", headers=headers)
        assert got.status_code == 200
        assert got.json()["status"] == status
        assert _ids(client.get(URL, headers=headers)) == [hidden["id"], active["id"]]


def test_other_provider_cannot_edit_hidden_offer(api: ApiFactory) -> None:
    own = api.organization()
    other = api.organization()
    draft = api.offer(own["id"], status="draft")
    response = api.client.patch(
        f"{URL}/{draft['id']}",
        json={"status": "active", "version": 1},
        headers=api.provider(other["id"]),
    )
    assert response.status_code == 404
    assert api.client.get(f"{URL}/{draft['id']}", headers=api.staff).json()["status"] == "draft"


def test_publishing_a_draft_makes_it_public(api: ApiFactory, client: TestClient) -> None:
    org = api.organization()
    draft = api.offer(org["id"], status="draft")
    assert client.get(f"{URL}/{draft['id']}").status_code == 404
    response = client.patch(
        f"{URL}/{draft['id']}",
        json={"status": "active"},
        headers={**api.provider(org["id"]), "If-Match": '"1"'},
    )
    assert response.status_code == 200, response.text
    assert client.get(f"{URL}/{draft['id']}").json()["status"] == "active"
    assert _ids(client.get(URL)) == [draft["id"]]


# --- list, pagination, filters -------------------------------------------------------------


def test_list_paginates_in_id_order(api: ApiFactory, client: TestClient) -> None:
    org = api.organization()
    ids = [api.offer(org["id"])["id"] for _ in range(5)]
    page = client.get(URL, params={"limit": 2, "offset": 2}).json()
    assert (page["total"], page["limit"], page["offset"]) == (5, 2, 2)
    assert [o["id"] for o in page["items"]] == ids[2:4]
    assert _ids(client.get(URL, params={"limit": 2, "offset": 4})) == ids[4:]
    assert _ids(client.get(URL)) == ids
    assert client.get(URL, params={"limit": 0}).status_code == 422
    assert client.get(URL, params={"offset": -1}).status_code == 422


def test_filter_organization_id(api: ApiFactory, client: TestClient) -> None:
    a = api.organization()
    b = api.organization()
    wanted = api.offer(a["id"])
    api.offer(b["id"])
    response = client.get(URL, params={"organization_id": a["id"]})
    assert _ids(response) == [wanted["id"]]
    assert response.json()["total"] == 1


def test_filter_status(api: ApiFactory, client: TestClient) -> None:
    org = api.organization()
    paused = api.offer(org["id"], status="paused")
    active = api.offer(org["id"], status="active")
    api.offer(org["id"], status="draft")
    assert _ids(client.get(URL, params={"status": "paused"}, headers=api.staff)) == [paused["id"]]
    assert _ids(client.get(URL, params={"status": "active"}, headers=api.staff)) == [active["id"]]
    assert client.get(URL, params={"status": "open"}).status_code == 422


def test_filter_theme(api: ApiFactory, client: TestClient) -> None:
    wanted = api.offer(themes=["nhri", "torture"])
    api.offer(themes=["torture"])
    api.offer(themes=[])
    assert _ids(client.get(URL, params={"theme": "nhri"})) == [wanted["id"]]
    assert client.get(URL, params={"theme": "torture"}).json()["total"] == 2


def test_filter_assistance_type(api: ApiFactory, client: TestClient) -> None:
    wanted = api.offer(assistance_types=["legislative-review", "training"])
    api.offer(assistance_types=["training"])
    api.offer()
    assert _ids(client.get(URL, params={"assistance_type": "legislative-review"})) == [wanted["id"]]
    assert client.get(URL, params={"assistance_type": "training"}).json()["total"] == 2


def test_filter_language(api: ApiFactory, client: TestClient) -> None:
    wanted = api.offer(languages=["fr"])
    api.offer(languages=["ru", "en"])
    api.offer(languages=[])
    assert _ids(client.get(URL, params={"language": "fr"})) == [wanted["id"]]
    assert client.get(URL, params={"language": "en"}).json()["total"] == 1


def test_filter_country(api: ApiFactory, client: TestClient) -> None:
    wanted = api.offer(countries=["KGZ", "UZB"])
    api.offer(countries=["KAZ"])
    api.offer(countries=[], is_global=True)
    api.offer(countries=[], regions=["m49-143"])
    assert _ids(client.get(URL, params={"country": "kgz"})) == [wanted["id"]]
    assert _ids(client.get(URL, params={"country": "UZB"})) == [wanted["id"]]


def test_filter_region(api: ApiFactory, client: TestClient) -> None:
    wanted = api.offer(countries=[], regions=["m49-143", "ldc"])
    api.offer(countries=[], regions=["sids"])
    api.offer(countries=["KAZ"])
    assert _ids(client.get(URL, params={"region": "m49-143"})) == [wanted["id"]]
    assert _ids(client.get(URL, params={"region": "ldc"})) == [wanted["id"]]


@pytest.mark.dialects
def test_filter_q_in_title_or_description(api: ApiFactory, client: TestClient) -> None:
    by_title = api.offer(title="Drafting an NHRI law")
    by_description = api.offer(title="Advisory support", description="Support for the nhri")
    api.offer(title="Police training", description="Interviewing techniques")
    assert _ids(client.get(URL, params={"q": "NHRI"})) == [by_title["id"], by_description["id"]]
    assert _ids(client.get(URL, params={"q": "zzz"})) == []


@pytest.mark.dialects
def test_filters_combine(api: ApiFactory, client: TestClient) -> None:
    org = api.organization()
    wanted = api.offer(org["id"], themes=["nhri"], languages=["fr"])
    api.offer(org["id"], themes=["nhri"], languages=["en"])
    api.offer(themes=["nhri"], languages=["fr"])
    response = client.get(
        URL, params={"organization_id": org["id"], "theme": "nhri", "language": "fr"}
    )
    assert _ids(response) == [wanted["id"]]
    assert response.json()["total"] == 1


# --- update & delete -----------------------------------------------------------------------


def test_patch_with_if_match(api: ApiFactory) -> None:
    offer = api.offer()
    response = api.client.patch(
        f"{URL}/{offer['id']}",
        json={"title": "Renamed", "capacity": 4, "status": "paused"},
        headers={**api.staff, "If-Match": '"1"'},
    )
    assert response.status_code == 200, response.text
    data = response.json()
    assert (data["title"], data["capacity"], data["status"]) == ("Renamed", 4, "paused")
    assert data["countries"] == offer["countries"]
    assert data["languages"] == offer["languages"]
    assert data["version"] == 2
    assert response.headers["ETag"] == '"2"'
    again = api.client.get(f"{URL}/{offer['id']}", headers=api.staff)
    assert again.json()["title"] == "Renamed"
    assert again.headers["ETag"] == '"2"'


def test_patch_with_body_version(api: ApiFactory) -> None:
    offer = api.offer(period_start="2025-01-01", period_end="2025-03-01")
    response = api.client.patch(
        f"{URL}/{offer['id']}",
        json={"description": "Now longer", "period_end": None, "version": 1},
        headers=api.staff,
    )
    assert response.status_code == 200, response.text
    assert response.json()["description"] == "Now longer"
    assert response.json()["period_start"] == "2025-01-01"
    assert response.json()["period_end"] is None
    assert response.headers["ETag"] == '"2"'


def test_patch_coverage_lists_bumps_version(api: ApiFactory) -> None:
    offer = api.offer(countries=["KAZ"])
    response = api.client.patch(
        f"{URL}/{offer['id']}",
        json={"countries": ["UZB"], "regions": ["lldc"], "version": 1},
        headers=api.staff,
    )
    assert response.status_code == 200, response.text
    assert response.json()["countries"] == ["UZB"]
    assert response.json()["regions"] == ["lldc"]
    assert response.json()["version"] == 2


def test_stale_if_match_is_412(api: ApiFactory) -> None:
    offer = api.offer()
    api.client.patch(f"{URL}/{offer['id']}", json={"capacity": 2, "version": 1}, headers=api.staff)
    response = api.client.patch(
        f"{URL}/{offer['id']}", json={"capacity": 3}, headers={**api.staff, "If-Match": '"1"'}
    )
    assert response.status_code == 412
    assert api.client.get(f"{URL}/{offer['id']}").json()["capacity"] == 2


def test_stale_body_version_is_409(api: ApiFactory) -> None:
    offer = api.offer()
    api.client.patch(f"{URL}/{offer['id']}", json={"capacity": 2, "version": 1}, headers=api.staff)
    response = api.client.patch(
        f"{URL}/{offer['id']}", json={"capacity": 3, "version": 1}, headers=api.staff
    )
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "version"
    assert api.client.get(f"{URL}/{offer['id']}").json()["capacity"] == 2


def test_missing_version_is_428(api: ApiFactory) -> None:
    offer = api.offer()
    response = api.client.patch(f"{URL}/{offer['id']}", json={"capacity": 3}, headers=api.staff)
    assert response.status_code == 428
    assert api.client.get(f"{URL}/{offer['id']}").json()["capacity"] == 1


def test_unknown_codes_on_update_are_422(api: ApiFactory) -> None:
    offer = api.offer()
    for field in ("themes", "assistance_types", "languages", "countries", "regions"):
        code = "QQQ" if field == "countries" else "nope"
        response = api.client.patch(
            f"{URL}/{offer['id']}", json={field: [code], "version": 1}, headers=api.staff
        )
        assert response.status_code == 422, field
        assert response.json()["errors"][0]["field"] == field
    assert api.client.get(f"{URL}/{offer['id']}").json() == offer


def test_delete_then_404(api: ApiFactory, client: TestClient) -> None:
    offer = api.offer(assistance_types=["training"], regions=["sids"])
    keep = api.offer()
    response = client.delete(f"{URL}/{offer['id']}", headers=api.staff)
    assert response.status_code == 204
    assert response.content == b""
    assert client.get(f"{URL}/{offer['id']}", headers=api.staff).status_code == 404
    assert client.delete(f"{URL}/{offer['id']}", headers=api.staff).status_code == 404
    assert _ids(client.get(URL)) == [keep["id"]]


# --- capacity and the places held ----------------------------------------------------------


@pytest.mark.dialects
def test_capacity_below_the_places_held_is_409_naming_them(api: ApiFactory) -> None:
    org = api.organization()
    offer = api.offer(org["id"], capacity=3)
    for _ in range(2):
        match = api.match(api.request("KAZ", status="open")["id"], offer["id"])
        proposed = api.client.post(
            f"/api/v1/matches/{match['id']}/propose", json={"version": 1}, headers=api.staff
        )
        assert proposed.status_code == 200, proposed.text
    provider = api.provider(org["id"])
    url = f"{URL}/{offer['id']}"
    refused = api.client.patch(url, json={"capacity": 1, "version": 1}, headers=provider)
    assert refused.status_code == 409, refused.text
    problem = refused.json()
    assert "already holds 2 places" in problem["detail"]
    assert "cannot go below 2" in problem["detail"]
    assert problem["errors"][0]["field"] == "capacity"
    assert api.client.get(url, headers=provider).json()["capacity"] == 3
    lowered = api.client.patch(url, json={"capacity": 2, "version": 1}, headers=provider)
    assert lowered.status_code == 200, lowered.text
    assert lowered.json()["capacity"] == 2
