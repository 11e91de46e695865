"""GET /api/v1/matching/explain: why a run would or would not suggest a pair ("why not"),
through the HTTP API against a migrated database, checked against what a run stores."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.factories import ApiFactory
from tests.support.pairs import npm_offer, npm_request, run_matching

EXPLAIN = "/api/v1/matching/explain"
CONSTRAINTS = [
    "request_open",
    "active",
    "coverage",
    "period",
    "capacity",
    "provider",
    "not_rejected",
]


def _request(api: ApiFactory, **fields: Any) -> Any:
    return npm_request(api, period_start="2027-01-01", period_end="2027-12-31", **fields)


_offer = npm_offer


def _explain(api: ApiFactory, request_id: int, offer_id: int) -> Any:
    response = api.client.get(
        EXPLAIN, params={"request_id": request_id, "offer_id": offer_id}, headers=api.staff
    )
    assert response.status_code == 200, response.text
    return response.json()


def _failed(why: Any) -> list[str]:
    return [c["name"] for c in why["constraints"] if not c["passed"]]


_run = run_matching


def _matches(api: ApiFactory, request_id: int) -> list[Any]:
    response = api.client.get(f"/api/v1/requests/{request_id}/matches", headers=api.staff)
    return list(response.json()["items"])


@pytest.mark.dialects
def test_a_suggested_pair_passes_everything_with_the_runs_score(api: ApiFactory) -> None:
    request = _request(api)
    named = _offer(api)
    regional = _offer(api, countries=[], regions=["m49-143"], title="Torture prevention")
    _run(api)
    stored = {m["offer_id"]: m for m in _matches(api, request["id"])}
    assert set(stored) == {named["id"], regional["id"]}
    for place, offer in enumerate((named, regional), start=1):
        why = _explain(api, request["id"], offer["id"])
        assert [c["name"] for c in why["constraints"]] == CONSTRAINTS
        assert _failed(why) == []
        match = stored[offer["id"]]
        assert why["total"] == match["score"]
        assert {c["name"]: c["value"] for c in why["components"]} == match["score_components"]
        assert why["position"] == place
        assert why["would_be_suggested"] is True
        assert (why["match_id"], why["match_status"]) == (match["id"], "suggested")
        assert why["threshold"] == 0.45
    components = {c["name"]: c for c in _explain(api, request["id"], named["id"])["components"]}
    assert components["theme"]["facts"] == {
        "wanted": ["torture"],
        "shared": ["torture"],
        "inferred": False,
        "weights": {"torture": 1.0},
        "from_text": False,
    }
    assert components["theme"]["weight"] == 0.35
    assert components["theme"]["contribution"] == 0.35
    assert components["coverage"]["facts"] == {"how": "named", "region": None}
    coverage = next(
        c
        for c in _explain(api, request["id"], regional["id"])["constraints"]
        if c["name"] == "coverage"
    )
    assert coverage["facts"]["how"] == "region"
    assert coverage["facts"]["region"] == "m49-143"


def test_each_decoy_names_the_constraint_it_fails(api: ApiFactory) -> None:
    request = _request(api)
    state_org = api.organization(type="state", country="KAZ", name="Kazakhstan (donor)")
    decoys = {
        "active": _offer(api, status="paused"),
        "coverage": _offer(api, countries=["SEN"]),
        "period": _offer(api, period_start="2025-01-01", period_end="2026-06-30"),
        "provider": _offer(api, organization_id=state_org["id"]),
    }
    full = _offer(api, capacity=1)
    taken = _request(api, title="Another request")
    held = api.match(taken["id"], full["id"])
    api.client.post(
        f"/api/v1/matches/{held['id']}/propose",
        json={"version": held["version"]},
        headers=api.staff,
    ).raise_for_status()
    decoys["capacity"] = full
    rejected = _offer(api)
    _run(api)
    (suggestion,) = [m for m in _matches(api, request["id"]) if m["offer_id"] == rejected["id"]]
    api.client.post(
        f"/api/v1/matches/{suggestion['id']}/reject",
        json={"reason": "Already engaged", "version": suggestion["version"]},
        headers=api.staff,
    ).raise_for_status()
    decoys["not_rejected"] = rejected

    suggested = {m["offer_id"] for m in _matches(api, request["id"]) if m["status"] == "suggested"}
    for name, offer in decoys.items():
        assert offer["id"] not in suggested, name
        why = _explain(api, request["id"], offer["id"])
        assert _failed(why) == [name], name
        assert why["position"] is None
        assert why["would_be_suggested"] is False
        assert why["total"] >= why["threshold"], "a plausible offer, but for the constraint"
    facts = {
        name: next(
            c for c in _explain(api, request["id"], offer["id"])["constraints"] if c["name"] == name
        )["facts"]
        for name, offer in decoys.items()
    }
    assert facts["active"]["status"] == "paused"
    assert facts["coverage"]["offer_countries"] == ["SEN"]
    assert facts["period"] == {
        "request_start": "2027-01-01",
        "request_end": "2027-12-31",
        "offer_start": "2025-01-01",
        "offer_end": "2026-06-30",
    }
    assert facts["capacity"] == {"places_left": 0}
    assert facts["provider"] == {"provider_state": "KAZ", "state": "KAZ"}
    rejected_why = _explain(api, request["id"], rejected["id"])
    assert rejected_why["match_status"] == "rejected"


def test_a_draft_request_is_not_matched_and_inferred_themes_are_said(api: ApiFactory) -> None:
    draft = _request(api, status="draft", themes=[])
    offer = _offer(api)
    why = _explain(api, draft["id"], offer["id"])
    assert _failed(why) == ["request_open"]
    assert why["constraints"][0]["facts"] == {"status": "draft"}
    assert why["request_themes_inferred"] is True
    assert why["would_be_suggested"] is False
    assert why["match_id"] is None


def test_only_staff_may_ask_and_bad_ids_are_named(api: ApiFactory) -> None:
    request = _request(api)
    offer = _offer(api)
    params = {"request_id": request["id"], "offer_id": offer["id"]}
    assert api.client.get(EXPLAIN, params=params).status_code == 401
    assert api.client.get(EXPLAIN, params=params, headers=api.state("KAZ")).status_code == 403
    org = api.organization()
    assert (
        api.client.get(EXPLAIN, params=params, headers=api.provider(org["id"])).status_code == 403
    )
    missing = api.client.get(EXPLAIN, params={**params, "offer_id": 999_999}, headers=api.staff)
    assert missing.status_code == 404
    assert missing.json()["detail"] == "no offer with id 999999"
    missing = api.client.get(EXPLAIN, params={**params, "request_id": 999_999}, headers=api.staff)
    assert missing.json()["detail"] == "no assistance request with id 999999"
    bad = api.client.get(EXPLAIN, params={"request_id": "x", "offer_id": 0}, headers=api.staff)
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"request_id", "offer_id"}


@pytest.mark.dialects
def test_a_close_text_stands_in_for_the_themes_of_a_request_without_confirmed_ones(
    api: ApiFactory,
) -> None:
    """A State that confirmed no theme: the tagger's guesses share none with the offer, whose
    text says what the request says; the text counts as a subject in common, and says so."""
    text = {"title": "Training troops on protecting civilians", "description": "For the army"}
    guessed = _request(api, themes=[], **text)
    stated = _request(api, themes=["climate-change"], **text)
    offer = _offer(api, themes=["climate-change"], **text)
    why = _explain(api, guessed["id"], offer["id"])
    assert why["request_themes_inferred"] is True
    theme = next(c for c in why["components"] if c["name"] == "theme")
    text_part = next(c for c in why["components"] if c["name"] == "text")
    assert theme["facts"]["shared"] == []
    assert (theme["facts"]["inferred"], theme["facts"]["from_text"]) == (True, True)
    weights = theme["facts"]["weights"]
    assert weights, "the guessed themes, with their weights"
    assert max(weights.values()) == 0.75, "the clearest guess; the others weigh less"
    assert theme["value"] == pytest.approx(0.2 * text_part["facts"]["semantic"], abs=1e-3)
    theme = next(
        c for c in _explain(api, stated["id"], offer["id"])["components"] if c["name"] == "theme"
    )
    assert theme["facts"]["from_text"] is False
    assert theme["value"] == 1.0
