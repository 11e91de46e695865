"""A request and an offer that the matcher pairs well (Kazakhstan's national preventive
mechanism, a detention-monitoring training in Russian), made through the HTTP API; tests that
exercise matching and its review start from them and change what they test."""

from __future__ import annotations

from typing import Any

from tests.support.factories import ApiFactory

NPM_REQUEST = {
    "status": "open",
    "title": "Setting up a national preventive mechanism",
    "description": "Training for the new national preventive mechanism on detention visits",
    "themes": ["torture"],
    "languages": ["ru"],
}
NPM_OFFER = {
    "title": "Detention monitoring training for preventive mechanisms",
    "description": "Workshops on visiting places of detention, in Russian",
    "countries": ["KAZ"],
    "themes": ["torture"],
    "languages": ["ru"],
    "status": "active",
}


def npm_request(api: ApiFactory, state: str = "KAZ", **fields: Any) -> Any:
    """An open request of `state` for a national preventive mechanism (fields override)."""
    return api.request(state, **{**NPM_REQUEST, **fields})


def npm_offer(api: ApiFactory, **fields: Any) -> Any:
    """An active offer for Kazakhstan on torture prevention, in Russian (fields override)."""
    return api.offer(**{**NPM_OFFER, **fields})


def run_matching(api: ApiFactory) -> None:
    response = api.client.post("/api/v1/matching/run", json={}, headers=api.staff)
    assert response.status_code == 200, response.text
