"""Hostile input: control characters, huge numbers, markup and mixed scripts."""

from __future__ import annotations

import pytest

from tests.support.factories import ApiFactory


@pytest.mark.parametrize("title", ["NUL\x00inside", "bell\x07", "escape\x1b[31m", "del\x7f"])
def test_control_characters_are_refused_naming_the_field(api: ApiFactory, title: str) -> None:
    response = api.client.post(
        "/api/v1/requests", json={"state": "KAZ", "title": title}, headers=api.staff
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "title"
    assert "control characters" in response.json()["detail"]


def test_control_characters_in_lists_are_refused(api: ApiFactory) -> None:
    response = api.client.post(
        "/api/v1/requests",
        json={"state": "KAZ", "title": "ok", "themes": ["torture\x00"]},
        headers=api.staff,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"].startswith("themes")


def test_tabs_and_new_lines_are_kept(api: ApiFactory) -> None:
    created = api.request("KAZ", title="Plan", description="Line one\n\tLine two\r\n")
    assert created["description"] == "Line one\n\tLine two"


def test_nul_in_a_query_is_a_422_naming_it(api: ApiFactory) -> None:
    response = api.client.get("/api/v1/recommendations", params={"q": "a\x00b"})
    assert response.status_code in (200, 422)
    if response.status_code == 422:  # PostgreSQL cannot compare with NUL; SQLite can
        assert response.json()["errors"][0]["field"] == "q"


def test_huge_ids_are_a_422_or_404_never_a_500(api: ApiFactory) -> None:
    huge = 2**63
    for path in (f"/api/v1/organizations/{huge}", f"/api/v1/requests/{huge}"):
        response = api.client.get(path, headers=api.staff)
        assert response.status_code in (404, 422), response.text
        assert response.headers["content-type"] == "application/problem+json"


def test_markup_and_mixed_scripts_round_trip_verbatim(api: ApiFactory) -> None:
    title = "<script>alert(1)</script> ' OR 1=1; -- Права человека 人权 حقوق الإنسان \u202e"
    created = api.request("KAZ", title=title)
    again = api.client.get(f"/api/v1/requests/{created['id']}", headers=api.staff).json()
    assert again["title"] == title.strip()
