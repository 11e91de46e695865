"""HTTP API tests for /api/v1/activities."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support.factories import ApiFactory

URL = "/api/v1/activities"


def _ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def _published(api: ApiFactory, **fields: Any) -> Any:
    return api.activity(consent_to_publish=True, **fields)


# --- create / get --------------------------------------------------------------------------


def test_create_echoes_fields_and_sets_etag(api: ApiFactory) -> None:
    org = api.organization()
    rec = api.recommendation(state="KAZ")
    body = {
        "state": "kaz",
        "title": "Workshop on the national preventive mechanism",
        "description": "Two days in Astana",
        "provider_ids": [org["id"]],
        "recommendation_ids": [rec["id"]],
        "themes": ["torture"],
        "period_start": "2025-03-01",
        "period_end": "2025-03-02",
        "funding_amount": "12500.50",
        "funding_currency": "EUR",
        "outcome": "40 officials trained",
        "status": "completed",
        "consent_to_publish": True,
    }
    response = api.client.post(URL, json=body, headers=api.staff)
    assert response.status_code == 201, response.text
    data = response.json()
    assert data["state"] == "KAZ"
    assert data["title"] == body["title"]
    assert data["description"] == "Two days in Astana"
    assert data["provider_ids"] == [org["id"]]
    assert data["recommendation_ids"] == [rec["id"]]
    assert data["themes"] == ["torture"]
    assert (data["period_start"], data["period_end"]) == ("2025-03-01", "2025-03-02")
    assert float(data["funding_amount"]) == 12500.50
    assert data["funding_currency"] == "EUR"
    assert data["outcome"] == "40 officials trained"
    assert data["status"] == "completed"
    assert data["consent_to_publish"] is True
    assert data["match_id"] is None
    assert data["version"] == 1
    assert response.headers["ETag"] == f'"{data["version"]}"'


def test_create_defaults(api: ApiFactory) -> None:
    data = api.activity()
    assert data["status"] == "planned"
    assert data["consent_to_publish"] is False
    assert data["description"] == ""
    assert data["provider_ids"] == data["recommendation_ids"] == data["themes"] == []
    assert data["funding_amount"] is None
    assert data["outcome"] is None


def test_get_returns_record_with_etag(api: ApiFactory, client: TestClient) -> None:
    activity = _published(api, themes=["nhri"])
    response = client.get(f"{URL}/{activity['id']}")
    assert response.status_code == 200
    assert response.json() == activity
    assert response.headers["ETag"] == '"1"'


def test_get_unknown_is_404(api: ApiFactory) -> None:
    assert api.client.get(f"{URL}/555555", headers=api.staff).status_code == 404


# --- who may create ------------------------------------------------------------------------


def test_state_creates_for_itself_with_state_omitted(api: ApiFactory) -> None:
    response = api.client.post(URL, json={"title": "Our activity"}, headers=api.state("UZB"))
    assert response.status_code == 201, response.text
    assert response.json()["state"] == "UZB"


def test_state_may_name_itself(api: ApiFactory) -> None:
    response = api.client.post(
        URL, json={"state": "uzb", "title": "Ours"}, headers=api.state("UZB")
    )
    assert response.status_code == 201, response.text
    assert response.json()["state"] == "UZB"


def test_state_may_not_create_for_another_state(api: ApiFactory) -> None:
    response = api.client.post(
        URL, json={"state": "KAZ", "title": "Theirs"}, headers=api.state("UZB")
    )
    assert response.status_code == 403
    assert api.client.get(URL, headers=api.staff).json()["total"] == 0


def test_staff_must_give_a_known_state(api: ApiFactory) -> None:
    missing = api.client.post(URL, json={"title": "Where?"}, headers=api.staff)
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "state"
    unknown = api.client.post(URL, json={"state": "XXX", "title": "Where?"}, headers=api.staff)
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "state"


def test_provider_and_anonymous_may_not_create(api: ApiFactory, client: TestClient) -> None:
    org = api.organization()
    body = {"state": "KAZ", "title": "T"}
    assert client.post(URL, json=body, headers=api.provider(org["id"])).status_code == 403
    assert client.post(URL, json=body).status_code == 401
    assert client.get(URL, headers=api.staff).json()["total"] == 0


# --- validation ----------------------------------------------------------------------------


def test_recommendation_of_another_state_is_422(api: ApiFactory) -> None:
    own = api.recommendation(state="KAZ")
    foreign = api.recommendation(state="FRA")
    response = api.client.post(
        URL,
        json={"title": "T", "recommendation_ids": [own["id"], foreign["id"]]},
        headers=api.state("KAZ"),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "recommendation_ids"
    assert str(foreign["id"]) in response.json()["detail"]
    assert api.client.get(URL, headers=api.staff).json()["total"] == 0


def test_unknown_recommendation_is_422(api: ApiFactory) -> None:
    response = api.client.post(
        URL,
        json={"state": "KAZ", "title": "T", "recommendation_ids": [99999]},
        headers=api.staff,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "recommendation_ids"


def test_recommendation_of_another_state_on_update_is_422(api: ApiFactory) -> None:
    activity = api.activity(state="KAZ")
    foreign = api.recommendation(state="FRA")
    response = api.client.patch(
        f"{URL}/{activity['id']}",
        json={"recommendation_ids": [foreign["id"]], "version": 1},
        headers=api.staff,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "recommendation_ids"


def test_unknown_provider_is_422(api: ApiFactory) -> None:
    response = api.client.post(
        URL, json={"state": "KAZ", "title": "T", "provider_ids": [99999]}, headers=api.staff
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "provider_ids"


def test_unknown_theme_is_422(api: ApiFactory) -> None:
    response = api.client.post(
        URL,
        json={"state": "KAZ", "title": "T", "themes": ["torture", "nope"]},
        headers=api.staff,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "themes"


@pytest.mark.dialects
def test_only_an_agreement_links_an_activity_to_a_match(api: ApiFactory) -> None:
    """No client binds an activity to a match, on create or on update, and the refusal is the
    same whether the match exists, is another State's, or not: nothing about other States'
    matches is revealed."""
    request = api.request(state="FRA")
    offer = api.offer(countries=["FRA"])
    match = api.match(request["id"], offer["id"])
    kaz = api.state("KAZ")
    own = api.activity("KAZ", headers=kaz)
    answers = []
    for who, state, match_id in [
        (api.staff, "FRA", match["id"]),
        (kaz, "KAZ", match["id"]),
        (kaz, "KAZ", 99999),
    ]:
        body = {"state": state, "title": "T", "match_id": match_id}
        created = api.client.post(URL, json=body, headers=who)
        changed = api.client.patch(
            f"{URL}/{own['id']}", json={"match_id": match_id, "version": 1}, headers=who
        )
        for response in (created, changed):
            assert response.status_code == 422
            assert response.json()["errors"][0]["field"] == "match_id"
            answers.append(response.json()["detail"].replace(str(match_id), "N"))
    assert len(set(answers)) == 1
    assert api.client.get(f"{URL}/{own['id']}", headers=kaz).json()["match_id"] is None
    assert _ids(api.client.get(URL, headers=api.staff)) == [own["id"]]


@pytest.mark.dialects
def test_a_state_may_not_name_the_providers_of_an_activity(api: ApiFactory) -> None:
    """Providers come from the agreed match or from staff: a State naming organizations that
    never agreed would publish them, and feed their track record in matching."""
    stranger = api.organization()
    kaz = api.state("KAZ")
    body = {
        "title": "Completed workshop",
        "provider_ids": [stranger["id"]],
        "status": "completed",
        "consent_to_publish": True,
    }
    refused = api.client.post(URL, json=body, headers=kaz)
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["field"] == "provider_ids"
    assert api.client.get(URL).json()["total"] == 0
    assert api.client.get(URL, params={"provider_id": stranger["id"]}).json()["total"] == 0

    reported = api.activity("KAZ", headers=kaz, title="Completed workshop", status="completed")
    url = f"{URL}/{reported['id']}"
    added = api.client.patch(
        url, json={"provider_ids": [stranger["id"]], "version": 1}, headers=kaz
    )
    assert added.status_code == 422, added.text
    assert added.json()["errors"][0]["field"] == "provider_ids"
    # staff set them (once the provider confirms); the State may send them back unchanged
    confirmed = api.client.patch(
        url, json={"provider_ids": [stranger["id"]], "version": 1}, headers=api.staff
    )
    assert confirmed.status_code == 200, confirmed.text
    same = api.client.patch(
        url, json={"provider_ids": [stranger["id"]], "outcome": "Done", "version": 2}, headers=kaz
    )
    assert same.status_code == 200, same.text
    removed = api.client.patch(url, json={"provider_ids": [], "version": 3}, headers=kaz)
    assert removed.status_code == 422, removed.text


def test_period_end_before_start_is_422(api: ApiFactory) -> None:
    response = api.client.post(
        URL,
        json={
            "state": "KAZ",
            "title": "T",
            "period_start": "2025-05-02",
            "period_end": "2025-05-01",
        },
        headers=api.staff,
    )
    assert response.status_code == 422
    assert api.client.get(URL, headers=api.staff).json()["total"] == 0


def test_patch_period_end_before_stored_start_is_422(api: ApiFactory) -> None:
    activity = api.activity(period_start="2025-05-01", period_end="2025-06-01")
    response = api.client.patch(
        f"{URL}/{activity['id']}",
        json={"period_end": "2025-04-01", "version": 1},
        headers=api.staff,
    )
    assert response.status_code == 422, response.text


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("funding_amount", "-1"),
        ("funding_currency", "eur"),
        ("status", "done"),
        ("provider_ids", [0]),
        ("title", ""),
        ("state", "KZ"),
    ],
)
def test_invalid_values_are_422(api: ApiFactory, field: str, value: Any) -> None:
    body = {"state": "KAZ", "title": "T", field: value}
    response = api.client.post(URL, json=body, headers=api.staff)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"].split(".")[0] == field


# --- visibility ----------------------------------------------------------------------------


def test_unpublished_activity_visibility(api: ApiFactory, client: TestClient) -> None:
    listed_org = api.organization()
    unrelated_org = api.organization()
    hidden = api.activity(state="KAZ", provider_ids=[listed_org["id"]])
    public = _published(api, state="KAZ")

    for headers in ({}, api.state("FRA"), api.provider(unrelated_org["id"])):
        assert client.get(f"{URL}/{hidden['id']}", headers=headers).status_code == 404
        assert client.get(f"{URL}/{public['id']}", headers=headers).status_code == 200
        listed = client.get(URL, headers=headers)
        assert _ids(listed) == [public["id"]]
        assert listed.json()["total"] == 1
        assert _ids(client.get(URL, params={"state": "KAZ"}, headers=headers)) == [public["id"]]

    for headers in (
        api.state("KAZ"),
        api.provider(listed_org["id"]),
        api.staff,
        api.headers("admin"),
    ):
        got = client.get(f"{URL}/{hidden['id']}", headers=headers)
        assert got.status_code == 200
        assert got.json()["consent_to_publish"] is False
        listed = client.get(URL, headers=headers)
        assert _ids(listed) == [hidden["id"], public["id"]]
        assert listed.json()["total"] == 2


def test_other_state_cannot_edit_or_delete(api: ApiFactory, client: TestClient) -> None:
    hidden = api.activity(state="KAZ")
    public = _published(api, state="KAZ")
    fra = api.state("FRA")
    assert (
        client.patch(
            f"{URL}/{hidden['id']}", json={"title": "X", "version": 1}, headers=fra
        ).status_code
        == 404
    )
    assert (
        client.patch(
            f"{URL}/{public['id']}", json={"title": "X", "version": 1}, headers=fra
        ).status_code
        == 403
    )
    assert client.delete(f"{URL}/{public['id']}", headers=fra).status_code == 403
    assert client.get(f"{URL}/{public['id']}").json()["title"] == public["title"]


def test_its_provider_carries_the_activity_but_not_what_the_state_decides(
    api: ApiFactory, client: TestClient
) -> None:
    org = api.organization()
    activity = api.activity(provider_ids=[org["id"]])
    provider = api.provider(org["id"])
    assert client.get(f"{URL}/{activity['id']}", headers=provider).status_code == 200
    carried = client.patch(
        f"{URL}/{activity['id']}",
        json={
            "status": "ongoing",
            "outputs": "Two trainings for 40 monitors",
            "links": ["https://example.org/agenda.pdf"],
            "version": 1,
        },
        headers=provider,
    )
    assert carried.status_code == 200, carried.text
    body = carried.json()
    assert (body["status"], body["outputs"], body["links"]) == (
        "ongoing",
        "Two trainings for 40 monitors",
        ["https://example.org/agenda.pdf"],
    )
    for field, value in (("consent_to_publish", True), ("recommendation_ids", [])):
        refused = client.patch(
            f"{URL}/{activity['id']}",
            json={field: value, "version": body["version"]},
            headers=provider,
        )
        assert refused.status_code == 403, field
        assert field in refused.json()["detail"]
    assert client.delete(f"{URL}/{activity['id']}", headers=provider).status_code == 403
    # another provider's users may not touch it
    stranger = api.provider(api.organization()["id"])
    other = client.patch(
        f"{URL}/{activity['id']}",
        json={"outcome": "x", "version": body["version"]},
        headers=stranger,
    )
    assert other.status_code in (403, 404)


def test_an_activity_moves_planned_ongoing_completed_or_cancelled(
    api: ApiFactory, client: TestClient
) -> None:
    activity = api.activity()
    url = f"{URL}/{activity['id']}"

    def step(status: str) -> Any:
        version = client.get(url, headers=api.staff).json()["version"]
        return client.patch(url, json={"status": status, "version": version}, headers=api.staff)

    assert step("ongoing").status_code == 200
    back = step("planned")
    assert back.status_code == 409
    assert "cannot become planned" in back.json()["detail"]
    assert step("completed").status_code == 200
    assert step("cancelled").status_code == 409
    bad_link = client.patch(
        url,
        json={"links": ["javascript:alert(1)"], "version": activity["version"] + 2},
        headers=api.staff,
    )
    assert bad_link.status_code == 422


def test_anonymous_writes_are_401(api: ApiFactory, client: TestClient) -> None:
    activity = _published(api)
    assert client.patch(f"{URL}/{activity['id']}", json={"version": 1}).status_code == 401
    assert client.delete(f"{URL}/{activity['id']}").status_code == 401
    assert client.get(f"{URL}/{activity['id']}").status_code == 200


def test_state_publishes_its_activity(api: ApiFactory, client: TestClient) -> None:
    kaz = api.state("KAZ")
    activity = api.activity(headers=kaz)
    assert client.get(f"{URL}/{activity['id']}").status_code == 404
    response = client.patch(
        f"{URL}/{activity['id']}",
        json={"consent_to_publish": True},
        headers={**kaz, "If-Match": '"1"'},
    )
    assert response.status_code == 200, response.text
    assert client.get(f"{URL}/{activity['id']}").json()["consent_to_publish"] is True
    assert _ids(client.get(URL)) == [activity["id"]]


# --- list, pagination, filters -------------------------------------------------------------


def test_list_paginates_in_id_order(api: ApiFactory, client: TestClient) -> None:
    ids = [_published(api)["id"] for _ in range(5)]
    page = client.get(URL, params={"limit": 3, "offset": 1}).json()
    assert (page["total"], page["limit"], page["offset"]) == (5, 3, 1)
    assert [a["id"] for a in page["items"]] == ids[1:4]
    assert _ids(client.get(URL, params={"limit": 3, "offset": 3})) == ids[3:]
    assert _ids(client.get(URL)) == ids
    assert client.get(URL, params={"limit": 201}).status_code == 422


def test_filter_state(api: ApiFactory, client: TestClient) -> None:
    kgz = _published(api, state="KGZ")
    _published(api, state="KAZ")
    response = client.get(URL, params={"state": "kgz"})
    assert _ids(response) == [kgz["id"]]
    assert response.json()["total"] == 1


def test_filter_status(api: ApiFactory, client: TestClient) -> None:
    ongoing = _published(api, status="ongoing")
    _published(api, status="planned")
    _published(api, status="cancelled")
    assert _ids(client.get(URL, params={"status": "ongoing"})) == [ongoing["id"]]
    assert client.get(URL, params={"status": "nope"}).status_code == 422


def test_filter_theme(api: ApiFactory, client: TestClient) -> None:
    wanted = _published(api, themes=["nhri", "torture"])
    _published(api, themes=["torture"])
    _published(api)
    assert _ids(client.get(URL, params={"theme": "nhri"})) == [wanted["id"]]
    assert client.get(URL, params={"theme": "torture"}).json()["total"] == 2


def test_filter_provider_id(api: ApiFactory, client: TestClient) -> None:
    a = api.organization()
    b = api.organization()
    wanted = _published(api, provider_ids=[a["id"], b["id"]])
    _published(api, provider_ids=[b["id"]])
    _published(api)
    assert _ids(client.get(URL, params={"provider_id": a["id"]})) == [wanted["id"]]
    assert client.get(URL, params={"provider_id": b["id"]}).json()["total"] == 2
    assert client.get(URL, params={"provider_id": 0}).status_code == 422


@pytest.mark.dialects
def test_filter_q_in_title_or_description(api: ApiFactory, client: TestClient) -> None:
    by_title = _published(api, title="Judges training on OPCAT")
    by_description = _published(api, title="Visit", description="Study visit about opcat")
    _published(api, title="Data workshop", description="Indicators")
    assert _ids(client.get(URL, params={"q": "Opcat"})) == [by_title["id"], by_description["id"]]
    assert _ids(client.get(URL, params={"q": "zzz"})) == []


@pytest.mark.dialects
def test_filters_combine(api: ApiFactory, client: TestClient) -> None:
    wanted = _published(api, state="UZB", status="ongoing", themes=["nhri"])
    _published(api, state="UZB", status="planned", themes=["nhri"])
    _published(api, state="KAZ", status="ongoing", themes=["nhri"])
    response = client.get(URL, params={"state": "UZB", "status": "ongoing", "theme": "nhri"})
    assert _ids(response) == [wanted["id"]]
    assert response.json()["total"] == 1


# --- update & delete -----------------------------------------------------------------------


def test_patch_with_if_match_by_own_state(api: ApiFactory) -> None:
    kaz = api.state("KAZ")
    activity = api.activity(headers=kaz)
    response = api.client.patch(
        f"{URL}/{activity['id']}",
        json={"status": "ongoing", "description": "Started", "funding_amount": "100"},
        headers={**kaz, "If-Match": '"1"'},
    )
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["status"] == "ongoing"
    assert data["description"] == "Started"
    assert float(data["funding_amount"]) == 100
    assert data["title"] == activity["title"]
    assert data["version"] == 2
    assert response.headers["ETag"] == '"2"'
    again = api.client.get(f"{URL}/{activity['id']}", headers=kaz)
    assert again.json()["status"] == "ongoing"
    assert again.headers["ETag"] == '"2"'


def test_patch_with_body_version_by_staff(api: ApiFactory) -> None:
    activity = api.activity(outcome="draft outcome", period_start="2025-01-01")
    response = api.client.patch(
        f"{URL}/{activity['id']}",
        json={"title": "Renamed", "outcome": None, "period_start": None, "version": 1},
        headers=api.staff,
    )
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["title"] == "Renamed"
    assert data["outcome"] is None
    assert data["period_start"] is None
    assert response.headers["ETag"] == '"2"'


def test_patch_links_replaces_them_and_bumps_version(api: ApiFactory) -> None:
    org = api.organization()
    rec = api.recommendation(state="KAZ")
    activity = api.activity(state="KAZ", themes=["torture"])
    response = api.client.patch(
        f"{URL}/{activity['id']}",
        json={
            "provider_ids": [org["id"]],
            "recommendation_ids": [rec["id"]],
            "themes": ["nhri"],
            "version": 1,
        },
        headers=api.staff,
    )
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["provider_ids"] == [org["id"]]
    assert data["recommendation_ids"] == [rec["id"]]
    assert data["themes"] == ["nhri"]
    assert data["version"] == 2


def test_stale_if_match_is_412(api: ApiFactory) -> None:
    activity = api.activity()
    api.client.patch(
        f"{URL}/{activity['id']}", json={"title": "A", "version": 1}, headers=api.staff
    )
    response = api.client.patch(
        f"{URL}/{activity['id']}", json={"title": "B"}, headers={**api.staff, "If-Match": '"1"'}
    )
    assert response.status_code == 412
    assert api.client.get(f"{URL}/{activity['id']}", headers=api.staff).json()["title"] == "A"


def test_stale_body_version_is_409(api: ApiFactory) -> None:
    activity = api.activity()
    api.client.patch(
        f"{URL}/{activity['id']}", json={"title": "A", "version": 1}, headers=api.staff
    )
    response = api.client.patch(
        f"{URL}/{activity['id']}", json={"title": "B", "version": 1}, headers=api.staff
    )
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "version"
    assert api.client.get(f"{URL}/{activity['id']}", headers=api.staff).json()["title"] == "A"


def test_missing_version_is_428(api: ApiFactory) -> None:
    activity = api.activity()
    response = api.client.patch(f"{URL}/{activity['id']}", json={"title": "B"}, headers=api.staff)
    assert response.status_code == 428
    assert (
        api.client.get(f"{URL}/{activity['id']}", headers=api.staff).json()["title"]
        == activity["title"]
    )


def test_delete_then_404(api: ApiFactory, client: TestClient) -> None:
    kaz = api.state("KAZ")
    org = api.organization()
    rec = api.recommendation(state="KAZ")
    activity = api.activity(
        provider_ids=[org["id"]], recommendation_ids=[rec["id"]], themes=["nhri"]
    )
    keep = api.activity(headers=kaz)
    response = client.delete(f"{URL}/{activity['id']}", headers=kaz)
    assert response.status_code == 204
    assert response.content == b""
    assert client.get(f"{URL}/{activity['id']}", headers=api.staff).status_code == 404
    assert client.delete(f"{URL}/{activity['id']}", headers=api.staff).status_code == 404
    assert _ids(client.get(URL, headers=api.staff)) == [keep["id"]]
    # the linked organization and recommendation survive
    assert client.get(f"/api/v1/organizations/{org['id']}").status_code == 200
    assert client.get(f"/api/v1/recommendations/{rec['id']}").status_code == 200
