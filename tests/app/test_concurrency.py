"""Many concurrent writers against a running server: no lost update, no duplicate, no illegal
state. Runs on SQLite and, when its URL is set, PostgreSQL."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx2 as httpx
import pytest

from tests.support.factories import ApiFactory
from tests.support.server import Server, env_for

pytestmark = pytest.mark.dialects
WRITERS = 12

# Every request of a race at once in the server (the request lines let two through by
# default): the invariants must not rest on the lines.
RACERS = "32"


@pytest.fixture
def server(db_url: str) -> Iterator[str]:
    running = Server(
        db_url, env=env_for(db_url, UPRTC_LOG_LEVEL="WARNING", UPRTC_CONCURRENCY=RACERS)
    )
    try:
        yield running.base
    finally:
        running.stop()


def _at_once(call: Callable[[int], httpx.Response], n: int = WRITERS) -> list[httpx.Response]:
    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(call, range(n)))


def _statuses(responses: list[httpx.Response]) -> Counter[int]:
    return Counter(r.status_code for r in responses)


def test_concurrent_edits_of_one_request_one_wins_none_lost(api: ApiFactory, server: str) -> None:
    request = api.request("KAZ", title="Original")
    url = f"{server}/api/v1/requests/{request['id']}"

    def edit(i: int) -> httpx.Response:
        body = {"title": f"Edit {i}", "version": request["version"]}
        return httpx.patch(url, json=body, headers=api.staff, timeout=60)

    responses = _at_once(edit)
    statuses = _statuses(responses)
    assert statuses[200] == 1, statuses
    assert statuses[200] + statuses[409] == WRITERS, statuses
    winner = next(r for r in responses if r.status_code == 200).json()
    final = httpx.get(url, headers=api.staff).json()
    assert final["title"] == winner["title"]
    assert final["version"] == request["version"] + 1
    for loser in (r for r in responses if r.status_code == 409):
        assert loser.headers["content-type"] == "application/problem+json"


def test_concurrent_pairing_creates_one_match(api: ApiFactory, server: str) -> None:
    request, offer = api.request("KAZ", status="open"), api.offer()

    def pair(_i: int) -> httpx.Response:
        body = {"request_id": request["id"], "offer_id": offer["id"], "score": 0.5}
        return httpx.post(f"{server}/api/v1/matches", json=body, headers=api.staff, timeout=60)

    statuses = _statuses(_at_once(pair))
    assert statuses[201] == 1, statuses
    assert statuses[409] == WRITERS - 1, statuses
    listed = api.client.get(f"/api/v1/matches?request_id={request['id']}", headers=api.staff).json()
    assert listed["total"] == 1


def test_concurrent_review_of_one_match_leaves_a_legal_state(api: ApiFactory, server: str) -> None:
    request, offer = api.request("KAZ", status="open"), api.offer()
    match = api.match(request["id"], offer["id"])
    url = f"{server}/api/v1/matches/{match['id']}"

    def act(i: int) -> httpx.Response:
        if i % 2:
            return httpx.post(f"{url}/propose", json={"version": 1}, headers=api.staff, timeout=60)
        body: dict[str, Any] = {"version": 1, "reason": f"Rejected by reviewer {i}"}
        return httpx.post(f"{url}/reject", json=body, headers=api.staff, timeout=60)

    responses = _at_once(act)
    statuses = _statuses(responses)
    assert statuses[200] == 1, statuses
    assert statuses[409] == WRITERS - 1, statuses
    final = httpx.get(url, headers=api.staff).json()
    assert final["version"] == 2
    assert final["status"] in ("proposed", "rejected")
    entries = api.client.get(
        f"/api/v1/audit?entity_type=match&entity_id={match['id']}", headers=api.staff
    ).json()["items"]
    action = {"proposed": "propose", "rejected": "reject"}[final["status"]]
    assert sorted(e["action"] for e in entries) == ["create", action]


def test_concurrent_matching_runs_leave_one_row_per_pair(api: ApiFactory, server: str) -> None:
    for _ in range(3):
        api.request("KAZ", status="open", themes=["torture"])
        api.offer()

    def run(_i: int) -> httpx.Response:
        return httpx.post(f"{server}/api/v1/matching/run", json={}, headers=api.staff, timeout=120)

    statuses = _statuses(_at_once(run, 4))
    assert statuses[200] >= 1, statuses
    assert set(statuses) <= {200, 409}, statuses
    matches = api.client.get("/api/v1/matches?limit=200", headers=api.staff).json()["items"]
    pairs = [(m["request_id"], m["offer_id"]) for m in matches]
    assert len(pairs) == len(set(pairs)) == 9
