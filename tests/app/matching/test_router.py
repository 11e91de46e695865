"""Matching runs, batch assignment, duplication and gaps, through the HTTP API."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.factories import ApiFactory

RUN = "/api/v1/matching/run"


def _run(api: ApiFactory, **body: Any) -> Any:
    response = api.client.post(RUN, json=body, headers=api.staff)
    assert response.status_code == 200, response.text
    return response.json()


def _matches_of_request(api: ApiFactory, request_id: int, headers: dict[str, str]) -> Any:
    response = api.client.get(f"/api/v1/requests/{request_id}/matches", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def _torture_request(api: ApiFactory, **fields: Any) -> Any:
    body = {
        "status": "open",
        "title": "Setting up a national preventive mechanism",
        "description": "Training for the new national preventive mechanism on detention visits",
        "themes": ["torture"],
        "languages": ["ru"],
        **fields,
    }
    return api.request("KAZ", **body)


@pytest.mark.dialects
def test_run_stores_ranked_explained_suggestions(api: ApiFactory) -> None:
    request = _torture_request(api)
    named = api.offer(
        title="Detention monitoring training for preventive mechanisms",
        description="Workshops on visiting places of detention, in Russian",
        countries=["KAZ"],
        themes=["torture"],
        languages=["ru"],
    )
    regional = api.offer(
        title="Torture prevention support",
        countries=[],
        regions=["m49-143"],
        themes=["torture"],
        languages=["en"],
    )
    unrelated = api.offer(
        title="Water and sanitation planning",
        description="Technical advice on water utilities",
        themes=["water-sanitation"],
    )

    summary = _run(api)

    assert summary["requests"] == 1
    assert summary["offers"] == 3
    assert summary["created"] == 2
    items = _matches_of_request(api, request["id"], api.staff)
    assert [m["offer_id"] for m in items] == [named["id"], regional["id"]]
    assert unrelated["id"] not in {m["offer_id"] for m in items}
    best = items[0]
    assert best["status"] == "suggested"
    assert set(best["score_components"]) == {
        "theme",
        "assistance",
        "language",
        "text",
        "coverage",
        "track_record",
    }
    assert best["score_components"]["coverage"] == 1.0
    assert "Themes: Prohibition of torture" in best["explanation"]
    assert "Covers Kazakhstan" in best["explanation"]
    assert "Delivers in Russian" in best["explanation"]
    assert "Covers Central Asia" in items[1]["explanation"]
    assert best["request_title"] == request["title"]
    assert best["provider_name"]
    # the reasons as codes, and the sentence in the reader's language (Accept-Language)
    assert {"code": "covers_state", "params": {"code": "KAZ"}} in best["reasons"]
    assert {"code": "languages", "params": {"codes": ["ru"]}} in best["reasons"]
    headers = {**api.staff, "Accept-Language": "ru-RU,ru;q=0.9"}
    russian = _matches_of_request(api, request["id"], headers)[0]["explanation"]
    assert "Казахстан" in russian
    assert "Запрещение пыток" in russian
    chinese = api.client.get(
        f"/api/v1/matches/{best['id']}", headers={**api.staff, "Accept-Language": "zh"}
    ).json()["explanation"]
    assert "哈萨克斯坦" in chinese
    assert "Kazakhstan" not in chinese


def test_a_request_with_no_suitable_offer_gets_nothing(api: ApiFactory) -> None:
    lonely = _torture_request(api)
    api.offer(title="Water utilities", themes=["water-sanitation"], description="Pipes")
    api.offer(title="Torture prevention in Senegal", countries=["SEN"], themes=["torture"])
    summary = _run(api)
    assert summary["created"] == 0
    assert summary["without_suggestion"] == [lonely["id"]]
    assert _matches_of_request(api, lonely["id"], api.staff) == []


def test_drafts_and_inactive_offers_are_left_out(api: ApiFactory) -> None:
    _torture_request(api, status="draft")
    request = _torture_request(api)
    api.offer(status="paused")
    active = api.offer()
    assert _run(api)["requests"] == 1
    assert [m["offer_id"] for m in _matches_of_request(api, request["id"], api.staff)] == [
        active["id"]
    ]


def test_rerun_changes_nothing_and_never_resurrects_a_rejected_pair(api: ApiFactory) -> None:
    request = _torture_request(api)
    first, second = api.offer(), api.offer()
    assert _run(api)["created"] == 2
    again = _run(api)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)

    rejected = next(
        m
        for m in _matches_of_request(api, request["id"], api.staff)
        if m["offer_id"] == first["id"]
    )
    response = api.client.post(
        f"/api/v1/matches/{rejected['id']}/reject",
        json={"reason": "The provider is already engaged with this mechanism", "version": 1},
        headers=api.staff,
    )
    assert response.status_code == 200, response.text

    third = _run(api)
    assert third["created"] == 0
    statuses = {
        m["offer_id"]: m["status"] for m in _matches_of_request(api, request["id"], api.staff)
    }
    assert statuses == {first["id"]: "rejected", second["id"]: "suggested"}


def test_suggestions_that_no_longer_qualify_are_removed(api: ApiFactory) -> None:
    request = _torture_request(api)
    offer = api.offer()
    _run(api)
    assert len(_matches_of_request(api, request["id"], api.staff)) == 1
    api.client.patch(
        f"/api/v1/offers/{offer['id']}",
        json={"status": "paused", "version": offer["version"]},
        headers=api.staff,
    ).raise_for_status()
    assert _run(api)["removed"] == 1
    assert _matches_of_request(api, request["id"], api.staff) == []


def test_a_russian_request_without_themes_finds_an_english_offer(api: ApiFactory) -> None:
    request = api.request(
        "KAZ",
        status="open",
        title="Поддержка национального превентивного механизма",
        description=(
            "Просим помочь в обучении сотрудников национального превентивного механизма "
            "посещению мест лишения свободы и предупреждению пыток."
        ),
    )
    assert request["themes"] == []
    english = api.offer(
        title="Torture prevention: training for national preventive mechanisms",
        description="Training staff of preventive mechanisms to monitor places of detention.",
        themes=["torture"],
        languages=["en"],
    )
    api.offer(
        title="Access to safe drinking water",
        description="Technical advice on water and sanitation services in rural areas.",
        themes=["water-sanitation"],
        languages=["en"],
    )
    _run(api)
    items = _matches_of_request(api, request["id"], api.staff)
    assert items, "the Russian request found nothing"
    assert items[0]["offer_id"] == english["id"]
    assert items[0]["score_components"]["text"] > 0.3


def test_only_staff_run_matching(api: ApiFactory) -> None:
    org = api.organization()
    assert api.client.post(RUN, json={}).status_code == 401
    assert api.client.post(RUN, json={}, headers=api.state("KAZ")).status_code == 403
    assert api.client.post(RUN, json={}, headers=api.provider(org["id"])).status_code == 403


@pytest.mark.dialects
def test_run_for_chosen_requests_and_bad_input(api: ApiFactory) -> None:
    chosen, other = _torture_request(api), _torture_request(api)
    api.offer()
    summary = _run(api, request_ids=[chosen["id"]], top_k=1)
    assert summary["requests"] == 1
    assert len(_matches_of_request(api, chosen["id"], api.staff)) == 1
    assert _matches_of_request(api, other["id"], api.staff) == []
    bad = api.client.post(RUN, json={"top_k": 0}, headers=api.staff)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "top_k"


@pytest.mark.dialects
def test_run_is_audited(api: ApiFactory) -> None:
    _torture_request(api)
    api.offer()
    _run(api)
    entries = api.client.get("/api/v1/audit?entity_type=matching", headers=api.staff).json()[
        "items"
    ]
    assert entries[0]["action"] == "run"
    assert entries[0]["after"]["created"] == 1


def test_assignment_respects_capacity_and_maximises_the_total(api: ApiFactory) -> None:
    # Two requests want the same one-place offer; the second has an alternative.
    only_one = api.offer(title="Torture prevention mentoring", capacity=1, countries=["KAZ"])
    a = _torture_request(api, title="NPM visits methodology")
    b = _torture_request(api, title="NPM reporting")
    alternative = api.offer(
        title="Torture prevention mentoring",
        capacity=1,
        countries=["KAZ"],
        languages=["en"],
    )
    _run(api)
    preview = api.client.post(
        "/api/v1/matching/assignment", json={"request_limit": 1}, headers=api.staff
    )
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert body["applied"] is False
    chosen = {(p["request_id"], p["offer_id"]) for p in body["pairs"]}
    assert len(chosen) == 2, "both requests served"
    assert {o for _r, o in chosen} == {only_one["id"], alternative["id"]}
    assert {r for r, _o in chosen} == {a["id"], b["id"]}

    applied = api.client.post(
        "/api/v1/matching/assignment", json={"apply": True}, headers=api.staff
    ).json()
    assert applied["applied"] is True
    for pair in applied["pairs"]:
        match = api.client.get(f"/api/v1/matches/{pair['match_id']}", headers=api.staff).json()
        assert match["status"] == "proposed"
    again = api.client.post("/api/v1/matching/assignment", json={}, headers=api.staff).json()
    assert again["pairs"] == [], "every place is taken now"


def test_duplications_flag_two_providers_on_one_state_and_theme(api: ApiFactory) -> None:
    org = api.organization()
    first = api.offer(
        org["id"], countries=["KAZ"], period_start="2027-01-01", period_end="2027-12-31"
    )
    second = api.offer(countries=["KAZ", "KGZ"], period_start="2027-06-01", period_end="2028-06-30")
    api.offer(countries=["KAZ"], period_start="2029-01-01", period_end="2029-12-31")
    same_provider = api.offer(org["id"], countries=["KAZ"])
    response = api.client.get("/api/v1/matching/duplications", headers=api.staff)
    assert response.status_code == 200, response.text
    flags = [
        f
        for f in response.json()
        if {f["first"]["id"], f["second"]["id"]} == {first["id"], second["id"]}
    ]
    assert len(flags) == 1
    assert (flags[0]["state"], flags[0]["theme"]) == ("KAZ", "torture")
    assert (flags[0]["overlap_start"], flags[0]["overlap_end"]) == ("2027-06-01", "2027-12-31")
    pairs = [{f["first"]["id"], f["second"]["id"]} for f in response.json()]
    assert {first["id"], same_provider["id"]} not in pairs
    assert (
        api.client.get("/api/v1/matching/duplications", headers=api.state("KAZ")).status_code == 403
    )


def test_duplications_include_activities(api: ApiFactory) -> None:
    org = api.organization()
    offer = api.offer(countries=["KAZ"])
    activity = api.activity("KAZ", provider_ids=[org["id"]], themes=["torture"], status="ongoing")
    flags = api.client.get("/api/v1/matching/duplications", headers=api.staff).json()
    kinds = {
        (f["first"]["kind"], f["first"]["id"], f["second"]["kind"], f["second"]["id"])
        for f in flags
    }
    assert ("activity", activity["id"], "offer", offer["id"]) in kinds


@pytest.mark.dialects
def test_gaps_list_needs_no_offer_could_help_with(api: ApiFactory) -> None:
    api.offer(countries=["KAZ"], themes=["torture"])
    api.recommendation("KAZ", themes=["torture"])
    uncovered = api.recommendation("SEN", themes=["torture"])
    api.recommendation("SEN", position="noted", themes=["torture"])
    request = api.request("SEN", status="open", themes=["right-to-education"])
    response = api.client.get("/api/v1/matching/gaps", headers=api.staff)
    assert response.status_code == 200, response.text
    rows = {(r["theme"], r["region"]): r for r in response.json()}
    torture = rows[("torture", "Africa")]
    assert (torture["recommendations"], torture["requests"]) == (1, 0)
    assert torture["example_ids"] == [uncovered["id"]]
    education = rows[("right-to-education", "Africa")]
    assert education["example_ids"] == [request["id"]]
    assert not [r for r in rows.values() if r["region"] == "Asia"], "KAZ is covered on torture"
    by_group = api.client.get("/api/v1/matching/gaps?by=hrc_group", headers=api.staff).json()
    assert {r["region"] for r in by_group} == {"African States"}


@pytest.mark.dialects
def test_proactive_lists_unrequested_supported_recommendations_with_offers(
    api: ApiFactory,
) -> None:
    offer = api.offer(countries=["KAZ"], themes=["torture"], languages=["ru"])
    waiting = api.recommendation("KAZ", themes=["torture"])
    requested = api.recommendation("KAZ", themes=["torture"])
    api.request("KAZ", status="open", recommendation_ids=[requested["id"]])
    api.recommendation("KAZ", position="noted", themes=["torture"])
    api.recommendation("KAZ", themes=["water-sanitation"])
    api.recommendation("SEN", themes=["torture"])
    response = api.client.get("/api/v1/matching/proactive", headers=api.staff)
    assert response.status_code == 200, response.text
    body = response.json()
    assert [item["recommendation_id"] for item in body["items"]] == [waiting["id"]]
    item = body["items"][0]
    assert (item["state"], item["themes"]) == ("KAZ", ["torture"])
    assert [o["offer_id"] for o in item["offers"]] == [offer["id"]]
    assert "Covers Kazakhstan" in item["offers"][0]["explanation"]
    assert item["offers"][0]["components"]["theme"] == 1.0
    assert body["has_more"] is False


@pytest.mark.dialects
def test_proactive_filters_and_pages(api: ApiFactory) -> None:
    api.offer(countries=["KAZ", "SEN"], themes=["torture", "right-to-education"])
    kaz = [api.recommendation("KAZ", themes=["torture"]) for _ in range(3)]
    sen = api.recommendation("SEN", themes=["right-to-education"])

    def ids(query: str) -> tuple[list[int], bool]:
        body = api.client.get(f"/api/v1/matching/proactive?{query}", headers=api.staff).json()
        return [i["recommendation_id"] for i in body["items"]], body["has_more"]

    assert ids("state=SEN") == ([sen["id"]], False)
    assert ids("theme=torture&limit=2") == ([kaz[0]["id"], kaz[1]["id"]], True)
    assert ids("theme=torture&limit=2&offset=2") == ([kaz[2]["id"]], False)
    bad = api.client.get("/api/v1/matching/proactive?state=K", headers=api.staff)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "state"
    assert api.client.get("/api/v1/matching/proactive", headers=api.state("KAZ")).status_code == 403


@pytest.mark.parametrize("value", ["yes", "true", 1, "on"])
def test_assignment_takes_strict_booleans(api: ApiFactory, value: Any) -> None:
    response = api.client.post(
        "/api/v1/matching/assignment", json={"apply": value}, headers=api.staff
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "apply"
