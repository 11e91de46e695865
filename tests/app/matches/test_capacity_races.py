"""An offer's places under concurrent review, against a running server: proposals sent at the
same moment, and the parties' acceptances that agree matches at the same moment, never hold more
places than the offer has. One server and one database per module; each round has an offer of
its own. Runs on SQLite and, when its URL is set, PostgreSQL."""

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


@pytest.fixture(scope="module")
def server(module_db_url: str) -> Iterator[str]:
    running = Server(module_db_url, env=env_for(module_db_url, UPRTC_LOG_LEVEL="WARNING"))
    try:
        yield running.base
    finally:
        running.stop()


class Round:
    """A provider's offer and CONTENDERS open requests of Kazakhstan paired with it."""

    def __init__(self, api: ApiFactory, capacity: int) -> None:
        self.api = api
        self.org = api.organization()
        self.offer = api.offer(self.org["id"], capacity=capacity)
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
    oversold = []
    for number in range(ROUNDS):
        race = Round(module_api, capacity=1)
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
    oversold = []
    try:
        for number in range(ROUNDS):
            race = Round(module_api, capacity=CONTENDERS)
            state = module_api.state("KAZ")
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
            provider = module_api.provider(race.org["id"])
            body = {"decision": "accepted", "version": 3}
            answers = race.at_once(server, "decision", body, provider)
            held = race.statuses()
            activities = module_api.client.get(
                f"/api/v1/activities?provider_id={race.org['id']}", headers=module_api.staff
            ).json()["total"]
            if answers != {200: 1, 409: CONTENDERS - 1} or held["agreed"] != 1 or activities != 1:
                oversold.append((number, dict(answers), dict(held), activities))
    finally:
        engine.dispose()
    assert not oversold, f"{len(oversold)} of {ROUNDS} rounds went wrong: {oversold}"
