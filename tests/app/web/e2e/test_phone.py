"""At 390 px (a phone held upright) no page scrolls sideways: wide tables become stacked rows,
and the charts' labels stay readable (at least 11 px as drawn)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.support.browser import Person, World

pytestmark = pytest.mark.slow

PHONE = (390, 844)
PROVIDER = "[Demo] Commission nationale des droits de l'homme du Maroc"
MIN_CHART_TEXT_PX = 11
# One page of each kind, for each role (demo ids: request 1 is Kazakhstan's, offer 6 the
# Latin American one).
PAGES = {
    "anonymous": [
        "/",
        "/login",
        "/recommendations",
        "/recommendations/1",
        "/offers",
        "/offers/6",
        "/requests",
        "/requests/1",
        "/activities",
        "/states",
        "/states/KAZ",
        "/nowhere",
    ],
    "focal-point": [
        "/state",
        "/state/requests/new",
        "/state/requests/1",
        "/state/requests/1/edit",
        "/notifications",
        "/account",
        "/account/tokens",
    ],
    "provider": ["/provider", "/provider/offers/new"],
    "officer": [
        "/staff",
        "/staff/matches?status=",
        "/staff/matches/1",
        "/staff/pairing?request_id=1&offer_id=6",
        "/staff/assignment",
        "/staff/proactive?state=KAZ",
        "/staff/duplications",
        "/staff/gaps",
        "/staff/reports",
        "/staff/imports",
        "/staff/audit",
        "/staff/audit?entity_type=assistance_request&entity_id=1",
        "/staff/users",
        "/staff/outbox?status=sent",
    ],
}

OVERFLOW = """() => {
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth <= width) return null;
  const wide = [...document.querySelectorAll("body *")]
    .filter((e) => e.getBoundingClientRect().right > width + 1)
    .slice(-3)
    .map((e) => e.tagName.toLowerCase() + (e.className ? "." + e.className : ""));
  return document.documentElement.scrollWidth + " > " + width + ": " + wide.join(", ");
}"""

SMALL_CHART_TEXT = """(least) => [...document.querySelectorAll("svg text")]
  .filter((t) => t.getClientRects().length)
  .map((t) => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)
  .filter((size) => size < least)
  .map((size) => size.toFixed(1))"""


def _problems(page: Page, path: str) -> list[str]:
    response = page.goto(path)
    found = []
    if response is None or (response.status >= 400) != (path == "/nowhere"):
        found.append(f"{path}: answered {response.status if response else None}")
    overflow = page.evaluate(OVERFLOW)
    if overflow:
        found.append(f"{path} scrolls sideways: {overflow}")
    small = page.evaluate(SMALL_CHART_TEXT, MIN_CHART_TEXT_PX)
    if small:
        found.append(f"{path}: chart text smaller than {MIN_CHART_TEXT_PX} px: {small[:5]}")
    return found


def test_no_page_scrolls_sideways_on_a_phone(world: World, browser: Browser) -> None:
    world.create_user("focal-point", "state", "--state", "KAZ")
    world.create_user(
        "provider", "provider", "--organization", str(world.organization_id(PROVIDER))
    )
    world.create_user("officer", "staff")
    # The lists a person has of their own show rows: a notification, an API token.
    world.propose_first_suggestion("KAZ")
    found: list[str] = []
    for key, paths in PAGES.items():
        person = Person(browser, world, key, viewport=PHONE)
        if key != "anonymous":
            person.sign_in()
        if key == "focal-point":
            person.page.goto("/account/tokens")
            person.page.locator("main form button[type=submit]").first.click()
            expect(person.page.locator("#new-token")).to_be_visible()
            person.page.goto("/notifications")
            expect(person.page.locator("main .export-links")).to_be_visible()
        for path in paths:
            found += _problems(person.page, path)
        if key == "officer":  # an account's page, with its tokens
            person.page.goto("/staff/users?q=Focal")
            href = person.page.locator("main a[href^='/staff/users/']").first.get_attribute("href")
            assert href
            found += _problems(person.page, href)
            expect(person.page.locator("main table.tokens")).to_be_visible()
        person.close()
    assert not found, "\n".join(found)
