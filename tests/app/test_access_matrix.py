"""Who may do what: every role, endpoint and ownership cell, and lists that never leak.

One shared world per backend: two States (KAZ, FRA), two providers (A, B), and records in every
state of consent and review. Each cell states the expected HTTP status."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.access import PRINCIPALS, World, build_access_world, row
from tests.support.factories import ApiFactory

pytestmark = pytest.mark.dialects


@pytest.fixture(scope="module")
def world(module_api: ApiFactory) -> World:
    return build_access_world(module_api)


ALL_200 = "*=200"
STAFF_ONLY_WRITE = "anon=401 admin=200 staff=200 *=403"

# (method, path, body, expected statuses)
CELLS: list[tuple[str, str, Any, str]] = [
    # reference data and recommendations are public
    ("GET", "/countries/KAZ", None, ALL_200),
    ("GET", "/regions/m49-143", None, ALL_200),
    ("GET", "/themes", None, ALL_200),
    ("GET", "/recommendations/{rec_kaz}", None, ALL_200),
    ("GET", "/recommendations", None, ALL_200),
    ("PATCH", "/recommendations/{rec_kaz}", {"implementation_status": "unknown"}, STAFF_ONLY_WRITE),
    ("POST", "/recommendations", {"state": "KAZ"}, "anon=401 admin=422 staff=422 *=403"),
    ("DELETE", "/recommendations/{rec_fra}", None, "anon=401 admin=409 staff=409 *=403"),
    # organizations: public read; staff create; staff or the provider itself edit
    ("GET", "/organizations/{org_a}", None, ALL_200),
    ("POST", "/organizations", {"name": ""}, "anon=401 admin=422 staff=422 *=403"),
    (
        "PATCH",
        "/organizations/{org_a}",
        {"description": "x"},
        "anon=401 admin=200 staff=200 prov_a=200 *=403",
    ),
    ("DELETE", "/organizations/{org_b}", None, "anon=401 admin=409 staff=409 *=403"),
    # requests: unpublished ones only to their State (and staff); published to all
    ("GET", "/requests/{req_kaz_pub}", None, ALL_200),
    ("GET", "/requests/{req_kaz_draft}", None, "admin=200 staff=200 kaz=200 *=404"),
    ("GET", "/requests/{req_kaz_draft_consent}", None, "admin=200 staff=200 kaz=200 *=404"),
    (
        "GET",
        "/requests/{req_kaz_proposed}",
        None,
        "admin=200 staff=200 kaz=200 prov_a=200 *=404",
    ),
    ("GET", "/requests/{req_fra_open}", None, "admin=200 staff=200 fra=200 *=404"),
    (
        "PATCH",
        "/requests/{req_kaz_pub}",
        {"title": "KAZ published"},
        "anon=401 admin=200 staff=200 kaz=200 *=403",
    ),
    (
        "PATCH",
        "/requests/{req_kaz_draft}",
        {"title": "KAZ secret draft zebra"},
        "anon=401 admin=200 staff=200 kaz=200 fra=404 *=403",
    ),
    (
        "DELETE",
        "/requests/{req_kaz_pub}",
        None,
        "anon=401 admin=409 staff=409 kaz=403 fra=403 *=403",
    ),
    ("POST", "/requests", {"title": ""}, "anon=401 prov_a=403 prov_b=403 *=422"),
    (
        "POST",
        "/requests",
        {"state": "FRA", "title": "t"},
        "anon=401 admin=201 staff=201 fra=201 *=403",
    ),
    # offers: active ones public; others only to their provider and staff
    ("GET", "/offers/{offer_a_active}", None, ALL_200),
    ("GET", "/offers/{offer_a_draft}", None, "admin=200 staff=200 prov_a=200 *=404"),
    ("GET", "/offers/{offer_b_paused}", None, "admin=200 staff=200 prov_b=200 *=404"),
    (
        "PATCH",
        "/offers/{offer_a_active}",
        {"title": "A active"},
        "anon=401 admin=200 staff=200 prov_a=200 *=403",
    ),
    (
        "PATCH",
        "/offers/{offer_b_paused}",
        {"title": "B paused zebra"},
        "anon=401 admin=200 staff=200 prov_b=200 prov_a=404 *=403",
    ),
    ("DELETE", "/offers/{offer_a_active}", None, "anon=401 admin=409 staff=409 prov_a=409 *=403"),
    ("POST", "/offers", {"title": ""}, "anon=401 kaz=403 fra=403 *=422"),
    (
        "POST",
        "/offers",
        {"organization_id": "{org_b}", "title": "t", "is_global": True},
        "anon=401 admin=201 staff=201 prov_b=201 *=403",
    ),
    # matches: staff only until proposed; then the State and the provider concerned
    ("GET", "/matches", None, "anon=401 *=200"),
    ("GET", "/matches/{match_suggested}", None, "anon=401 admin=200 staff=200 *=404"),
    (
        "GET",
        "/matches/{match_proposed}",
        None,
        "anon=401 admin=200 staff=200 kaz=200 prov_a=200 *=404",
    ),
    ("PATCH", "/matches/{match_suggested}", {"reason": "r"}, "anon=401 admin=200 staff=200 *=403"),
    ("PATCH", "/matches/{match_proposed}", {"reason": "r"}, "anon=401 admin=200 staff=200 *=403"),
    ("POST", "/matches", {"request_id": 0}, "anon=401 admin=422 staff=422 *=403"),
    # (DELETE /matches is covered in tests/app/matches: a success would change this world.)
    (
        "GET",
        "/requests/{req_kaz_proposed}/matches",
        None,
        "anon=401 admin=200 staff=200 kaz=200 prov_a=200 *=404",
    ),
    # a request's matches: 404 when the caller may not see the request, even an empty list
    (
        "GET",
        "/requests/{req_kaz_draft}/matches",
        None,
        "anon=401 admin=200 staff=200 kaz=200 *=404",
    ),
    ("GET", "/requests/{req_kaz_pub}/matches", None, "anon=401 *=200"),
    ("GET", "/requests/999999/matches", None, "anon=401 *=404"),
    ("GET", "/offers/{offer_a_active}/matches", None, "anon=401 *=200"),
    (
        "GET",
        "/offers/{offer_a_draft}/matches",
        None,
        "anon=401 admin=200 staff=200 prov_a=200 *=404",
    ),
    ("GET", "/offers/999999/matches", None, "anon=401 *=404"),
    (
        "POST",
        "/matches/{match_suggested}/propose",
        {"version": 0},
        "anon=401 admin=409 staff=409 *=403",
    ),
    (
        "POST",
        "/matches/{match_proposed}/reject",
        {"reason": "r", "version": 0},
        "anon=401 admin=409 staff=409 *=403",
    ),
    (
        "POST",
        "/matches/{match_proposed}/decision",
        {"decision": "maybe"},
        "anon=401 fra=404 prov_b=404 *=422",
    ),
    (
        "POST",
        "/matches/{match_proposed}/decision",
        {"decision": "accepted", "version": 0},
        "anon=401 admin=422 staff=422 kaz=409 prov_a=409 *=404",
    ),
    # matching and coordination are OHCHR's tools (a run for no request changes nothing)
    ("POST", "/matching/run", {"request_ids": [999999]}, STAFF_ONLY_WRITE),
    ("POST", "/matching/assignment", {"apply": False}, STAFF_ONLY_WRITE),
    ("GET", "/matching/duplications", None, STAFF_ONLY_WRITE),
    ("GET", "/matching/gaps", None, STAFF_ONLY_WRITE),
    ("GET", "/matching/proactive", None, STAFF_ONLY_WRITE),
    (
        "GET",
        "/matching/explain?request_id={req_kaz_draft}&offer_id={offer_b_paused}",
        None,
        STAFF_ONLY_WRITE,
    ),
    # activities: unpublished ones to their State, their providers and staff
    ("GET", "/activities/{act_fra_pub}", None, ALL_200),
    (
        "GET",
        "/activities/{act_kaz_private}",
        None,
        "admin=200 staff=200 kaz=200 prov_a=200 *=404",
    ),
    ("GET", "/activities/{act_fra_private}", None, "admin=200 staff=200 fra=200 *=404"),
    (
        "PATCH",
        "/activities/{act_kaz_private}",
        {"title": "KAZ private zebra"},
        # its provider carries it too; another provider does not see it
        "anon=401 admin=200 staff=200 kaz=200 prov_a=200 fra=404 prov_b=404 *=403",
    ),
    (
        "PATCH",
        "/activities/{act_fra_pub}",
        {"title": "FRA public"},
        "anon=401 admin=200 staff=200 fra=200 kaz=403 *=403",
    ),
    ("POST", "/activities", {"state": "FRA", "title": ""}, "anon=401 prov_a=403 prov_b=403 *=422"),
    # each user's own notifications; the email outbox is for OHCHR
    ("GET", "/notifications", None, "anon=401 *=200"),
    ("POST", "/notifications/read", None, "anon=401 *=200"),
    ("POST", "/notifications/999999/read", None, "anon=401 *=404"),
    ("GET", "/notifications/outbox", None, "anon=401 admin=200 staff=200 *=403"),
    ("POST", "/notifications/outbox/999999/retry", None, "anon=401 admin=404 staff=404 *=403"),
    # the audit log and the annual report are for OHCHR
    ("GET", "/audit", None, "anon=401 admin=200 staff=200 *=403"),
    ("GET", "/reports/annual?year=2026&format=json", None, "anon=401 admin=200 staff=200 *=403"),
    ("GET", "/me", None, ALL_200),
]


def _cell_id(cell: tuple[str, str, Any, str]) -> str:
    method, path, body, _ = cell
    return f"{method} {path} {body or ''}".strip()


@pytest.mark.parametrize("cell", CELLS, ids=[_cell_id(c) for c in CELLS])
def test_role_endpoint_ownership_cell(world: World, cell: tuple[str, str, Any, str]) -> None:
    method, path, body, expected = cell
    if isinstance(body, dict):
        body = {
            k: (v.format(**world.ids) if isinstance(v, str) and "{" in v else v)
            for k, v in body.items()
        }
        body = {
            k: int(v) if k.endswith("_id") and isinstance(v, str) else v for k, v in body.items()
        }
    wanted = row(expected)
    # DELETE that succeeds would change the world: try the successful ones last, once.
    order = sorted(PRINCIPALS, key=lambda who: wanted[who] in (200, 204))
    got = {}
    for who in order:
        response = world.call(method, path, who, body)
        got[who] = response.status_code
        if response.status_code >= 400:
            assert response.headers["content-type"] == "application/problem+json", response.text
        if method == "POST" and response.status_code == 201:
            _undo_create(world, path, response.json()["id"])
    assert got == wanted


def _undo_create(world: World, path: str, new_id: int) -> None:
    response = world.call("DELETE", f"{path}/{new_id}", "admin")
    assert response.status_code == 204, response.text


# Who sees which records in lists and search (names from the world).
VISIBLE: dict[str, dict[str, set[str]]] = {
    "requests": {
        "anon": {"req_kaz_pub", "req_fra_pub"},
        "kaz": {
            "req_kaz_pub",
            "req_fra_pub",
            "req_kaz_draft",
            "req_kaz_draft_consent",
            "req_kaz_proposed",
        },
        "fra": {"req_kaz_pub", "req_fra_pub", "req_fra_open"},
        "prov_a": {"req_kaz_pub", "req_fra_pub", "req_kaz_proposed"},
        "prov_b": {"req_kaz_pub", "req_fra_pub"},
    },
    "offers": {
        "anon": {"offer_a_active", "offer_b_active"},
        "kaz": {"offer_a_active", "offer_b_active"},
        "fra": {"offer_a_active", "offer_b_active"},
        "prov_a": {"offer_a_active", "offer_b_active", "offer_a_draft"},
        "prov_b": {"offer_a_active", "offer_b_active", "offer_b_paused"},
    },
    "activities": {
        "anon": {"act_fra_pub"},
        "kaz": {"act_fra_pub", "act_kaz_private"},
        "fra": {"act_fra_pub", "act_fra_private"},
        "prov_a": {"act_fra_pub", "act_kaz_private"},
        "prov_b": {"act_fra_pub"},
    },
    "matches": {
        "kaz": {"match_proposed"},
        "fra": set(),
        "prov_a": {"match_proposed"},
        "prov_b": set(),
    },
}


def _names(world: World, resource: str, ids: set[int]) -> set[str]:
    prefix = {"requests": "req_", "offers": "offer_", "activities": "act_", "matches": "match_"}
    return {
        name
        for name, value in world.ids.items()
        if name.startswith(prefix[resource]) and value in ids
    }


@pytest.mark.parametrize(
    ("resource", "who"),
    [(r, who) for r, table in VISIBLE.items() for who in table],
)
def test_lists_show_exactly_what_the_caller_may_see(world: World, resource: str, who: str) -> None:
    response = world.call("GET", f"/{resource}?limit=200", who)
    assert response.status_code == 200
    body = response.json()
    ids = {item["id"] for item in body["items"]}
    assert _names(world, resource, ids) == VISIBLE[resource][who]
    assert body["total"] == len(ids)


@pytest.mark.parametrize("who", ["anon", "kaz", "fra", "prov_a", "prov_b"])
@pytest.mark.parametrize("resource", ["requests", "offers", "activities"])
def test_search_never_leaks_unpublished_records(world: World, resource: str, who: str) -> None:
    """Every unpublished record has 'zebra' in its title; search finds only the visible ones."""
    response = world.call("GET", f"/{resource}?q=zebra&limit=200", who)
    assert response.status_code == 200
    found = _names(world, resource, {item["id"] for item in response.json()["items"]})
    assert found <= VISIBLE[resource][who]
    zebras = {
        name
        for name in VISIBLE[resource][who]
        if "zebra" in world.call("GET", f"/{resource}/{{{name}}}", "staff").json()["title"]
    }
    assert found == zebras


def test_staff_list_everything(world: World) -> None:
    for resource, prefix in (("requests", "req_"), ("offers", "offer_"), ("activities", "act_")):
        response = world.call("GET", f"/{resource}?limit=200", "staff")
        all_names = {n for n in world.ids if n.startswith(prefix)}
        assert _names(world, resource, {i["id"] for i in response.json()["items"]}) == all_names
