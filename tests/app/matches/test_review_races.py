"""Matches under concurrent review, against a running server (one server and one database per
module; each round has an offer of its own). Proposals sent at the same moment, and the
parties' acceptances that agree matches at the same moment, never hold more places than the
offer has; a request withdrawn while the last acceptance arrives is never agreed. Runs on
SQLite and, when its URL is set, PostgreSQL."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx2 as httpx
import pytest
from sqlalchemy import text

from app.db.session import create_db_engine
from tests.support.factories import ApiFactory
from tests.support.server import Server, env_for

pytestmark = pytest.mark.dialects
ROUNDS = 20
CONTENDERS = 4  # matches of one offer answered at the same moment

# Every request of a race at once in the server (the request lines let two through by
# default): the invariants must not rest on the lines.
RACERS = "32"


@pytest.fixture(scope="module")
def server(module_db_url: str) -> Iterator[str]:
    running = Server(
        module_db_url,
        env=env_for(module_db_url, UPRTC_LOG_LEVEL="WARNING", UPRTC_CONCURRENCY=RACERS),
    )
    try:
        yield running.base
    finally:
        running.stop()


class Round:
    """A new offer of `org` paired with CONTENDERS open requests of Kazakhstan (`requests`, or
    new ones)."""

    def __init__(
        self, api: ApiFactory, org: Any, capacity: int, requests: list[Any] | None = None
    ) -> None:
        self.api = api
        self.offer = api.offer(org["id"], capacity=capacity)
        if requests is None:
            requests = [api.request("KAZ", status="open") for _ in range(CONTENDERS)]
        self.matches = [api.match(r["id"], self.offer["id"]) for r in requests]

    def at_once(
        self, server: str, action: str, body: dict[str, Any], headers: dict[str, str]
    ) -> Counter[int]:
        """POST `action` on every match of the round at the same moment (`body` holds the
        version each match is at)."""

        def call(match: Any) -> httpx.Response:
            url = f"{server}/api/v1/matches/{match['id']}/{action}"
            return httpx.post(url, json=body, headers=headers, timeout=60)

        with ThreadPoolExecutor(max_workers=CONTENDERS) as pool:
            responses = list(pool.map(call, self.matches))
        for refused in (r for r in responses if r.status_code == 409):
            assert "no place left" in refused.json()["detail"], refused.text
        return Counter(r.status_code for r in responses)

    def statuses(self) -> Counter[str]:
        listed = self.api.client.get(
            f"/api/v1/matches?offer_id={self.offer['id']}", headers=self.api.staff
        ).json()["items"]
        return Counter(m["status"] for m in listed)


def test_proposals_at_the_same_moment_take_one_place(module_api: ApiFactory, server: str) -> None:
    org = module_api.organization()
    # Proposals leave the requests open: each round pairs the same requests with a new offer.
    requests = [module_api.request("KAZ", status="open") for _ in range(CONTENDERS)]
    oversold = []
    for number in range(ROUNDS):
        race = Round(module_api, org, 1, requests)
        answers = race.at_once(server, "propose", {"version": 1}, module_api.staff)
        held = race.statuses()
        if answers != {200: 1, 409: CONTENDERS - 1} or held["proposed"] != 1:
            oversold.append((number, dict(answers), dict(held)))
    assert not oversold, f"{len(oversold)} of {ROUNDS} rounds went wrong: {oversold}"


def test_acceptances_at_the_same_moment_agree_one_match(
    module_api: ApiFactory, module_db_url: str, server: str
) -> None:
    """Proposals that oversold an offer before proposing was serialised (or its capacity cut
    by hand in the database) are still there: the acceptances that would agree them race for the
    one place, and only one becomes an agreement."""
    engine = create_db_engine(module_db_url)
    org = module_api.organization()
    state, provider = module_api.state("KAZ"), module_api.provider(org["id"])
    oversold = []
    try:
        for number in range(ROUNDS):
            # An agreement makes its request matched: each round has requests of its own.
            race = Round(module_api, org, CONTENDERS)
            for match in race.matches:
                url = f"/api/v1/matches/{match['id']}"
                module_api.client.post(
                    f"{url}/propose", json={"version": 1}, headers=module_api.staff
                ).raise_for_status()
                module_api.client.post(
                    f"{url}/decision", json={"decision": "accepted", "version": 2}, headers=state
                ).raise_for_status()
            with engine.begin() as connection:
                connection.execute(
                    text("UPDATE offers SET capacity = 1 WHERE id = :id"),
                    {"id": race.offer["id"]},
                )
            body = {"decision": "accepted", "version": 3}
            answers = race.at_once(server, "decision", body, provider)
            held = race.statuses()
            listed = module_api.client.get(
                f"/api/v1/activities?provider_id={org['id']}&limit=200", headers=module_api.staff
            ).json()["items"]
            ids = {m["id"] for m in race.matches}
            activities = sum(1 for a in listed if a["match_id"] in ids)
            if answers != {200: 1, 409: CONTENDERS - 1} or held["agreed"] != 1 or activities != 1:
                oversold.append((number, dict(answers), dict(held), activities))
    finally:
        engine.dispose()
    assert not oversold, f"{len(oversold)} of {ROUNDS} rounds went wrong: {oversold}"


def test_withdrawing_while_the_last_acceptance_arrives_never_agrees_a_withdrawn_request(
    module_api: ApiFactory, server: str
) -> None:
    """The State withdraws its request at the moment the provider's acceptance would agree the
    match: one of the two wins; the other is a 409; never an agreement on a withdrawn request."""
    org = module_api.organization()
    state, provider = module_api.state("KAZ"), module_api.provider(org["id"])
    wrong = []
    for number in range(ROUNDS // 2):
        request = module_api.request("KAZ", status="open")
        offer = module_api.offer(org["id"])
        match = module_api.match(request["id"], offer["id"])
        url = f"/api/v1/matches/{match['id']}"
        for body, who in (({}, module_api.staff), ({"decision": "accepted"}, state)):
            action = "propose" if who is module_api.staff else "decision"
            current = module_api.client.get(url, headers=module_api.staff).json()["version"]
            module_api.client.post(
                f"{url}/{action}", json={**body, "version": current}, headers=who
            ).raise_for_status()

        with ThreadPoolExecutor(max_workers=2) as pool:
            withdrawn = pool.submit(
                httpx.patch,
                f"{server}/api/v1/requests/{request['id']}",
                json={"status": "withdrawn", "version": request["version"]},
                headers=state,
                timeout=60,
            )
            accepted = pool.submit(
                httpx.post,
                f"{server}{url}/decision",
                json={"decision": "accepted", "version": 3},
                headers=provider,
                timeout=60,
            )
            answers = (withdrawn.result().status_code, accepted.result().status_code)
        final_request = module_api.client.get(
            f"/api/v1/requests/{request['id']}", headers=module_api.staff
        ).json()["status"]
        final_match = module_api.client.get(url, headers=module_api.staff).json()["status"]
        legal = {
            (200, 409): ("withdrawn", "declined"),
            (409, 200): ("matched", "agreed"),
        }
        if legal.get(answers) != (final_request, final_match):
            wrong.append((number, answers, final_request, final_match))
    assert not wrong, f"{len(wrong)} of {ROUNDS // 2} rounds went wrong: {wrong}"
