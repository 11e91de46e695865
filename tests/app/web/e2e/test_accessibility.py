"""Every kind of page passes axe-core's checks (WCAG 2 A and AA: labels, names, contrast,
landmarks, headings) in Chromium, for each role, on the seeded demo world; and the keyboard
alone gets around."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from tests.support.browser import Person, World
from tests.support.web import PASSWORD

pytestmark = pytest.mark.slow

PROVIDER = "[Demo] Commission nationale des droits de l'homme du Maroc"
PUBLIC_PAGES = [
    "/",
    "/login",
    "/recommendations",
    "/recommendations?state=BFA&q=torture",
    "/offers",
    "/requests",
    "/activities",
    "/states",
    "/states/BFA",
    "/nowhere",  # the error page
]
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
}


def _violations(page: Page) -> list[str]:
    results: Any = Axe().run(page, options=AXE_OPTIONS)
    return [
        f"{page.url}: {violation['id']} ({violation['impact']}): "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in results.response["violations"]
    ]


def _first_link(page: Page, path: str, prefix: str) -> str:
    page.goto(path)
    href = page.locator(f"main a[href^='{prefix}']").first.get_attribute("href")
    assert href, f"no link to {prefix} on {path}"
    return href


def test_pages_of_every_role_pass_axe(world: World, browser: Browser) -> None:
    world.create_user("focal-point", "state", "--state", "SEN")
    world.create_user(
        "provider", "provider", "--organization", str(world.organization_id(PROVIDER))
    )
    world.create_user("officer", "staff")
    world.propose_first_suggestion("SEN")  # the focal point's list of notifications has one
    found: list[str] = []
    visitor = Person(browser, world, "anonymous")
    for path in [
        *PUBLIC_PAGES,
        _first_link(visitor.page, "/recommendations", "/recommendations/"),
        _first_link(visitor.page, "/offers", "/offers/"),
        _first_link(visitor.page, "/requests", "/requests/"),
    ]:
        visitor.page.goto(path)
        found += _violations(visitor.page)
    visitor.close()

    areas = {
        "focal-point": (
            "fr-FR",
            [
                "/state",
                "/state/requests/new?q=torture",
                "/notifications",
                "/notifications?sort=received",
            ],
        ),
        "provider": ("en-GB", ["/provider", "/provider/offers/new", "/account"]),
        "officer": (
            "es-ES",
            [
                "/staff",
                "/staff/matches?status=",
                "/staff/assignment",
                "/staff/duplications",
                "/staff/duplications?sort=-state",
                "/staff/outbox",
            ],
        ),
    }
    for key, (locale, paths) in areas.items():
        person = Person(browser, world, key, locale=locale)
        person.sign_in()
        for path in paths:
            person.page.goto(path)
            if path.startswith("/notifications"):  # the list's tools are there to check
                expect(person.page.locator("main .export-links")).to_be_visible()
            found += _violations(person.page)
        if key == "officer":
            person.page.goto(_first_link(person.page, "/staff/matches?status=", "/staff/matches/"))
            found += _violations(person.page)
            for path in ("/staff/gaps", "/staff/gaps?sort=-needs"):
                person.page.goto(path)
                found += _violations(person.page)
            found += _staff_tools_violations(person.page)
        else:  # a list of their own tokens (one just made)
            person.page.goto("/account/tokens")
            person.page.locator("main form button[type=submit]").first.click()
            expect(person.page.locator("main table.tokens")).to_be_visible()
            person.page.goto("/account/tokens?sort=expires")
            found += _violations(person.page)
        person.close()
    assert not found, "\n".join(found)


# The staff tools (demo ids: request 1 is Kazakhstan's, offer 6 the Latin American one).
STAFF_TOOL_PAGES = [
    "/staff/pairing",
    "/staff/pairing?request_id=1&offer_id=6",
    "/staff/proactive?state=KAZ",
    "/staff/reports",
    "/staff/reports/annual?year=1900&format=doc",  # the form with its errors
    "/staff/imports",
    "/staff/audit",
    "/staff/audit?entity_type=assistance_request&entity_id=1",
    "/staff/users",
    "/account/tokens",
]


def _staff_tools_violations(page: Page) -> list[str]:
    found: list[str] = []
    for path in STAFF_TOOL_PAGES:
        page.goto(path)
        found += _violations(page)
    page.goto(_first_link(page, "/staff/users", "/staff/users/"))
    found += _violations(page)
    # a token just made (shown once), and an import's report
    page.goto("/account/tokens")
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("#new-token")).to_be_visible()
    found += _violations(page)
    page.goto("/staff/imports")
    page.locator("#upr-info-file").set_input_files(
        files=[{"name": "one.csv", "mimeType": "text/csv", "buffer": _ONE_ROW_CSV}]
    )
    page.locator("#upr-info-file").locator("xpath=ancestor::form").locator("button").click()
    expect(page.locator("#run")).not_to_have_attribute("hx-trigger", "every 2s")
    found += _violations(page)
    # the review table: its errors, then a bulk action's outcome
    page.goto("/staff/matches")
    page.locator("form.bulk button[type=submit]").click()
    expect(page.locator("#match-error")).to_be_visible()
    found += _violations(page)
    page.locator('table.queue input[name="match"]').first.check()
    page.locator("#bulk-propose").check()
    page.locator("form.bulk button[type=submit]").click()
    expect(page.locator("main table")).to_be_visible()
    found += _violations(page)
    return found


_ONE_ROW_CSV = (
    b"state_under_review,recommendation,recommending_state,response,issues,session,cycle\n"
    b"Kazakhstan,Establish a national preventive mechanism,Denmark,Accepted,"
    b"Torture and other CID treatment,7,1\n"
)


def _tab_to(page: Page, selector: str, limit: int = 40) -> None:
    target = page.locator(selector)
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def test_keyboard_alone_skips_to_content_and_signs_in(world: World, browser: Browser) -> None:
    world.create_user("officer", "staff")
    person = Person(browser, world, "officer")
    page = person.page
    page.goto("/")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to main content")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    page.goto("/login")
    _tab_to(page, "#email")
    page.keyboard.type(world.emails["officer"])
    page.keyboard.press("Tab")
    expect(page.locator("#password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    person.close()


def test_the_country_combobox_works_by_keyboard_and_passes_axe_while_open(
    world: World, browser: Browser
) -> None:
    world.create_user(
        "provider", "provider", "--organization", str(world.organization_id(PROVIDER))
    )
    person = Person(browser, world, "provider")
    page = person.sign_in()
    page.goto("/provider/offers/new")
    countries = page.get_by_role("combobox", name="Countries")
    countries.focus()
    page.keyboard.type("kaz")
    expect(countries).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("option", name="Kazakhstan")).to_be_visible()
    assert _violations(page) == []  # with the list open
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")  # chooses; does not submit the form
    expect(page.get_by_role("button", name="Remove Kazakhstan")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Kazakhstan added")).to_have_count(1)
    page.keyboard.type("sénég")
    page.keyboard.press("Enter")
    expect(page.locator("#f-countries")).to_have_values(["KAZ", "SEN"])
    page.keyboard.press("Backspace")  # an empty field: the last chip goes
    expect(page.locator("#f-countries")).to_have_values(["KAZ"])
    page.get_by_role("button", name="Remove Kazakhstan").click()
    expect(page.locator("#f-countries")).to_have_values([])
    expect(page.get_by_role("heading", level=1)).to_have_text("New offer")  # never submitted
    person.close()
