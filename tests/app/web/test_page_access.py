"""Who may open which page: every page route, role and ownership cell, and pages that never leak.

The world is the API access matrix's (two States KAZ and FRA, providers A and B, records in
every state of consent and review; every unpublished record has 'zebra' in its title), with one
signed-in browser session per principal. A page route missing from CELLS fails the test, so a
new page cannot skip this review."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from app.auth import service as auth_service
from app.auth.models import Role
from app.config import Settings
from app.db.session import create_db_engine, create_session_factory
from tests.support.access import PRINCIPALS, build_access_world, row
from tests.support.access import World as ApiWorld
from tests.support.factories import ApiFactory
from tests.support.web import PASSWORD, main_of, sign_in

pytestmark = pytest.mark.dialects

LOGIN = 303  # anonymous users are sent to the sign-in page


@dataclass
class PageWorld:
    api: ApiWorld
    app_client: TestClient
    cookies: dict[str, httpx.Cookies] = field(default_factory=dict)

    def get(self, path: str, who: str) -> httpx.Response:
        self.app_client.cookies = self.cookies[who]
        return self.app_client.get(path.format(**self.api.ids), follow_redirects=False)

    def title(self, name: str) -> str:
        plural = {"req": "requests", "offer": "offers", "act": "activities"}[name.split("_")[0]]
        response = self.api.call("GET", f"/{plural}/{{{name}}}", "staff")
        return str(response.json()["title"])


def _web_users(settings: Settings, ids: dict[str, int]) -> dict[str, str]:
    bindings = {
        "admin": (Role.admin, {}),
        "staff": (Role.staff, {}),
        "kaz": (Role.state, {"state_iso3": "KAZ"}),
        "fra": (Role.state, {"state_iso3": "FRA"}),
        "prov_a": (Role.provider, {"organization_id": ids["org_a"]}),
        "prov_b": (Role.provider, {"organization_id": ids["org_b"]}),
    }
    engine = create_db_engine(settings.database_url)
    with create_session_factory(engine)() as session:
        for who, (role, binding) in bindings.items():
            auth_service.create_user(
                session,
                name=f"page {who}",
                role=role,
                email=f"page-{who}@example.org",
                password=PASSWORD,
                state_iso3=binding.get("state_iso3"),  # type: ignore[arg-type]
                organization_id=binding.get("organization_id"),  # type: ignore[arg-type]
            )
        session.commit()
    engine.dispose()
    return {who: f"page-{who}@example.org" for who in bindings}


@pytest.fixture(scope="module")
def world(module_api: ApiFactory, module_db_url: str) -> PageWorld:
    api_world = build_access_world(module_api)
    _add_hostile_records(module_api, api_world.ids)
    pages = TestClient(
        module_api.client.app, base_url="https://testserver", raise_server_exceptions=False
    )
    built = PageWorld(api_world, pages, {"anon": httpx.Cookies()})
    settings = Settings(database_url=module_db_url, environment="test")
    for who, email in _web_users(settings, api_world.ids).items():
        pages.cookies = httpx.Cookies()
        assert sign_in(pages, email).status_code == 303
        built.cookies[who] = httpx.Cookies(pages.cookies)
    return built


ALL_200 = "*=200"
STATE_ONLY = f"anon={LOGIN} kaz=200 fra=200 *=403"
PROVIDER_ONLY = f"anon={LOGIN} prov_a=200 prov_b=200 *=403"
STAFF_ONLY = f"anon={LOGIN} admin=200 staff=200 *=403"

# (page, expected statuses); every GET page route appears at least once.
CELLS: list[tuple[str, str]] = [
    ("/", ALL_200),
    ("/metrics", ALL_200),  # Prometheus scrapes it; counts per route, no records
    ("/login", ALL_200),
    ("/language/fr?next=/", "*=303"),
    ("/recommendations", ALL_200),
    ("/recommendations?q=zebra&state=KAZ", ALL_200),
    ("/recommendations/{rec_kaz}", ALL_200),
    ("/offers", ALL_200),
    ("/offers?q=zebra", ALL_200),
    ("/offers/{offer_a_active}", ALL_200),
    ("/offers/{offer_a_draft}", "admin=200 staff=200 prov_a=200 *=404"),
    ("/offers/{offer_b_paused}", "admin=200 staff=200 prov_b=200 *=404"),
    ("/requests", ALL_200),
    ("/requests?q=zebra", ALL_200),
    ("/requests/{req_kaz_pub}", ALL_200),
    ("/requests/{req_kaz_draft}", "admin=200 staff=200 kaz=200 *=404"),
    ("/requests/{req_kaz_proposed}", "admin=200 staff=200 kaz=200 prov_a=200 *=404"),
    ("/requests/{req_fra_open}", "admin=200 staff=200 fra=200 *=404"),
    ("/activities", ALL_200),
    ("/activities?q=zebra", ALL_200),
    ("/activities/{act_fra_pub}", ALL_200),
    ("/activities/{act_kaz_private}", "admin=200 staff=200 kaz=200 prov_a=200 *=404"),
    ("/activities/{act_fra_private}", "admin=200 staff=200 fra=200 *=404"),
    # an activity is updated by its State, its providers and staff
    (
        "/activities/{act_kaz_private}/edit",
        f"anon={LOGIN} admin=200 staff=200 kaz=200 prov_a=200 *=404",
    ),
    ("/activities/{act_fra_pub}/edit", f"anon={LOGIN} admin=200 staff=200 fra=200 *=403"),
    ("/states", ALL_200),
    ("/states/KAZ", ALL_200),
    ("/states/FRA", ALL_200),
    ("/recommendations/{rec_hostile}", ALL_200),
    ("/offers/{offer_hostile}", ALL_200),
    ("/requests/{req_hostile}", ALL_200),
    ("/activities/{act_hostile}", ALL_200),
    ("/recommendations?q=OR+1%3D1", ALL_200),
    # a State focal point's area: its own requests and recommendations only
    ("/state", STATE_ONLY),
    ("/state/requests/new", STATE_ONLY),
    ("/state/requests/new?q=zebra", STATE_ONLY),
    ("/state/recommendations?q=OPCAT", STATE_ONLY),
    ("/state/requests/{req_kaz_draft}", f"anon={LOGIN} kaz=200 fra=404 *=403"),
    ("/state/requests/{req_kaz_pub}", f"anon={LOGIN} kaz=200 fra=404 *=403"),
    ("/state/requests/{req_fra_open}", f"anon={LOGIN} fra=200 kaz=404 *=403"),
    ("/state/requests/{req_kaz_draft}/edit", f"anon={LOGIN} kaz=200 fra=404 *=403"),
    ("/state/requests/{req_fra_open}/edit", f"anon={LOGIN} fra=200 kaz=404 *=403"),
    # a provider's area: its own organization's offers only
    ("/provider", PROVIDER_ONLY),
    ("/provider/offers/new", PROVIDER_ONLY),
    ("/provider/offers/{offer_a_active}", f"anon={LOGIN} prov_a=200 *=403"),
    ("/provider/offers/{offer_a_draft}", f"anon={LOGIN} prov_a=200 prov_b=404 *=403"),
    ("/provider/offers/{offer_b_paused}/edit", f"anon={LOGIN} prov_b=200 prov_a=404 *=403"),
    ("/provider/offers/{offer_a_active}/edit", f"anon={LOGIN} prov_a=200 *=403"),
    # OHCHR's area
    ("/staff", STAFF_ONLY),
    ("/staff?period=month", STAFF_ONLY),
    ("/staff/matches", STAFF_ONLY),
    ("/staff/matches?status=", STAFF_ONLY),
    ("/staff/matches/{match_suggested}", STAFF_ONLY),
    ("/staff/matches/{match_proposed}", STAFF_ONLY),
    ("/staff/assignment", STAFF_ONLY),
    ("/staff/duplications", STAFF_ONLY),
    ("/staff/gaps", STAFF_ONLY),
    ("/staff/gaps?by=hrc_group", STAFF_ONLY),
    ("/staff/matches?state=KAZ&theme=torture&sort=state&min_score=0.1&age=week", STAFF_ONLY),
    ("/staff/pairing", STAFF_ONLY),
    ("/staff/pairing?request_id={req_kaz_draft}&offer_id={offer_b_paused}", STAFF_ONLY),
    ("/staff/pairing?request_q=zebra&offer_q=zebra", STAFF_ONLY),
    ("/staff/proactive", STAFF_ONLY),
    ("/staff/proactive?state=KAZ&theme=torture", STAFF_ONLY),
    ("/staff/reports", STAFF_ONLY),
    ("/staff/reports/annual?year=1900&format=pdf", f"anon={LOGIN} admin=422 staff=422 *=403"),
    ("/staff/imports", STAFF_ONLY),
    ("/staff/imports/999999", f"anon={LOGIN} admin=404 staff=404 *=403"),
    ("/staff/audit", STAFF_ONLY),
    ("/staff/audit?entity_type=assistance_request&entity_id={req_kaz_draft}", STAFF_ONLY),
    ("/staff/users", STAFF_ONLY),
    ("/staff/users?role=state&active=yes&q=page", STAFF_ONLY),
    ("/staff/users/999999", f"anon={LOGIN} admin=404 staff=404 *=403"),
    # every signed-in user's own API tokens
    ("/account/tokens", f"anon={LOGIN} *=200"),
    ("/staff/outbox", STAFF_ONLY),
    ("/staff/outbox?status=sent", STAFF_ONLY),
    # every signed-in user's own notifications and account
    ("/notifications", f"anon={LOGIN} *=200"),
    ("/account", f"anon={LOGIN} *=200"),
]

# Which 'zebra' (unpublished) records each principal may see anywhere on a page.
MAY_SEE: dict[str, set[str]] = {
    "anon": set(),
    "kaz": {"req_kaz_draft", "req_kaz_draft_consent", "req_kaz_proposed", "act_kaz_private"},
    "fra": {"req_fra_open", "act_fra_private"},
    "prov_a": {"req_kaz_proposed", "offer_a_draft", "act_kaz_private"},
    "prov_b": {"offer_b_paused"},
}
UNPUBLISHED = (
    "req_kaz_draft",
    "req_kaz_draft_consent",
    "req_kaz_proposed",
    "req_fra_open",
    "offer_a_draft",
    "offer_b_paused",
    "act_kaz_private",
    "act_fra_private",
)


# Stored as typed, shown as text: never as markup, never as a formula.
HOSTILE = "<script>alert('x')</script><img src=x onerror=alert(1)> \"'&amp; Ωмир 中文 ' OR 1=1 --"
HOSTILE_FORMULA = '=HYPERLINK("http://evil.example","click")'
RAW_MARKUP = ("<script>alert(", "<img src=x onerror")


def _add_hostile_records(api: ApiFactory, ids: dict[str, int]) -> None:
    """Published records whose every free text is hostile, seen by every principal."""
    org = api.organization(name=f"Org {HOSTILE}", description=HOSTILE)["id"]
    rec = api.recommendation(state="KAZ", text=f"{HOSTILE_FORMULA} {HOSTILE}")["id"]
    offer = api.offer(org, title=f"{HOSTILE_FORMULA} offer {HOSTILE}", description=HOSTILE)["id"]
    request = api.request(
        "KAZ",
        title=f"{HOSTILE_FORMULA} request {HOSTILE}",
        description=HOSTILE,
        status="open",
        consent_to_publish=True,
        recommendation_ids=[rec],
    )["id"]
    activity = api.activity(
        "KAZ",
        title=f"{HOSTILE_FORMULA} activity {HOSTILE}",
        description=HOSTILE,
        consent_to_publish=True,
        provider_ids=[org],
    )["id"]
    ids.update(
        org_hostile=org,
        rec_hostile=rec,
        offer_hostile=offer,
        req_hostile=request,
        act_hostile=activity,
    )


def _route_template(path: str) -> str:
    return path.split("?", 1)[0]


def _page_routes(routes: list[Any]) -> Iterator[str]:
    """GET routes outside the OpenAPI schema (pages), through included routers."""
    for route in routes:
        contexts = getattr(route, "effective_route_contexts", None)
        candidates = list(contexts()) if contexts else [route]
        for candidate in candidates:
            methods = getattr(candidate, "methods", None) or set()
            if getattr(candidate, "include_in_schema", True) is False and "GET" in methods:
                yield candidate.path


def test_every_page_route_is_in_the_matrix(world: PageWorld) -> None:
    page_routes = set(_page_routes(world.app_client.app.routes))  # type: ignore[attr-defined]
    page_routes -= {"/docs", "/redoc", "/openapi.json", "/docs/oauth2-redirect"}
    assert "/recommendations/{recommendation_id}" in page_routes
    covered = {
        route
        for route in page_routes
        for path, _ in CELLS
        if _same_shape(route, _route_template(path))
    }
    assert page_routes - covered == set(), "page routes without an access cell"


def _same_shape(route: str, path: str) -> bool:
    route_parts, path_parts = route.strip("/").split("/"), path.strip("/").split("/")
    return len(route_parts) == len(path_parts) and all(
        r == p or r.startswith("{") for r, p in zip(route_parts, path_parts, strict=True)
    )


@pytest.mark.parametrize(("path", "expected"), CELLS, ids=[c[0] for c in CELLS])
def test_page_role_ownership_cell(world: PageWorld, path: str, expected: str) -> None:
    wanted = row(expected)
    got = {who: world.get(path, who).status_code for who in PRINCIPALS}
    assert got == wanted
    if wanted["anon"] == LOGIN and 403 in wanted.values():
        location = world.get(path, "anon").headers["location"]
        assert location.startswith("/login?next=")


@pytest.mark.parametrize("who", sorted(MAY_SEE))
def test_no_page_shows_an_unpublished_record_to_others(world: PageWorld, who: str) -> None:
    hidden = {world.title(name): name for name in UNPUBLISHED if name not in MAY_SEE[who]}
    for path, expected in CELLS:
        if row(expected)[who] != 200:
            continue
        page = world.get(path, who).text
        page = main_of(page) if '<main id="main"' in page else page
        leaked = {name for title, name in hidden.items() if title in page}
        assert not leaked, f"{path} shows {who} {leaked}"


@pytest.mark.parametrize("who", PRINCIPALS)
def test_hostile_text_is_shown_as_text_on_every_page(world: PageWorld, who: str) -> None:
    shown = 0
    for path, expected in CELLS:
        if row(expected)[who] != 200:
            continue
        for partial in (False, True):  # htmx asks for fragments of the same pages
            world.app_client.cookies = world.cookies[who]
            page = world.app_client.get(
                path.format(**world.api.ids), headers={"HX-Request": "true"} if partial else {}
            ).text
            assert not [raw for raw in RAW_MARKUP if raw in page], f"{path} (htmx: {partial})"
            shown += "&lt;script&gt;alert(" in page
    assert shown >= 8, "the hostile records should appear (escaped) on the pages"


def test_hostile_text_is_inert_in_the_annual_report(world: PageWorld) -> None:
    year = date.today().year
    call = world.api.call
    html = call("GET", f"/reports/annual?year={year}&format=html", "staff").text
    assert not [raw for raw in RAW_MARKUP if raw in html]
    assert "&lt;script&gt;alert(" in html
    archive = call("GET", f"/reports/annual?year={year}&format=csv", "staff").content
    with zipfile.ZipFile(io.BytesIO(archive)) as tables:
        cells = [
            cell
            for name in tables.namelist()
            for line in csv.reader(io.StringIO(tables.read(name).decode("utf-8-sig")))
            for cell in line
        ]
    hostile = [cell for cell in cells if "HYPERLINK" in cell]
    assert hostile, "the consented hostile activity should be in the report"
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in hostile)
