"""Matches: staff pair requests with offers; parties see them once proposed."""

from __future__ import annotations

import pytest

from tests.support.factories import ApiFactory

URL = "/api/v1/matches"


def _pair(api: ApiFactory) -> tuple[dict, dict]:  # type: ignore[type-arg]
    return api.request("KAZ", status="open"), api.offer()


def test_staff_creates_a_match_with_score_components(api: ApiFactory) -> None:
    request, offer = _pair(api)
    response = api.client.post(
        URL,
        json={
            "request_id": request["id"],
            "offer_id": offer["id"],
            "score": 0.82,
            "score_components": {"theme": 1.0, "language": 0.5},
            "explanation": "Themes: Torture · Delivers in Russian",
        },
        headers=api.staff,
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "suggested"
    assert body["score_components"] == {"theme": 1.0, "language": 0.5}
    assert body["state_decision"] == body["provider_decision"] == "pending"


def test_one_row_per_pair(api: ApiFactory) -> None:
    request, offer = _pair(api)
    api.match(request["id"], offer["id"])
    again = api.client.post(
        URL, json={"request_id": request["id"], "offer_id": offer["id"]}, headers=api.staff
    )
    assert again.status_code == 409
    assert "already paired" in again.json()["detail"]


def test_score_out_of_range_is_422(api: ApiFactory) -> None:
    request, offer = _pair(api)
    response = api.client.post(
        URL,
        json={"request_id": request["id"], "offer_id": offer["id"], "score": 1.5},
        headers=api.staff,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "score"


def test_unknown_request_or_offer_is_422(api: ApiFactory) -> None:
    offer = api.offer()
    response = api.client.post(
        URL, json={"request_id": 424242, "offer_id": offer["id"]}, headers=api.staff
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "request_id"


def test_status_change_records_who_and_when(api: ApiFactory) -> None:
    request, offer = _pair(api)
    match = api.match(request["id"], offer["id"])
    response = api.client.patch(
        f"{URL}/{match['id']}",
        json={"status": "rejected", "reason": "Provider already active there", "version": 1},
        headers=api.staff,
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "rejected"
    assert body["reason"] == "Provider already active there"
    assert body["decided_by_id"] is not None
    assert body["decided_at"] is not None


def test_parties_see_a_match_only_once_proposed(api: ApiFactory) -> None:
    org = api.organization()
    request = api.request("KAZ", status="open")
    offer = api.offer(org["id"])
    match = api.match(request["id"], offer["id"])
    kaz, provider = api.state("KAZ"), api.provider(org["id"])
    for headers in (kaz, provider):
        assert api.client.get(f"{URL}/{match['id']}", headers=headers).status_code == 404
        assert api.client.get(URL, headers=headers).json()["total"] == 0
    api.client.patch(
        f"{URL}/{match['id']}", json={"status": "proposed", "version": 1}, headers=api.staff
    ).raise_for_status()
    for headers in (kaz, provider):
        assert api.client.get(f"{URL}/{match['id']}", headers=headers).status_code == 200
        assert api.client.get(URL, headers=headers).json()["total"] == 1


@pytest.mark.dialects
def test_filters_and_ranking(api: ApiFactory) -> None:
    request, offer = _pair(api)
    other_offer = api.offer()
    low = api.match(request["id"], offer["id"], score=0.3)
    high = api.match(request["id"], other_offer["id"], score=0.9)

    def ids(query: str) -> list[int]:
        return [
            m["id"] for m in api.client.get(f"{URL}?{query}", headers=api.staff).json()["items"]
        ]

    assert ids(f"request_id={request['id']}") == [high["id"], low["id"]], "best score first"
    assert ids(f"offer_id={offer['id']}") == [low["id"]]
    assert ids("status=suggested") == [high["id"], low["id"]]
    assert ids("status=agreed") == []


def test_staff_delete_and_others_may_not(api: ApiFactory) -> None:
    org = api.organization()
    request, offer = api.request("KAZ"), api.offer(org["id"])
    match = api.match(request["id"], offer["id"])
    url = f"{URL}/{match['id']}"
    assert api.client.delete(url).status_code == 401
    assert api.client.delete(url, headers=api.state("KAZ")).status_code == 403
    assert api.client.delete(url, headers=api.provider(org["id"])).status_code == 403
    assert api.client.delete(url, headers=api.staff).status_code == 204
    assert api.client.get(url, headers=api.staff).status_code == 404


def test_a_request_or_offer_with_matches_cannot_be_deleted(api: ApiFactory) -> None:
    request, offer = _pair(api)
    api.match(request["id"], offer["id"])
    response = api.client.delete(f"/api/v1/requests/{request['id']}", headers=api.staff)
    assert response.status_code == 409
    assert "withdraw it instead" in response.json()["detail"]
    response = api.client.delete(f"/api/v1/offers/{offer['id']}", headers=api.staff)
    assert response.status_code == 409
    assert "close it instead" in response.json()["detail"]
