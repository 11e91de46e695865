"""No N+1 queries: a list costs the same number of SQL statements for 2 items as for 20."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from tests.support.factories import ApiFactory


@contextmanager
def counting(client: TestClient) -> Iterator[Callable[[], int]]:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    count = 0

    def on_execute(*_args: object, **_kwargs: object) -> None:
        nonlocal count
        count += 1

    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        yield lambda: count
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)


def _world(api: ApiFactory, size: int, request_id: int | None = None) -> int:
    org = api.organization()
    if request_id is None:
        request_id = api.request("KAZ", status="open", themes=["torture"])["id"]
    for _ in range(size):
        rec = api.recommendation("KAZ", themes=["torture", "nhri"])
        offer = api.offer(org["id"], regions=["m49-143"], languages=["ru", "en"])
        api.match(request_id, offer["id"])
        api.request("KAZ", status="open", recommendation_ids=[rec["id"]], consent_to_publish=True)
        api.activity("KAZ", provider_ids=[org["id"]], recommendation_ids=[rec["id"]])
    return int(request_id)


def _statements(api: ApiFactory, path: str) -> int:
    with counting(api.client) as count:
        response = api.client.get(path, headers=api.staff)
        assert response.status_code == 200, response.text
        return count()


PATHS = [
    "/api/v1/recommendations?limit=200",
    "/api/v1/requests?limit=200",
    "/api/v1/offers?limit=200",
    "/api/v1/matches?limit=200",
    "/api/v1/activities?limit=200",
    "/api/v1/requests/{request_id}/matches?limit=200",
]


@pytest.mark.parametrize("path", PATHS)
def test_lists_cost_a_constant_number_of_queries(api: ApiFactory, path: str) -> None:
    request_id = _world(api, 2)
    small = _statements(api, path.format(request_id=request_id))
    _world(api, 18, request_id)
    large = _statements(api, path.format(request_id=request_id))
    assert large == small, f"{path}: {small} statements for a few rows, {large} for many"
