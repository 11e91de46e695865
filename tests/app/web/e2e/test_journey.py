"""From a State's request to a cooperation activity, in a real browser against a real server.

A focal point of Burkina Faso files a request in French, a provider registers an offer, OHCHR
staff run matching and propose the pair, both parties accept, and the activity appears on the
public page of Burkina Faso only if the State consented to publication. The run with consent
saves the screenshots shown in the README (docs/screenshots/)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Dialog, Locator, Page, expect

from tests.support.browser import Person, World

pytestmark = pytest.mark.slow

PROVIDER = "[Demo] Commission nationale des droits de l'homme du Maroc"


def _no_dialogs(page: Page) -> None:
    """Nothing on these pages may open a dialog (an injected script would)."""

    def fail(dialog: Dialog) -> None:
        dialog.dismiss()
        raise AssertionError(f"unexpected dialog: {dialog.message}")

    page.on("dialog", fail)


def _nav(page: Page, name: str) -> Locator:
    """A link of the main navigation (English or French)."""
    main = page.get_by_role("navigation", name=re.compile(r"^(Main|Navigation principale)$"))
    return main.get_by_role("link", name=name)


def _file_request_in_french(state: Person, title: str, consent: bool) -> int:
    page = state.sign_in()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    _nav(page, "Mon État").click()
    page.get_by_role("link", name="Nouvelle demande d'assistance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle demande d'assistance")

    # Search as you type: the list narrows to recommendations about torture.
    page.get_by_label("Rechercher dans les recommandations").press_sequentially("torture")
    expect(page.locator("#recommendation-choices")).to_contain_text("torture")
    page.locator("#recommendation-choices input[type=checkbox]").first.check()
    page.get_by_label("Titre").fill(title)
    page.get_by_label("Description").fill(
        "Appui à la création d'un mécanisme national de prévention de la torture, "
        "conformément au Protocole facultatif (OPCAT) : cadre juridique et formation."
    )
    # Suggested themes come from the tagger and are ticked.
    page.get_by_role("button", name="Suggérer des thèmes").click()
    expect(page.locator("#themes")).to_contain_text("Suggéré")
    torture = page.locator("#themes-torture")
    torture.check()
    page.locator("#assistance_types-institution-building").check()
    page.locator("#languages-fr").check()
    if consent:
        page.get_by_label("Mon État consent à la publication de cette demande").check()
    if state.shoot:
        state.screenshot("1-state-request-form-fr")
    page.get_by_role("button", name="Soumettre la demande").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    found = re.search(r"/state/requests/(\d+)$", page.url)
    assert found, page.url
    return int(found.group(1))


def _register_offer(provider: Person, title: str) -> None:
    page = provider.sign_in()
    _nav(page, "My organization").click()
    page.get_by_role("link", name="New offer").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Description").fill(
        "Peer exchange with a national preventive mechanism: legal drafting and training "
        "of monitors, in French."
    )
    page.locator("#themes-torture").check()
    page.locator("#assistance_types-institution-building").check()
    page.locator("#languages-fr").check()
    page.locator("#f-countries").select_option(["BFA", "MLI", "SEN"])
    page.locator("#f-capacity").fill("2")
    page.locator("#f-status").select_option("active")
    if provider.shoot:
        provider.screenshot("2-provider-offer-form")
    page.get_by_role("button", name="Register offer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def _propose(staff: Person, request_title: str, offer_title: str) -> None:
    page = staff.sign_in()
    _nav(page, "Staff area").click()
    page.get_by_role("button", name="Run matching").click()
    expect(page.get_by_role("status").first).to_contain_text("Matching finished")
    if staff.shoot:
        staff.screenshot("3-staff-dashboard")
    page.get_by_role("link", name="suggested matches to review").click()
    pair = (
        page.locator("table.queue tbody.queue-item")
        .filter(has_text=request_title)
        .filter(has_text=offer_title)
    )
    expect(pair).to_have_count(1)
    pair.locator("summary").click()  # the row opens on the parts of its score
    expect(pair.locator(".score-bar svg").first).to_be_visible()
    pair.get_by_role("link", name=re.compile(r"^Match \d+$")).click()
    if staff.shoot:
        staff.screenshot("4-staff-match-review")
    page.get_by_role("button", name="Propose to both parties").click()
    expect(page.get_by_role("status").first).to_contain_text("was proposed")


def _state_accepts(state: Person, request_id: int, offer_title: str) -> None:
    page = state.page
    page.goto(f"/state/requests/{request_id}")
    partners = page.locator("main")
    expect(partners).to_contain_text(offer_title)
    if state.shoot:
        state.screenshot("5-state-proposed-partner-fr")
    page.get_by_role("button", name=re.compile(r"^Accepter")).click()
    expect(page.locator("main")).to_contain_text("Accepté")


def _provider_accepts(provider: Person, request_title: str) -> None:
    page = provider.page
    _nav(page, "My organization").click()
    accept = page.get_by_role("button", name=re.compile(rf"^Accept\W+{re.escape(request_title)}"))
    accept.click()
    expect(accept).to_have_count(0)


@pytest.mark.parametrize("consent", [True, False], ids=["consent", "no-consent"])
def test_a_request_becomes_a_public_activity_only_with_consent(
    world: World, browser: Browser, consent: bool
) -> None:
    world.create_user("focal-point", "state", "--state", "BFA")
    world.create_user(
        "provider", "provider", "--organization", str(world.organization_id(PROVIDER))
    )
    world.create_user("officer", "staff")
    request_title = "Mécanisme national de prévention de la torture"
    offer_title = "NPM peer exchange for French-speaking West Africa"

    people = {
        "state": Person(browser, world, "focal-point", locale="fr-FR", shoot=consent),
        "provider": Person(browser, world, "provider", shoot=consent),
        "staff": Person(browser, world, "officer", shoot=consent),
    }
    for person in people.values():
        _no_dialogs(person.page)
    try:
        request_id = _file_request_in_french(people["state"], request_title, consent)
        _register_offer(people["provider"], offer_title)
        _propose(people["staff"], request_title, offer_title)
        _state_accepts(people["state"], request_id, offer_title)
        _provider_accepts(people["provider"], request_title)

        public = (
            people["provider"]
            .context.browser.new_context(  # type: ignore[union-attr]
                base_url=world.base_url, locale="fr-FR"
            )
            .new_page()
        )
        public.goto("/states/BFA")
        expect(public.get_by_role("heading", level=1)).to_have_text("Burkina Faso")
        activity = public.locator("main a[href^='/activities/']", has_text=request_title)
        if consent:
            expect(activity).to_have_count(1)
            expect(public.locator("main")).to_contain_text(PROVIDER)
            public.screenshot(
                path=str(people["state"].screenshots / "6-public-state-page.png"), full_page=True
            )
        else:
            expect(activity).to_have_count(0)
            expect(public.locator("main")).not_to_contain_text(request_title)
        public.context.close()
    finally:
        for person in people.values():
            person.close()
