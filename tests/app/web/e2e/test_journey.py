"""From a State's request to a cooperation activity, in a real browser against a real server.

A focal point of Burkina Faso files a request in French, a provider registers an offer, OHCHR
staff run matching and propose the pair, both parties accept, and the activity appears on the
public page of Burkina Faso only if the State consented to publication. The run with consent
saves the screenshots shown in the README (docs/screenshots/)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Dialog, Locator, Page, expect

from tests.support.browser import TIMEOUT_MS, Person, World
from tests.support.mail import MailServer, Received
from tests.support.server import wait_for
from tests.support.web import PASSWORD

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
    # The first suggestion of a fresh server loads the tagger's text encoder: give it time.
    expect(page.locator("#themes")).to_contain_text("Suggéré", timeout=60_000)
    torture = page.locator("#themes-torture")
    torture.check()
    page.locator("#assistance_types-institution-building").check()
    page.locator("#languages-fr").check()
    if consent:
        page.get_by_label("Publier cette demande sur les pages publiques").check()
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
    # The countries' combobox: type, choose with Enter or a tap; a chip's button removes one.
    countries = page.get_by_role("combobox", name="Countries")
    for typed in ("burkina", "Mali", "Sénégal", "kazakh"):
        countries.fill(typed)
        page.keyboard.press("Enter")
    page.get_by_role("button", name="Remove Kazakhstan").click()
    countries.fill("seneg")
    expect(page.locator("#f-countries-listbox")).to_have_text("No country matches")  # chosen
    countries.fill("")
    expect(page.locator("#f-countries")).to_have_values(["BFA", "MLI", "SEN"])
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
    if state.shoot:
        page.goto("/state")  # the State's area: what waits for it first
        state.screenshot("11-state-home-fr")


def _provider_accepts(provider: Person, request_title: str) -> None:
    page = provider.page
    _nav(page, "My organization").click()
    accept = page.get_by_role("button", name=re.compile(rf"^Accept\W+{re.escape(request_title)}"))
    accept.click()
    expect(accept).to_have_count(0)


def _provider_updates_activity(provider: Person, request_title: str) -> None:
    """The agreed partnership is an activity both parties carry: the provider starts it."""
    page = provider.page
    _nav(page, "My organization").click()
    activities = page.locator("section", has=page.locator("#activities-heading"))
    activities.get_by_role(
        "link", name=re.compile(rf"^Update\W+{re.escape(request_title)}")
    ).click()
    page.locator("#f-status").select_option("ongoing")
    page.locator("#f-outputs").fill("Two peer-exchange visits; a draft law on the mechanism.")
    page.locator("#f-links").fill("https://example.org/npm-exchange-agenda")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(request_title)
    expect(page.locator("main")).to_contain_text("Two peer-exchange visits")
    if provider.shoot:
        provider.screenshot("12-activity-page")


REQUEST_TITLE = "Mécanisme national de prévention de la torture"
OFFER_TITLE = "NPM peer exchange for French-speaking West Africa"


def _cast(world: World, browser: Browser, shoot: bool = False) -> dict[str, Person]:
    """A focal point of Burkina Faso (in French), the provider's user and an OHCHR officer,
    each in their own browser, where no dialog may open."""
    world.create_user("focal-point", "state", "--state", "BFA")
    world.create_user(
        "provider", "provider", "--organization", str(world.organization_id(PROVIDER))
    )
    world.create_user("officer", "staff")
    people = {
        "state": Person(browser, world, "focal-point", locale="fr-FR", shoot=shoot),
        "provider": Person(browser, world, "provider", shoot=shoot),
        "staff": Person(browser, world, "officer", shoot=shoot),
    }
    for person in people.values():
        _no_dialogs(person.page)
    return people


@pytest.mark.parametrize("consent", [True, False], ids=["consent", "no-consent"])
def test_a_request_becomes_a_public_activity_only_with_consent(
    world: World, browser: Browser, consent: bool
) -> None:
    people = _cast(world, browser, shoot=consent)
    try:
        request_id = _file_request_in_french(people["state"], REQUEST_TITLE, consent)
        _register_offer(people["provider"], OFFER_TITLE)
        _propose(people["staff"], REQUEST_TITLE, OFFER_TITLE)
        _state_accepts(people["state"], request_id, OFFER_TITLE)
        _provider_accepts(people["provider"], REQUEST_TITLE)
        _provider_updates_activity(people["provider"], REQUEST_TITLE)

        public = (
            people["provider"]
            .context.browser.new_context(  # type: ignore[union-attr]
                base_url=world.base_url, locale="fr-FR"
            )
            .new_page()
        )
        public.goto("/states/BFA")
        expect(public.get_by_role("heading", level=1)).to_have_text("Burkina Faso")
        activity = public.locator("main a[href^='/activities/']", has_text=REQUEST_TITLE)
        if consent:
            expect(activity).to_have_count(1)
            expect(public.locator("main")).to_contain_text(PROVIDER)
            public.screenshot(
                path=str(people["state"].screenshots / "6-public-state-page.png"), full_page=True
            )
        else:
            expect(activity).to_have_count(0)
            expect(public.locator("main")).not_to_contain_text(REQUEST_TITLE)
        public.context.close()
    finally:
        for person in people.values():
            person.close()


def _email_to(mail: MailServer, address: str) -> Received:
    wait_for(lambda: bool(mail.to(address)), TIMEOUT_MS / 1000, f"an email to {address}")
    (received,) = mail.to(address)
    return received


def test_the_email_a_party_receives_opens_the_proposal(
    mailing_world: World, mail: MailServer, browser: Browser
) -> None:
    """`uprtc serve` sends the proposal to the State's focal point by itself (SMTP to a real
    local server), in the language they signed in with; its link opens the proposal."""
    world = mailing_world
    people = _cast(world, browser)
    reader = browser.new_context(base_url=world.base_url, locale="fr-FR")  # the mail client's
    try:
        request_id = _file_request_in_french(people["state"], REQUEST_TITLE, consent=False)
        _register_offer(people["provider"], OFFER_TITLE)
        assert mail.received == []  # nothing has happened to them yet
        _propose(people["staff"], REQUEST_TITLE, OFFER_TITLE)

        email = _email_to(mail, world.emails["focal-point"])
        assert REQUEST_TITLE in email.subject
        assert email.message["Content-Language"] == "fr"  # the browser's, at sign-in
        found = re.search(rf"{re.escape(world.base_url)}/state/requests/\d+", email.part("plain"))
        assert found, email.part("plain")
        link = found.group(0)
        assert urlsplit(link).path == f"/state/requests/{request_id}"
        assert f'href="{link}"' in email.part("html")
        # the provider signed in in English: the same proposal, in its own language
        to_provider = _email_to(mail, world.emails["provider"])
        assert to_provider.subject == f"Proposed partnership: {REQUEST_TITLE}"
        assert to_provider.message["Content-Language"] == "en"
        assert email.subject != to_provider.subject

        page = reader.new_page()
        _no_dialogs(page)
        page.goto(link)  # not signed in there: the sign-in page, then the proposal
        page.locator("input[name=email]").fill(world.emails["focal-point"])
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        expect(page).to_have_url(link)
        expect(page.get_by_role("heading", level=1)).to_have_text(REQUEST_TITLE)
        expect(page.locator("main")).to_contain_text(OFFER_TITLE)
        expect(page.get_by_role("button", name=re.compile(r"^Accepter"))).to_be_visible()
    finally:
        reader.close()
        for person in people.values():
            person.close()
