"""Codes in list filters are checked as codes in writes are: an unknown one is a 422 naming the
query parameter (never an empty or unfiltered list), the same on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from app.reference import cache
from app.reference.models import Country, Theme
from tests.support.factories import ApiFactory

pytestmark = pytest.mark.dialects

UNKNOWN = [
    ("/api/v1/recommendations", "state", "ZZZ"),
    ("/api/v1/recommendations", "theme", "zzz"),
    ("/api/v1/recommendations", "group", "zzz"),
    ("/api/v1/recommendations", "sdg", "99"),
    ("/api/v1/recommendations", "recommending_state", "ZZZ"),
    ("/api/v1/requests", "state", "ZZZ"),
    ("/api/v1/requests", "theme", "zzz"),
    ("/api/v1/requests", "assistance_type", "zzz"),
    ("/api/v1/requests", "language", "xx"),
    ("/api/v1/offers", "theme", "zzz"),
    ("/api/v1/offers", "assistance_type", "zzz"),
    ("/api/v1/offers", "language", "xx"),
    ("/api/v1/offers", "country", "ZZZ"),
    ("/api/v1/offers", "region", "zzz"),
    ("/api/v1/offers", "covers", "ZZZ"),
    ("/api/v1/activities", "state", "ZZZ"),
    ("/api/v1/activities", "theme", "zzz"),
    ("/api/v1/organizations", "country", "ZZZ"),
    ("/api/v1/countries", "region", "zzz"),
    ("/api/v1/matching/proactive", "state", "ZZZ"),
    ("/api/v1/matching/proactive", "theme", "zzz"),
]
LISTS = sorted({path for path, _, _ in UNKNOWN})


def test_unknown_codes_in_filters_are_422_naming_the_parameter(api: ApiFactory) -> None:
    _assert_unknown_codes_refused(api)


def _assert_unknown_codes_refused(api: ApiFactory) -> None:
    for path, name, value in UNKNOWN:
        response = api.client.get(path, params={name: value}, headers=api.staff)
        assert response.status_code == 422, (path, name, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["errors"][0]["field"] == name, (path, name)
        assert repr(value) in response.json()["detail"]


def test_known_codes_and_empty_values_filter_as_before(api: ApiFactory) -> None:
    themes = api.client.get("/api/v1/themes").json()
    known = {
        "state": "kaz",  # ISO3 codes in any case, as the filters compare them
        "theme": themes[0]["code"],
        "covers": "FRA",
        "region": api.client.get("/api/v1/regions").json()[0]["code"],
    }
    for path, name, _ in UNKNOWN:
        if name in known:
            response = api.client.get(path, params={name: known[name]}, headers=api.staff)
            assert response.status_code == 200, (path, name, response.text)
    for path in LISTS:
        if path != "/api/v1/matching/proactive":  # its theme, when given, is never empty
            assert api.client.get(f"{path}?theme=&q=", headers=api.staff).status_code == 200


def test_a_nul_character_in_a_query_is_422_on_every_backend(api: ApiFactory) -> None:
    for path in LISTS:
        response = api.client.get(f"{path}?q=%00", headers=api.staff)
        assert response.status_code == 422, (path, response.text)
        assert response.json()["errors"][0]["field"] == "q"


def test_once_the_reference_lists_are_cached_codes_are_checked_against_them(
    api: ApiFactory,
) -> None:
    # A known code is answered from the cached lists (no query, no worker thread); an unknown
    # one must still be a 422 then, and a list the cache does not hold yet is read first.
    theme = api.client.get("/api/v1/themes").json()[0]["code"]
    params = {"state": "KAZ", "theme": theme, "recommending_state": "FRA"}
    for _ in range(2):  # the first fills the cache, the second is answered from it
        response = api.client.get("/api/v1/recommendations", params=params)
        assert response.status_code == 200, response.text
    with api.session() as session:
        assert cache.is_known(session, Country, "KAZ")
        assert cache.is_known(session, Theme, theme)
        assert not cache.is_known(session, Country, "ZZZ")
    _assert_unknown_codes_refused(api)
    response = api.client.get("/api/v1/recommendations", params={"state": "KAZ", "theme": "zzz"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "theme"
