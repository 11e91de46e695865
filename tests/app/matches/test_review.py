"""Review of matches: propose, each party's decision, agreement, rejection, and their rules."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.factories import ApiFactory

URL = "/api/v1/matches"


class Pair:
    """An open request of Kazakhstan, an offer of a fresh provider, and their match."""

    def __init__(self, api: ApiFactory, consent: bool = False, **offer_fields: Any) -> None:
        self.api = api
        self.org = api.organization()
        self.rec = api.recommendation("KAZ")
        self.request = api.request(
            "KAZ",
            status="open",
            themes=["torture"],
            recommendation_ids=[self.rec["id"]],
            period_start="2027-01-01",
            period_end="2027-12-31",
            consent_to_publish=consent,
        )
        self.offer = api.offer(
            self.org["id"], period_start="2027-03-01", period_end="2028-12-31", **offer_fields
        )
        self.match = api.match(self.request["id"], self.offer["id"])
        self.state = api.state("KAZ")
        self.provider = api.provider(self.org["id"])

    @property
    def url(self) -> str:
        return f"{URL}/{self.match['id']}"

    def current(self) -> Any:
        return self.api.client.get(self.url, headers=self.api.staff).json()

    def post(self, action: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
        version = self.current()["version"]
        return self.api.client.post(
            f"{self.url}/{action}", json={"version": version, **body}, headers=headers
        )

    def propose(self) -> Any:
        response = self.post("propose", {}, self.api.staff)
        assert response.status_code == 200, response.text
        return response.json()

    def decide(self, headers: dict[str, str], decision: str, **body: Any) -> Any:
        return self.post("decision", {"decision": decision, **body}, headers)


def test_both_parties_accept_and_an_activity_is_created(api: ApiFactory) -> None:
    pair = Pair(api)
    proposed = pair.propose()
    assert proposed["status"] == "proposed"

    state_yes = pair.decide(pair.state, "accepted")
    assert state_yes.status_code == 200, state_yes.text
    assert state_yes.json()["state_decision"] == "accepted"
    assert state_yes.json()["status"] == "proposed"

    provider_yes = pair.decide(pair.provider, "accepted")
    assert provider_yes.status_code == 200, provider_yes.text
    assert provider_yes.json()["status"] == "agreed"

    activities = api.client.get("/api/v1/activities", headers=api.staff).json()["items"]
    activity = next(a for a in activities if a["match_id"] == pair.match["id"])
    assert activity["state"] == "KAZ"
    assert activity["status"] == "planned"
    assert activity["provider_ids"] == [pair.org["id"]]
    assert activity["recommendation_ids"] == [pair.rec["id"]]
    assert activity["themes"] == ["torture"]
    assert (activity["period_start"], activity["period_end"]) == ("2027-03-01", "2027-12-31")
    request = api.client.get(f"/api/v1/requests/{pair.request['id']}", headers=api.staff).json()
    assert request["status"] == "matched"


@pytest.mark.parametrize("consent", [True, False])
def test_the_activity_is_public_only_if_the_state_consented(api: ApiFactory, consent: bool) -> None:
    pair = Pair(api, consent=consent)
    pair.propose()
    pair.decide(pair.state, "accepted").raise_for_status()
    pair.decide(pair.provider, "accepted").raise_for_status()
    public = api.client.get("/api/v1/activities").json()["items"]
    assert [a["match_id"] for a in public] == ([pair.match["id"]] if consent else [])


def test_every_transition_is_audited(api: ApiFactory) -> None:
    pair = Pair(api)
    pair.propose()
    pair.decide(pair.state, "accepted").raise_for_status()
    pair.decide(pair.provider, "accepted").raise_for_status()
    entries = api.client.get(
        f"/api/v1/audit?entity_type=match&entity_id={pair.match['id']}", headers=api.staff
    ).json()["items"]
    actions = sorted(e["action"] for e in entries)
    assert actions == ["accept", "agree", "create", "propose"]
    agree = next(e for e in entries if e["action"] == "agree")
    assert (agree["before"]["status"], agree["after"]["status"]) == ("proposed", "agreed")


def test_an_acceptance_is_taken_back_until_the_other_party_answers(api: ApiFactory) -> None:
    pair = Pair(api)
    pair.propose()
    nothing = pair.post("decision/take-back", {}, pair.state)
    assert nothing.status_code == 409
    assert "no answer to take back" in nothing.json()["detail"]
    assert pair.decide(pair.state, "accepted").status_code == 200
    # the provider cannot take back the State's answer: it speaks for its own side only
    assert pair.post("decision/take-back", {}, pair.provider).status_code == 409
    taken = pair.post("decision/take-back", {}, pair.state)
    assert taken.status_code == 200, taken.text
    assert (taken.json()["status"], taken.json()["state_decision"]) == ("proposed", "pending")
    # the provider's acceptance now leaves the proposal waiting for the State
    assert pair.decide(pair.provider, "accepted").json()["status"] == "proposed"
    assert pair.decide(pair.state, "accepted").json()["status"] == "agreed"
    late = pair.post("decision/take-back", {}, pair.state)
    assert late.status_code == 409
    history = api.client.get(
        "/api/v1/audit",
        params={"entity_type": "match", "entity_id": pair.match["id"]},
        headers=api.staff,
    ).json()["items"]
    assert "take_back" in {entry["action"] for entry in history}


def test_a_party_declining_ends_the_match(api: ApiFactory) -> None:
    pair = Pair(api)
    pair.propose()
    response = pair.decide(pair.provider, "declined", reason="No trainers available in 2027")
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["status"], body["provider_decision"]) == ("declined", "declined")
    assert body["reason"] == "No trainers available in 2027"
    late = pair.decide(pair.state, "accepted")
    assert late.status_code == 409
    assert "declined" in late.json()["detail"]


def test_illegal_transitions_are_409_with_a_clear_message(api: ApiFactory) -> None:
    pair = Pair(api)
    # Staff record a party's answer before the match was proposed.
    early = pair.decide(api.staff, "accepted", party="state")
    assert early.status_code == 409
    assert "is suggested and cannot be accepted by the state" in early.json()["detail"]
    pair.propose()
    again = pair.post("propose", {}, api.staff)
    assert again.status_code == 409
    assert "is proposed and cannot be proposed" in again.json()["detail"]
    pair.decide(pair.state, "accepted").raise_for_status()
    twice = pair.decide(pair.state, "declined")
    assert twice.status_code == 409
    assert "already accepted" in twice.json()["detail"]
    patch = api.client.patch(
        pair.url, json={"status": "agreed", "version": pair.current()["version"]}, headers=api.staff
    )
    assert patch.status_code == 409
    assert "decision" in patch.json()["detail"]


def test_parties_decide_only_for_their_own_side(api: ApiFactory) -> None:
    pair = Pair(api)
    pair.propose()
    wrong_side = pair.decide(pair.state, "accepted", party="provider")
    assert wrong_side.status_code == 403
    stranger = api.provider(api.organization()["id"])
    assert pair.decide(stranger, "accepted").status_code == 404
    other_state = api.state("FRA")
    assert pair.decide(other_state, "accepted").status_code == 404
    unnamed = pair.decide(api.staff, "accepted")
    assert unnamed.status_code == 422
    assert unnamed.json()["errors"][0]["field"] == "party"
    bad = pair.decide(pair.state, "pending")
    assert bad.status_code == 422
    recorded = pair.decide(api.staff, "accepted", party="provider")
    assert recorded.status_code == 200
    assert recorded.json()["provider_decision"] == "accepted"


def test_parties_may_not_propose_or_reject(api: ApiFactory) -> None:
    pair = Pair(api)
    pair.propose()
    for headers in (pair.state, pair.provider):
        assert pair.post("propose", {}, headers).status_code == 403
        assert pair.post("reject", {"reason": "no"}, headers).status_code == 403


def test_staff_reject_at_any_point_with_a_reason(api: ApiFactory) -> None:
    suggested, proposed = Pair(api), Pair(api)
    proposed.propose()
    for pair in (suggested, proposed):
        missing = pair.post("reject", {}, api.staff)
        assert missing.status_code == 422
        assert missing.json()["errors"][0]["field"] == "reason"
        response = pair.post("reject", {"reason": "Overlaps with an EU project"}, api.staff)
        assert response.status_code == 200, response.text
        assert response.json()["status"] == "rejected"
        assert response.json()["reason"] == "Overlaps with an EU project"
    twice = suggested.post("reject", {"reason": "again"}, api.staff)
    assert twice.status_code == 409


def test_rejecting_an_agreed_match_cancels_its_planned_activity(api: ApiFactory) -> None:
    pair = Pair(api)
    pair.propose()
    pair.decide(pair.state, "accepted").raise_for_status()
    pair.decide(pair.provider, "accepted").raise_for_status()
    response = pair.post("reject", {"reason": "Funding withdrawn"}, api.staff)
    assert response.status_code == 200, response.text
    activities = api.client.get("/api/v1/activities", headers=api.staff).json()["items"]
    activity = next(a for a in activities if a["match_id"] == pair.match["id"])
    assert activity["status"] == "cancelled"


def test_an_agreed_match_whose_activity_started_cannot_be_rejected(api: ApiFactory) -> None:
    pair = Pair(api)
    pair.propose()
    pair.decide(pair.state, "accepted").raise_for_status()
    pair.decide(pair.provider, "accepted").raise_for_status()
    activities = api.client.get("/api/v1/activities", headers=api.staff).json()["items"]
    activity = next(a for a in activities if a["match_id"] == pair.match["id"])
    api.client.patch(
        f"/api/v1/activities/{activity['id']}",
        json={"status": "ongoing", "version": activity["version"]},
        headers=api.staff,
    ).raise_for_status()
    response = pair.post("reject", {"reason": "late"}, api.staff)
    assert response.status_code == 409
    assert "ongoing" in response.json()["detail"]


def test_two_staff_at_once_one_wins_the_other_gets_409(api: ApiFactory) -> None:
    pair = Pair(api)
    read_by_both = pair.current()["version"]
    first = api.client.post(
        f"{pair.url}/propose", json={"version": read_by_both}, headers=api.staff
    )
    second = api.client.post(
        f"{pair.url}/reject",
        json={"version": read_by_both, "reason": "Not a priority"},
        headers=api.headers("staff"),
    )
    assert first.status_code == 200
    assert second.status_code == 409
    assert "stale" in second.json()["detail"]
    assert pair.current()["status"] == "proposed", "the winner's change is kept"
    with_etag = api.client.post(
        f"{pair.url}/reject",
        json={"reason": "Not a priority"},
        headers={**api.staff, "If-Match": f'"{read_by_both}"'},
    )
    assert with_etag.status_code == 412
    no_version = api.client.post(f"{pair.url}/reject", json={"reason": "x"}, headers=api.staff)
    assert no_version.status_code == 428


def test_an_offer_with_no_place_left_cannot_be_proposed_again(api: ApiFactory) -> None:
    pair = Pair(api, capacity=1)
    pair.propose()
    other_request = api.request("KAZ", status="open", themes=["torture"])
    second = api.match(other_request["id"], pair.offer["id"])
    response = api.client.post(
        f"{URL}/{second['id']}/propose", json={"version": 1}, headers=api.staff
    )
    assert response.status_code == 409
    assert "no place left" in response.json()["detail"]


def test_only_suggestions_may_be_deleted(api: ApiFactory) -> None:
    pair = Pair(api)
    pair.propose()
    response = api.client.delete(pair.url, headers=api.staff)
    assert response.status_code == 409
    assert "reject it instead" in response.json()["detail"]


def test_parties_see_their_matches_ranked_once_proposed(api: ApiFactory) -> None:
    pair = Pair(api)
    request_url = f"/api/v1/requests/{pair.request['id']}/matches"
    offer_url = f"/api/v1/offers/{pair.offer['id']}/matches"
    assert api.client.get(request_url, headers=pair.state).json()["items"] == []
    assert api.client.get(offer_url, headers=pair.provider).json()["items"] == []
    pair.propose()
    for url, headers in ((request_url, pair.state), (offer_url, pair.provider)):
        items = api.client.get(url, headers=headers).json()["items"]
        assert [m["id"] for m in items] == [pair.match["id"]]
    assert api.client.get(request_url, headers=api.state("FRA")).status_code == 404
    assert api.client.get(request_url).status_code == 401


def _notices(api: ApiFactory, headers: dict[str, str]) -> list[Any]:
    found: list[Any] = api.client.get("/api/v1/notifications", headers=headers).json()["items"]
    return found


@pytest.mark.dialects
def test_withdrawing_the_request_ends_its_proposals(api: ApiFactory) -> None:
    pair = Pair(api)
    pair.propose()
    pair.decide(pair.provider, "accepted").raise_for_status()
    request_url = f"/api/v1/requests/{pair.request['id']}"
    version = api.client.get(request_url, headers=pair.state).json()["version"]
    withdrawn = api.client.patch(
        request_url, json={"status": "withdrawn", "version": version}, headers=pair.state
    )
    assert withdrawn.status_code == 200, withdrawn.text

    ended = pair.current()
    assert (ended["status"], ended["state_decision"]) == ("declined", "declined")
    late = pair.decide(pair.state, "accepted")
    assert late.status_code == 409, late.text
    assert f"the request {pair.request['id']} was withdrawn" in late.json()["detail"]
    assert pair.current()["status"] == "declined"
    activities = api.client.get("/api/v1/activities", headers=api.staff).json()["items"]
    assert [a for a in activities if a["match_id"] == pair.match["id"]] == []
    assert api.client.get(request_url, headers=api.staff).json()["status"] == "withdrawn"
    entries = api.client.get(
        f"/api/v1/audit?entity_type=match&entity_id={pair.match['id']}", headers=api.staff
    ).json()["items"]
    assert sorted(e["action"] for e in entries) == ["accept", "create", "decline", "propose"]
    told = [n for n in _notices(api, pair.provider) if n["kind"] == "match_answered"]
    assert told[0]["params"]["ended"] == "request_withdrawn"
    assert "The request was withdrawn, which ended the proposal." in told[0]["text"]


@pytest.mark.dialects
def test_closing_the_offer_ends_its_proposals(api: ApiFactory) -> None:
    pair = Pair(api)
    pair.propose()
    offer_url = f"/api/v1/offers/{pair.offer['id']}"
    version = api.client.get(offer_url, headers=pair.provider).json()["version"]
    closed = api.client.patch(
        offer_url, json={"status": "closed", "version": version}, headers=pair.provider
    )
    assert closed.status_code == 200, closed.text

    ended = pair.current()
    assert (ended["status"], ended["provider_decision"]) == ("declined", "declined")
    for party in (pair.state, pair.provider):
        late = pair.decide(party, "accepted")
        assert late.status_code == 409, late.text
        assert f"the offer {pair.offer['id']} was closed" in late.json()["detail"]
    told = [n for n in _notices(api, pair.state) if n["kind"] == "match_answered"]
    assert told[0]["params"]["ended"] == "offer_closed"


def test_the_agreement_names_the_provider_whoever_accepts_last(api: ApiFactory) -> None:
    """The State's acceptance may be the one that agrees: the activity still lists the
    provider (from the match, not from the State)."""
    pair = Pair(api)
    pair.propose()
    pair.decide(pair.provider, "accepted").raise_for_status()
    agreed = pair.decide(pair.state, "accepted")
    assert agreed.status_code == 200, agreed.text
    assert agreed.json()["status"] == "agreed"
    activities = api.client.get("/api/v1/activities", headers=pair.state).json()["items"]
    activity = next(a for a in activities if a["match_id"] == pair.match["id"])
    assert activity["provider_ids"] == [pair.org["id"]]
