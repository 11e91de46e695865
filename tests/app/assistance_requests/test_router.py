"""Assistance requests: linking rules, consent, status rules, concurrency."""

from __future__ import annotations

import pytest

from tests.support.factories import ApiFactory

URL = "/api/v1/requests"


def test_state_files_a_request_for_itself_without_naming_the_state(api: ApiFactory) -> None:
    rec = api.recommendation(state="KAZ", themes=["torture", "nhri"])
    response = api.client.post(
        URL,
        json={
            "title": "Établir un mécanisme national de prévention",
            "recommendation_ids": [rec["id"]],
            "assistance_types": ["legislative-review", "training"],
            "languages": ["ru", "fr"],
            "period_start": "2027-01-01",
            "period_end": "2027-12-31",
        },
        headers=api.state("KAZ"),
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["state"] == "KAZ"
    assert body["status"] == "draft"
    assert body["consent_to_publish"] is False
    assert body["recommendation_ids"] == [rec["id"]]
    assert body["themes"] == ["nhri", "torture"], "themes default to the recommendations' themes"
    assert body["assistance_types"] == ["legislative-review", "training"]
    assert body["languages"] == ["fr", "ru"]
    assert response.headers["ETag"] == '"1"'


def test_explicit_themes_win_over_the_recommendations_themes(api: ApiFactory) -> None:
    rec = api.recommendation(state="KAZ", themes=["torture"])
    body = api.request("KAZ", recommendation_ids=[rec["id"]], themes=["nhri"])
    assert body["themes"] == ["nhri"]


def test_linking_another_states_recommendation_is_422_saying_why(api: ApiFactory) -> None:
    rec = api.recommendation(state="FRA")
    response = api.client.post(
        URL, json={"title": "t", "recommendation_ids": [rec["id"]]}, headers=api.state("KAZ")
    )
    assert response.status_code == 422
    body = response.json()
    assert body["errors"][0]["field"] == "recommendation_ids"
    assert "addressed to FRA, not to the requesting State KAZ" in body["detail"]


def test_linking_a_noted_recommendation_is_422_saying_why(api: ApiFactory) -> None:
    rec = api.recommendation(state="KAZ", position="noted")
    response = api.client.post(
        URL, json={"title": "t", "recommendation_ids": [rec["id"]]}, headers=api.state("KAZ")
    )
    assert response.status_code == 422
    assert "was noted, not supported" in response.json()["detail"]


def test_linking_a_missing_recommendation_is_422(api: ApiFactory) -> None:
    response = api.client.post(
        URL, json={"title": "t", "recommendation_ids": [999999]}, headers=api.state("KAZ")
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "recommendation_ids"


def test_the_rule_holds_on_update_too(api: ApiFactory) -> None:
    request = api.request("KAZ")
    noted = api.recommendation(state="KAZ", position="noted")
    response = api.client.patch(
        f"{URL}/{request['id']}",
        json={"recommendation_ids": [noted["id"]], "version": request["version"]},
        headers=api.staff,
    )
    assert response.status_code == 422
    unchanged = api.client.get(f"{URL}/{request['id']}", headers=api.staff).json()
    assert unchanged["recommendation_ids"] == []
    assert unchanged["version"] == request["version"]


def test_staff_must_name_the_requesting_state(api: ApiFactory) -> None:
    response = api.client.post(URL, json={"title": "t"}, headers=api.staff)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "state"


def test_state_may_not_file_for_another_state(api: ApiFactory) -> None:
    response = api.client.post(URL, json={"title": "t", "state": "FRA"}, headers=api.state("KAZ"))
    assert response.status_code == 403


def test_new_request_may_only_be_draft_or_open(api: ApiFactory) -> None:
    response = api.client.post(
        URL, json={"title": "t", "status": "completed"}, headers=api.state("KAZ")
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "status"


def test_state_cannot_set_workflow_statuses(api: ApiFactory) -> None:
    request = api.request("KAZ", status="open")
    kaz = api.state("KAZ")
    response = api.client.patch(
        f"{URL}/{request['id']}", json={"status": "matched", "version": 1}, headers=kaz
    )
    assert response.status_code == 403
    assert "matching workflow" in response.json()["detail"]
    response = api.client.patch(
        f"{URL}/{request['id']}", json={"status": "withdrawn", "version": 1}, headers=kaz
    )
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"


def test_publishing_needs_consent_and_a_non_draft_status(api: ApiFactory) -> None:
    request = api.request("KAZ", title="Consent test")
    kaz = api.state("KAZ")
    url = f"{URL}/{request['id']}"
    assert api.client.get(url).status_code == 404
    response = api.client.patch(url, json={"consent_to_publish": True, "version": 1}, headers=kaz)
    assert response.status_code == 200
    assert api.client.get(url).status_code == 404, "a draft is not public even with consent"
    response = api.client.patch(url, json={"status": "open", "version": 2}, headers=kaz)
    assert response.status_code == 200
    public = api.client.get(url)
    assert public.status_code == 200
    assert public.json()["title"] == "Consent test"
    response = api.client.patch(url, json={"consent_to_publish": False, "version": 3}, headers=kaz)
    assert response.status_code == 200
    assert api.client.get(url).status_code == 404, "withdrawing consent hides it again"


def test_stale_write_is_refused_and_loses_nothing(api: ApiFactory) -> None:
    request = api.request("KAZ", title="Original")
    url = f"{URL}/{request['id']}"
    first = api.client.patch(
        url, json={"title": "First edit"}, headers={**api.staff, "If-Match": '"1"'}
    )
    assert first.status_code == 200
    assert first.headers["ETag"] == '"2"'
    second = api.client.patch(
        url, json={"title": "Second edit"}, headers={**api.staff, "If-Match": '"1"'}
    )
    assert second.status_code == 412
    third = api.client.patch(url, json={"title": "Third edit", "version": 1}, headers=api.staff)
    assert third.status_code == 409
    assert api.client.get(url, headers=api.staff).json()["title"] == "First edit"


def test_write_without_a_version_is_428(api: ApiFactory) -> None:
    request = api.request("KAZ")
    response = api.client.patch(f"{URL}/{request['id']}", json={"title": "x"}, headers=api.staff)
    assert response.status_code == 428
    assert response.json()["errors"][0]["field"] == "version"


@pytest.mark.dialects
def test_filters(api: ApiFactory) -> None:
    rec = api.recommendation(state="KAZ")
    a = api.request(
        "KAZ",
        title="Prison monitoring",
        status="open",
        themes=["torture"],
        assistance_types=["training"],
        languages=["ru"],
        recommendation_ids=[rec["id"]],
    )
    b = api.request(
        "KGZ",
        title="NHRI accreditation",
        themes=["nhri"],
        assistance_types=["institution-building"],
        languages=["en"],
    )

    def ids(query: str) -> list[int]:
        response = api.client.get(f"{URL}?{query}", headers=api.staff)
        assert response.status_code == 200
        return [r["id"] for r in response.json()["items"]]

    assert ids("state=KAZ") == [a["id"]]
    assert ids("state=kgz") == [b["id"]]
    assert ids("status=open") == [a["id"]]
    assert ids("status=draft") == [b["id"]]
    assert ids("theme=nhri") == [b["id"]]
    assert ids("assistance_type=training") == [a["id"]]
    assert ids("language=en") == [b["id"]]
    assert ids(f"recommendation_id={rec['id']}") == [a["id"]]
    assert ids("q=prison") == [a["id"]]
    assert ids("q=accreditation&state=KAZ") == []
    assert ids("limit=1") == [a["id"]]
    assert ids("limit=1&offset=1") == [b["id"]]
    page = api.client.get(f"{URL}?limit=1", headers=api.staff).json()
    assert page["total"] == 2


def test_unknown_status_filter_is_422(api: ApiFactory) -> None:
    response = api.client.get(f"{URL}?status=nonsense")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "status"


def test_state_deletes_its_draft_but_not_an_open_request(api: ApiFactory) -> None:
    kaz = api.state("KAZ")
    draft = api.request("KAZ", headers=kaz)
    opened = api.request("KAZ", headers=kaz, status="open")
    assert api.client.delete(f"{URL}/{draft['id']}", headers=kaz).status_code == 204
    assert api.client.get(f"{URL}/{draft['id']}", headers=kaz).status_code == 404
    refused = api.client.delete(f"{URL}/{opened['id']}", headers=kaz)
    assert refused.status_code == 403
    assert "withdraw" in refused.json()["detail"]
