"""Every kind of page in Arabic (right to left, no sideways scrolling on a 390 px phone) and in
Chinese, with axe-core's checks at 0 violations: one walk per language, with one browser, on the
seeded demo world. Screenshots of both go to the README (`make screenshots`)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from tests.support.browser import Person, World, axe_violations

pytestmark = pytest.mark.slow

PROVIDER = "[Demo] Commission nationale des droits de l'homme du Maroc"
PHONE = {"width": 390, "height": 844}
PAGES = {
    "anonymous": [
        "/",
        "/login",
        "/recommendations?state=BFA&q=torture",
        "/offers",
        "/requests",
        "/activities",
        "/states",
        "/states/BFA",
        "/nowhere",
        ("/recommendations", "/recommendations/"),
        ("/offers", "/offers/"),
        ("/requests", "/requests/"),
    ],
    "focal-point": ["/state", "/state/requests/new?q=torture", "/notifications", "/account"],
    "provider": ["/provider", "/provider/offers/new", "/account/tokens"],
    "officer": [
        "/staff",
        "/staff/matches?status=",
        ("/staff/matches?status=", "/staff/matches/"),
        "/staff/assignment",
        "/staff/duplications",
        "/staff/gaps",
        "/staff/pairing?request_id=1&offer_id=6",
        "/staff/proactive?state=KAZ",
        "/staff/reports",
        "/staff/imports",
        "/staff/audit",
        "/staff/users",
        "/staff/outbox",
    ],
}
SCREENSHOTS = {"ar": ("officer", "/staff"), "zh": ("anonymous", "/offers")}
SCREENSHOT_NAMES = {"ar": "9-staff-dashboard-ar", "zh": "10-public-offers-zh"}


def _problems(page: Page, lang: str) -> list[str]:
    found = []
    html = page.locator("html")
    direction = "rtl" if lang == "ar" else "ltr"
    if (html.get_attribute("lang"), html.get_attribute("dir")) != (lang, direction):
        found.append(
            f"{page.url}: lang/dir {html.get_attribute('lang')}/{html.get_attribute('dir')}"
        )
    scroll, width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if scroll > width:
        found.append(f"{page.url}: {scroll} px wide in a {width} px window")
    return found + axe_violations(page)


@pytest.mark.parametrize("lang", ["ar", "zh"])
def test_every_page_kind_in_arabic_and_chinese(world: World, browser: Browser, lang: str) -> None:
    world.create_user("focal-point", "state", "--state", "SEN")
    world.create_user(
        "provider", "provider", "--organization", str(world.organization_id(PROVIDER))
    )
    world.create_user("officer", "staff")
    found: list[str] = []
    for key, paths in PAGES.items():
        person = Person(browser, world, key, locale=lang)
        person.context.close()
        person.context = browser.new_context(base_url=world.base_url, locale=lang, viewport=PHONE)
        person.page = person.context.new_page()
        if key != "anonymous":
            person.sign_in()
        for entry in paths:
            path = entry
            if isinstance(entry, tuple):
                listing, prefix = entry
                person.page.goto(listing)
                path = person.page.locator(f"main a[href^='{prefix}']").first.get_attribute("href")
                assert path, f"no link to {prefix} on {listing}"
            person.page.goto(path)
            found += _problems(person.page, lang)
            if SCREENSHOTS[lang] == (key, path):
                person.page.set_viewport_size({"width": 1280, "height": 900})
                person.screenshot(SCREENSHOT_NAMES[lang])
                person.page.set_viewport_size(PHONE)
        person.close()
    assert not found, "\n".join(found)
