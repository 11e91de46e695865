"""Emails to the right people, through the API and a real SMTP server: a proposal, each party's
answer, the agreement, a withdrawal, a change to an activity; in each user's language."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.support import NullTranslations, Translations

from app.core.i18n import translations
from app.notifications import messages
from tests.support.cooperation import Cooperation
from tests.support.factories import ApiFactory
from tests.support.mail import MailServer

from .conftest import Send

OUTBOX = "/api/v1/notifications/outbox"


def _recipients(mail: MailServer) -> list[str]:
    return sorted(address for r in mail.received for address in r.recipients)


def _outbox(api: ApiFactory) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = api.client.get(OUTBOX, headers=api.staff).json()["items"]
    return items


def _french_subjects(monkeypatch: pytest.MonkeyPatch) -> None:
    """A French catalogue holding the proposal's subject (the real one is translated in a final
    pass), so that the test sees which language each email was written in."""
    catalog = Catalog(locale="fr")
    catalog.add("Proposed partnership: %(request)s", "Partenariat proposé : %(request)s")
    mo = BytesIO()
    write_mo(mo, catalog)
    mo.seek(0)
    french = Translations(fp=mo)

    def fake(lang: str) -> NullTranslations:
        return french if lang == "fr" else translations(lang)

    monkeypatch.setattr(messages, "translations", fake)


def test_a_proposal_emails_the_state_and_the_provider_each_in_their_language(
    api: ApiFactory, mail: MailServer, send: Send, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = Cooperation(api)
    token_only = world.person("state", state="KAZ", email=False)
    other_state = world.person("state", state="UZB")
    assert world.propose()["status"] == "proposed"
    assert mail.received == []  # queued with the change, sent by the sender

    _french_subjects(monkeypatch)
    assert "sent 3" in send().stdout
    assert _recipients(mail) == sorted(
        [world.state.email, world.state_fr.email, world.provider.email]
    )
    title = world.request["title"]
    (english,) = mail.to(str(world.state.email))
    assert english.subject == f"Proposed partnership: {title}"
    assert english.message["Content-Language"] == "en"
    text = english.part("plain")
    assert f"help Kazakhstan with the request “{title}”" in text
    assert f"Open the proposal: http://127.0.0.1:8000/state/requests/{world.request['id']}" in text
    assert f'href="http://127.0.0.1:8000/state/requests/{world.request["id"]}"' in english.part(
        "html"
    )
    (french,) = mail.to(str(world.state_fr.email))
    assert french.subject == f"Partenariat proposé : {title}"
    assert french.message["Content-Language"] == "fr"
    assert '<html lang="fr"' in french.part("html")
    (provider,) = mail.to(str(world.provider.email))
    assert f"/provider/offers/{world.offer['id']}" in provider.part("plain")
    rows = {row["recipient"]: row for row in _outbox(api)}
    assert rows[world.state_fr.email]["language"] == "fr"
    assert rows[world.state.email]["language"] == "en"
    assert {row["status"] for row in rows.values()} == {"sent"}
    # The user without an email address, and another State's, are told in the app only / not.
    assert _unread(api, token_only.headers) == 1
    assert _unread(api, other_state.headers) == 0
    assert _unread(api, world.staff.headers) == 0  # the proposer acted: not told


def _unread(api: ApiFactory, headers: dict[str, str]) -> int:
    count: int = api.client.get("/api/v1/notifications", headers=headers).json()["unread"]
    return count


def test_an_answer_reaches_the_other_party_and_the_proposer(
    api: ApiFactory, mail: MailServer, send: Send
) -> None:
    world = Cooperation(api)
    world.propose()
    send()
    mail.received.clear()

    world.decide(world.state, "accepted")
    send()
    assert _recipients(mail) == sorted([world.provider.email, world.staff.email])
    title = world.request["title"]
    assert {r.subject for r in mail.received} == {
        f"Kazakhstan accepted the proposed partnership: {title}"
    }
    (to_staff,) = mail.to(str(world.staff.email))
    assert f"/staff/matches/{world.match['id']}" in to_staff.part("plain")
    assert f"The answer of {world.org['name']} is still awaited." in to_staff.part("plain")


def test_an_agreement_reaches_both_parties_and_the_proposer_with_the_activity(
    api: ApiFactory, mail: MailServer, send: Send
) -> None:
    world = Cooperation(api)
    world.propose()
    world.decide(world.provider, "accepted")
    send()
    mail.received.clear()

    assert world.decide(world.state_fr, "accepted")["status"] == "agreed"
    send()
    # the other French-speaking focal point acted: the other State user, the provider, staff
    assert _recipients(mail) == sorted([world.state.email, world.provider.email, world.staff.email])
    activity = world.activity_id()
    for received in mail.received:
        assert received.subject == f"Partnership agreed: {world.request['title']}"
        assert f"/activities/{activity}" in received.part("plain")


def test_a_decline_tells_its_reason(api: ApiFactory, mail: MailServer, send: Send) -> None:
    world = Cooperation(api)
    world.propose()
    world.decide(world.provider, "declined", reason="No trainers available in 2027")
    send()
    received = mail.to(str(world.state.email))[-1]
    assert received.subject.startswith(f"{world.org['name']} declined the proposed partnership")
    assert "Reason given: No trainers available in 2027" in received.part("plain")
    assert mail.to(str(world.provider.email))[-1].subject.startswith("Proposed partnership")


def test_staff_withdrawing_an_agreed_match_tells_both_parties(
    api: ApiFactory, mail: MailServer, send: Send
) -> None:
    world = Cooperation(api)
    world.propose()
    world.decide(world.state, "accepted")
    world.decide(world.provider, "accepted")
    send()
    mail.received.clear()

    world.act("reject", world.staff, reason="The State asked for another partner")
    send()
    assert _recipients(mail) == sorted(
        [world.state.email, world.state_fr.email, world.provider.email]
    )
    text = mail.to(str(world.provider.email))[0].part("plain")
    assert "The planned activity that it had led to is cancelled." in text
    assert "Reason given: The State asked for another partner" in text


def test_a_suggestion_rejected_before_anyone_saw_it_tells_nobody(
    api: ApiFactory, mail: MailServer, send: Send
) -> None:
    world = Cooperation(api)
    world.act("reject", world.staff, reason="Not relevant")
    send()
    assert mail.received == []


def test_an_activity_change_tells_the_state_and_the_providers_but_not_the_actor(
    api: ApiFactory, mail: MailServer, send: Send
) -> None:
    world = Cooperation(api)
    activity = api.activity(
        "KAZ", provider_ids=[world.org["id"]], period_start="2027-01-01", status="planned"
    )
    url = f"/api/v1/activities/{activity['id']}"
    changed = api.client.patch(
        url,
        json={"version": activity["version"], "status": "ongoing", "period_end": "2027-06-30"},
        headers=world.state.headers,
    )
    assert changed.status_code == 200, changed.text
    untouched = api.client.patch(
        url, json={"version": changed.json()["version"], "outcome": "Going well"}, headers=api.staff
    )
    assert untouched.status_code == 200, untouched.text
    send()
    assert _recipients(mail) == sorted([world.state_fr.email, world.provider.email])
    received = mail.to(str(world.provider.email))
    assert len(received) == 1  # the outcome is not followed
    text = received[0].part("plain")
    assert received[0].subject == f"Activity updated: {activity['title']}"
    assert "Status: Planned → Ongoing" in text
    assert "End: not set → Jun 30, 2027" in text
    assert f"/activities/{activity['id']}" in text


def test_titles_are_text_in_the_html_part(api: ApiFactory, mail: MailServer, send: Send) -> None:
    world = Cooperation(api)
    hostile = "<script>alert(1)</script> & <b>bold</b>"
    url = f"/api/v1/requests/{world.request['id']}"
    version = api.client.get(url, headers=api.staff).json()["version"]
    renamed = api.client.patch(url, json={"title": hostile, "version": version}, headers=api.staff)
    assert renamed.status_code == 200, renamed.text
    world.propose()
    send()
    received = mail.to(str(world.state.email))[0]
    assert received.subject == f"Proposed partnership: {hostile}"
    html = received.part("html")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    assert hostile in received.part("plain")
