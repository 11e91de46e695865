"""HTTP API tests for /api/v1/organizations."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support.factories import ApiFactory

URL = "/api/v1/organizations"


def _names(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["name"] for item in response.json()["items"]]


# --- create / get --------------------------------------------------------------------------


def test_create_echoes_fields_and_sets_etag(api: ApiFactory) -> None:
    body = {
        "name": "Office of the High Commissioner for Human Rights",
        "acronym": "OHCHR",
        "type": "un_entity",
        "country": "che",
        "website": "https://www.ohchr.org",
        "description": "UN human rights office",
    }
    response = api.client.post(URL, json=body, headers=api.staff)
    assert response.status_code == 201, response.text
    data = response.json()
    assert data["name"] == body["name"]
    assert data["acronym"] == "OHCHR"
    assert data["type"] == "un_entity"
    assert data["country"] == "CHE"
    assert data["website"] == "https://www.ohchr.org"
    assert data["description"] == "UN human rights office"
    assert data["is_demo"] is False
    assert data["version"] == 1
    assert isinstance(data["id"], int)
    assert data["created_at"]
    assert data["updated_at"]
    assert response.headers["ETag"] == f'"{data["version"]}"'


def test_create_minimal_fields_defaults_to_nulls(api: ApiFactory) -> None:
    response = api.client.post(URL, json={"name": "Amnesty", "type": "cso"}, headers=api.staff)
    assert response.status_code == 201, response.text
    data = response.json()
    assert (data["acronym"], data["country"], data["website"], data["description"]) == (
        None,
        None,
        None,
        None,
    )


def test_admin_may_create(api: ApiFactory) -> None:
    response = api.client.post(
        URL, json={"name": "UNDP", "type": "un_entity"}, headers=api.headers("admin")
    )
    assert response.status_code == 201
    assert response.json()["name"] == "UNDP"


def test_get_returns_record_with_etag(api: ApiFactory, client: TestClient) -> None:
    created = api.organization(acronym="UNICEF", country="FRA")
    response = client.get(f"{URL}/{created['id']}")
    assert response.status_code == 200
    assert response.json() == created
    assert response.headers["ETag"] == '"1"'


def test_get_unknown_is_404(client: TestClient) -> None:
    response = client.get(f"{URL}/999999")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_duplicate_name_is_409(api: ApiFactory) -> None:
    api.organization(name="UN Women")
    response = api.client.post(URL, json={"name": "UN Women", "type": "cso"}, headers=api.staff)
    assert response.status_code == 409
    listed = api.client.get(URL, params={"q": "UN Women"}).json()
    assert listed["total"] == 1


# --- validation ----------------------------------------------------------------------------


def test_unknown_country_is_422_naming_field(api: ApiFactory) -> None:
    response = api.client.post(
        URL, json={"name": "X", "type": "cso", "country": "XXX"}, headers=api.staff
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "country"
    assert api.client.get(URL).json()["total"] == 0


def test_malformed_country_is_422(api: ApiFactory) -> None:
    response = api.client.post(
        URL, json={"name": "X", "type": "cso", "country": "FR"}, headers=api.staff
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "country"


def test_unknown_type_is_422(api: ApiFactory) -> None:
    response = api.client.post(URL, json={"name": "X", "type": "club"}, headers=api.staff)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "type"


def test_bad_website_is_422(api: ApiFactory) -> None:
    response = api.client.post(
        URL, json={"name": "X", "type": "cso", "website": "ftp://x"}, headers=api.staff
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "website"


def test_missing_and_blank_name_are_422(api: ApiFactory) -> None:
    missing = api.client.post(URL, json={"type": "cso"}, headers=api.staff)
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "name"
    blank = api.client.post(URL, json={"name": "   ", "type": "cso"}, headers=api.staff)
    assert blank.status_code == 422
    assert blank.json()["errors"][0]["field"] == "name"


def test_unknown_country_on_update_is_422(api: ApiFactory) -> None:
    org = api.organization()
    response = api.client.patch(
        f"{URL}/{org['id']}", json={"country": "ZZZ", "version": 1}, headers=api.staff
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "country"
    assert api.client.get(f"{URL}/{org['id']}").json()["country"] is None


# --- list, pagination, filters -------------------------------------------------------------


def test_list_paginates_in_name_order(api: ApiFactory, client: TestClient) -> None:
    for name in ("Delta", "Alpha", "Echo", "Charlie", "Bravo"):
        api.organization(name=name)
    first = client.get(URL, params={"limit": 2})
    assert first.status_code == 200
    page = first.json()
    assert (page["total"], page["limit"], page["offset"]) == (5, 2, 0)
    assert [o["name"] for o in page["items"]] == ["Alpha", "Bravo"]
    second = client.get(URL, params={"limit": 2, "offset": 2}).json()
    assert [o["name"] for o in second["items"]] == ["Charlie", "Delta"]
    assert (second["total"], second["offset"]) == (5, 2)
    last = client.get(URL, params={"limit": 2, "offset": 4}).json()
    assert [o["name"] for o in last["items"]] == ["Echo"]
    beyond = client.get(URL, params={"offset": 50}).json()
    assert beyond["items"] == []
    assert beyond["total"] == 5
    default = client.get(URL).json()
    assert (default["limit"], default["offset"], len(default["items"])) == (50, 0, 5)


def test_list_rejects_bad_pagination(client: TestClient) -> None:
    for params in ({"limit": 0}, {"limit": 201}, {"offset": -1}, {"limit": "many"}):
        response = client.get(URL, params=params)
        assert response.status_code == 422, params
        assert response.json()["errors"][0]["field"] in {"limit", "offset"}


@pytest.mark.dialects
def test_filter_q_matches_name_or_acronym_case_insensitively(
    api: ApiFactory, client: TestClient
) -> None:
    api.organization(name="United Nations Development Programme", acronym="UNDP")
    api.organization(name="Danish Institute for Human Rights", acronym="DIHR")
    api.organization(name="Council of Europe", acronym="CoE")
    assert _names(client.get(URL, params={"q": "undp"})) == ["United Nations Development Programme"]
    assert _names(client.get(URL, params={"q": "human RIGHTS"})) == [
        "Danish Institute for Human Rights"
    ]
    assert _names(client.get(URL, params={"q": "nothing-like-this"})) == []


def test_filter_type(api: ApiFactory, client: TestClient) -> None:
    api.organization(name="A NHRI", type="nhri")
    api.organization(name="B CSO", type="cso")
    api.organization(name="C NHRI", type="nhri")
    response = client.get(URL, params={"type": "nhri"})
    assert _names(response) == ["A NHRI", "C NHRI"]
    assert response.json()["total"] == 2
    assert client.get(URL, params={"type": "bogus"}).status_code == 422


@pytest.mark.dialects
def test_filter_country_is_case_insensitive(api: ApiFactory, client: TestClient) -> None:
    api.organization(name="Kazakh NHRI", country="KAZ")
    api.organization(name="French NHRI", country="FRA")
    api.organization(name="Stateless body")
    assert _names(client.get(URL, params={"country": "kaz"})) == ["Kazakh NHRI"]
    assert _names(client.get(URL, params={"country": "FRA"})) == ["French NHRI"]


@pytest.mark.dialects
def test_filters_combine(api: ApiFactory, client: TestClient) -> None:
    api.organization(name="Kazakh NHRI", type="nhri", country="KAZ")
    api.organization(name="Kazakh CSO", type="cso", country="KAZ")
    api.organization(name="French NHRI", type="nhri", country="FRA")
    response = client.get(URL, params={"type": "nhri", "country": "KAZ", "q": "Kazakh"})
    assert _names(response) == ["Kazakh NHRI"]
    assert response.json()["total"] == 1


# --- update --------------------------------------------------------------------------------


def test_patch_with_if_match(api: ApiFactory) -> None:
    org = api.organization(acronym="OLD")
    response = api.client.patch(
        f"{URL}/{org['id']}",
        json={"acronym": "NEW", "description": "Updated"},
        headers={**api.staff, "If-Match": '"1"'},
    )
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["acronym"] == "NEW"
    assert data["description"] == "Updated"
    assert data["name"] == org["name"]
    assert data["version"] == 2
    assert response.headers["ETag"] == '"2"'
    again = api.client.get(f"{URL}/{org['id']}")
    assert again.json()["acronym"] == "NEW"
    assert again.headers["ETag"] == '"2"'


def test_patch_with_body_version(api: ApiFactory) -> None:
    org = api.organization(type="cso")
    response = api.client.patch(
        f"{URL}/{org['id']}",
        json={"type": "academic", "country": "DNK", "version": 1},
        headers=api.staff,
    )
    assert response.status_code == 200, response.text
    assert response.json()["type"] == "academic"
    assert response.json()["country"] == "DNK"
    assert response.json()["version"] == 2
    assert response.headers["ETag"] == '"2"'


def test_patch_null_name_is_ignored_and_null_country_clears(api: ApiFactory) -> None:
    org = api.organization(country="FRA")
    response = api.client.patch(
        f"{URL}/{org['id']}",
        json={"name": None, "country": None, "version": 1},
        headers=api.staff,
    )
    assert response.status_code == 200, response.text
    assert response.json()["name"] == org["name"]
    assert response.json()["country"] is None


def test_stale_if_match_is_412(api: ApiFactory) -> None:
    org = api.organization()
    api.client.patch(f"{URL}/{org['id']}", json={"acronym": "A", "version": 1}, headers=api.staff)
    response = api.client.patch(
        f"{URL}/{org['id']}", json={"acronym": "B"}, headers={**api.staff, "If-Match": '"1"'}
    )
    assert response.status_code == 412
    assert api.client.get(f"{URL}/{org['id']}").json()["acronym"] == "A"


def test_stale_body_version_is_409(api: ApiFactory) -> None:
    org = api.organization()
    api.client.patch(f"{URL}/{org['id']}", json={"acronym": "A", "version": 1}, headers=api.staff)
    response = api.client.patch(
        f"{URL}/{org['id']}", json={"acronym": "B", "version": 1}, headers=api.staff
    )
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "version"
    assert api.client.get(f"{URL}/{org['id']}").json()["acronym"] == "A"


def test_missing_version_is_428(api: ApiFactory) -> None:
    org = api.organization()
    response = api.client.patch(f"{URL}/{org['id']}", json={"acronym": "B"}, headers=api.staff)
    assert response.status_code == 428
    assert response.json()["errors"][0]["field"] == "version"
    assert api.client.get(f"{URL}/{org['id']}").json()["acronym"] is None


def test_patch_unknown_is_404(api: ApiFactory) -> None:
    response = api.client.patch(f"{URL}/999999", json={"version": 1}, headers=api.staff)
    assert response.status_code == 404


# --- permissions ---------------------------------------------------------------------------


def test_provider_may_patch_own_organization_only(api: ApiFactory) -> None:
    own = api.organization()
    other = api.organization()
    provider = api.provider(own["id"])
    ok = api.client.patch(
        f"{URL}/{own['id']}",
        json={"website": "https://own.example", "version": 1},
        headers=provider,
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["website"] == "https://own.example"
    denied = api.client.patch(
        f"{URL}/{other['id']}",
        json={"website": "https://x.example", "version": 1},
        headers=provider,
    )
    assert denied.status_code == 403
    assert api.client.get(f"{URL}/{other['id']}").json()["website"] is None


def test_state_may_not_patch_organization(api: ApiFactory) -> None:
    org = api.organization()
    response = api.client.patch(
        f"{URL}/{org['id']}", json={"acronym": "X", "version": 1}, headers=api.state("KAZ")
    )
    assert response.status_code == 403


def test_only_staff_create(api: ApiFactory) -> None:
    org = api.organization()
    body = {"name": "Someone", "type": "cso"}
    assert api.client.post(URL, json=body, headers=api.provider(org["id"])).status_code == 403
    assert api.client.post(URL, json=body, headers=api.state("KAZ")).status_code == 403
    assert api.client.get(URL, params={"q": "Someone"}).json()["total"] == 0


def test_anonymous_writes_are_401(api: ApiFactory, client: TestClient) -> None:
    org = api.organization()
    created = client.post(URL, json={"name": "Anon", "type": "cso"})
    assert created.status_code == 401
    assert created.headers["WWW-Authenticate"] == "Bearer"
    assert client.patch(f"{URL}/{org['id']}", json={"version": 1}).status_code == 401
    assert client.delete(f"{URL}/{org['id']}").status_code == 401
    assert client.get(f"{URL}/{org['id']}").status_code == 200


def test_invalid_token_is_401(client: TestClient) -> None:
    response = client.post(
        URL, json={"name": "X", "type": "cso"}, headers={"Authorization": "Bearer nonsense"}
    )
    assert response.status_code == 401


def test_anonymous_may_read(api: ApiFactory, client: TestClient) -> None:
    org = api.organization()
    assert client.get(f"{URL}/{org['id']}").status_code == 200
    assert client.get(URL).json()["total"] == 1


# --- delete --------------------------------------------------------------------------------


def test_delete_then_404(api: ApiFactory) -> None:
    org = api.organization()
    response = api.client.delete(f"{URL}/{org['id']}", headers=api.staff)
    assert response.status_code == 204
    assert response.content == b""
    assert api.client.get(f"{URL}/{org['id']}").status_code == 404
    assert api.client.delete(f"{URL}/{org['id']}", headers=api.staff).status_code == 404
    assert api.client.get(URL).json()["total"] == 0


def test_provider_may_not_delete(api: ApiFactory) -> None:
    org = api.organization()
    response = api.client.delete(f"{URL}/{org['id']}", headers=api.provider(org["id"]))
    assert response.status_code == 403
    assert api.client.get(f"{URL}/{org['id']}").status_code == 200


def test_delete_organization_with_offers_is_409(api: ApiFactory) -> None:
    org = api.organization()
    api.offer(org["id"])
    response = api.client.delete(f"{URL}/{org['id']}", headers=api.staff)
    assert response.status_code == 409
    assert api.client.get(f"{URL}/{org['id']}").status_code == 200
