"""OHCHR staff at work on the review queue and manual pairing, in a real browser against a real
server on the seeded demo world: filter the review table, tick two suggestions and propose both
with one action, open a match and read the request and the offer side by side, then pair a
request with an offer by hand and read why a run would not suggest it. Saves the README's
screenshot of the review table (docs/screenshots/7-staff-review-table.png with `make
screenshots`)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.support.browser import Person, World

pytestmark = pytest.mark.slow

KAZ_REQUEST = "[Demo] Создание национального превентивного механизма"
LATIN_OFFER = "[Demo] Formación en derechos de los pueblos indígenas y acceso a la justicia"


def _subnav(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Staff area").get_by_role("link", name=name).click()


def _review_several_with_one_action(staff: Person) -> str:
    page = staff.page
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Staff area").click()
    _subnav(page, "Review queue")
    rows = page.locator("table.queue tbody.queue-item")
    expect(rows).to_have_count(5)  # the demo's suggestions

    page.get_by_label("Score from").fill("0.85")
    page.get_by_label("Order").select_option("state")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"min_score=0\.85"))
    expect(rows).to_have_count(3)
    expect(page.get_by_role("status").first).to_contain_text("Matches found: 3")

    rows.first.locator("summary").click()  # a row opens on the parts of its score
    expect(rows.first.locator(".score-components")).to_be_visible()
    page.get_by_label("Tick every match on this page").check()  # staff.js
    for box in page.locator('table.queue input[name="match"]').all():
        expect(box).to_be_checked()
    page.get_by_label("Propose them to the State and the provider").check()
    if staff.shoot:
        staff.screenshot("7-staff-review-table")
    page.get_by_role("button", name="Apply to the ticked matches").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Matches proposed")
    expect(page.get_by_role("status").first).to_contain_text("Proposed: 3 of 3 ticked matches.")
    first = page.locator("main table tbody tr").first.get_by_role("link")
    name = first.inner_text()
    first.click()
    return name


def _request_and_offer_side_by_side(page: Page, match: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(match)
    request = page.get_by_role("region", name="The request")
    offer = page.get_by_role("region", name="The offer")
    expect(request).to_be_visible()
    expect(offer).to_be_visible()
    left, right = request.bounding_box(), offer.bounding_box()
    assert left is not None
    assert right is not None
    assert right["x"] > left["x"] + left["width"] - 1, "the offer is beside the request"
    assert abs(right["y"] - left["y"]) < 5, "side by side, at the same height"
    expect(page.locator("main dl.fields").first).to_contain_text("Proposed")  # its status
    expect(page.get_by_role("region", name="Why this pair is or is not suggested")).to_be_visible()


def _pair_by_hand(staff: Person) -> None:
    page = staff.page
    _subnav(page, "Manual pairing")
    expect(page.get_by_role("heading", level=1)).to_have_text("Manual pairing")
    # search as you type: each side's list narrows to what matches
    page.get_by_label("Search requests (title or description)").press_sequentially("превентив")
    expect(page.locator("#request-choices li")).to_have_count(1)
    page.get_by_label(re.compile(re.escape(KAZ_REQUEST))).check()
    page.get_by_label("Search offers (title or description)").press_sequentially("indígenas")
    expect(page.locator("#offer-choices li")).to_have_count(1)
    page.get_by_label(re.compile(re.escape(LATIN_OFFER))).check()
    page.get_by_role("button", name="Search, and check the chosen pair").click()

    why = page.get_by_role("region", name="Why this pair is or is not suggested")
    expect(why).to_contain_text("A run would not suggest this pair")
    coverage = why.get_by_role("row", name=re.compile("The offer covers the State"))
    expect(coverage).to_contain_text("Fails")
    expect(coverage).to_contain_text("The offer does not cover Kazakhstan")
    expect(why.get_by_role("row", name=re.compile("Themes in common"))).to_be_visible()
    expect(why).to_contain_text("Suggestions start at 0.45.")
    expect(page.get_by_role("button", name="Propose this pair to both parties")).to_be_visible()
    if staff.shoot:
        staff.screenshot("8-staff-why-not")


def test_staff_journey_review_table_bulk_and_why_not(world: World, browser: Browser) -> None:
    world.create_user("officer", "staff")
    staff = Person(browser, world, "officer", shoot=True)
    try:
        staff.sign_in()
        match = _review_several_with_one_action(staff)
        _request_and_offer_side_by_side(staff.page, match)
        _pair_by_hand(staff)
    finally:
        staff.close()
