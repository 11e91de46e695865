"""The provider's pages: its organization's offers, the offer forms (with the version check) and
its answers to proposed matches, through the real app with the API's services and rules."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from app.auth.models import Role
from tests.support.factories import ApiFactory
from tests.support.pairs import npm_offer, npm_request
from tests.support.web import MakeUser, csrf_from, main_of, sign_in


def _signed_in_provider(web: TestClient, make_user: MakeUser, organization_id: int) -> str:
    """Sign in a user of the organization; the CSRF token of its session."""
    email = make_user(Role.provider, organization_id=organization_id)
    assert sign_in(web, email).status_code == 303
    return csrf_from(web.get("/provider").text)


def _offer_form(token: str, **fields: Any) -> dict[str, Any]:
    return {
        "csrf_token": token,
        "title": "Training for prison staff",
        "description": "Five-day course",
        "themes": ["torture"],
        "assistance_types": ["training"],
        "languages": ["ru"],
        "countries": ["KAZ", "KGZ"],
        "capacity": "2",
        "status": "active",
        **fields,
    }


def _offer(api: ApiFactory, offer_id: int) -> dict[str, Any]:
    response = api.client.get(f"/api/v1/offers/{offer_id}", headers=api.staff)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def _proposed_match(api: ApiFactory, offer_id: int) -> dict[str, Any]:
    request = api.request("KAZ", title=f"Request for offer {offer_id}", status="open")
    match = api.match(request["id"], offer_id)
    response = api.client.post(
        f"/api/v1/matches/{match['id']}/propose",
        json={"version": match["version"]},
        headers=api.staff,
    )
    assert response.status_code == 200, response.text
    proposed: dict[str, Any] = response.json()
    return proposed


def _match(api: ApiFactory, match_id: int) -> dict[str, Any]:
    found: dict[str, Any] = api.client.get(f"/api/v1/matches/{match_id}", headers=api.staff).json()
    return found


def test_anonymous_users_are_sent_to_sign_in(web: TestClient) -> None:
    for path in ("/provider", "/provider/offers/new", "/provider/offers/1/edit"):
        response = web.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")


def test_other_roles_get_a_403_page(web: TestClient, make_user: MakeUser) -> None:
    sign_in(web, make_user(Role.state, state="KAZ"))
    assert web.get("/provider").status_code == 403
    assert web.get("/provider/offers/new").status_code == 403


def test_an_offer_is_registered_through_the_form(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    organization = api.organization(name="OSCE/ODIHR")
    token = _signed_in_provider(web, make_user, organization["id"])
    form = web.get("/provider/offers/new").text
    for field in ("f-title", "f-description", "f-countries", "f-capacity", "f-status"):
        assert f'<label for="{field}">' in form
    assert form.count("<legend>") >= 5  # themes, kinds, languages, coverage, regions, period
    response = web.post(
        "/provider/offers/new",
        data=_offer_form(token, regions=["hrc-eastern-european"], period_start="2026-01-01"),
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert re.fullmatch(r"/provider/offers/\d+", location)
    offer = _offer(api, int(location.rsplit("/", 1)[1]))
    assert offer["organization"]["id"] == organization["id"]
    assert offer["countries"] == ["KAZ", "KGZ"]
    assert offer["regions"] == ["hrc-eastern-european"]
    assert offer["themes"] == ["torture"]
    assert offer["capacity"] == 2
    assert offer["period_start"] == "2026-01-01"
    assert "Training for prison staff" in web.get(location).text
    assert "Training for prison staff" in main_of(web.get("/provider").text)


def test_any_language_can_be_typed_by_name_or_iso_639_code(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    token = _signed_in_provider(web, make_user, api.organization()["id"])
    form = web.get("/provider/offers/new?lang=fr").text
    assert 'id="f-more-languages" name="languages" multiple' in form
    assert '<option value="dv">maldivien</option>' in form  # every language, searchable
    assert 'id="languages-dv"' not in form  # boxes: the seed's list only
    response = web.post(
        "/provider/offers/new",
        data=_offer_form(token, languages=["ru", "km"], other_languages="Swahili; créole haïtien"),
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    offer_id = int(response.headers["location"].rsplit("/", 1)[1])
    assert _offer(api, offer_id)["languages"] == ["ht", "km", "ru", "sw"]
    edit = web.get(f"/provider/offers/{offer_id}/edit").text
    assert '<option value="km" selected>' in edit
    refused = web.post("/provider/offers/new", data=_offer_form(token, other_languages="Elvish"))
    assert refused.status_code == 422
    assert 'id="err-languages"' in refused.text


def test_validation_errors_re_render_the_form_with_the_input(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    token = _signed_in_provider(web, make_user, api.organization()["id"])
    response = web.post(
        "/provider/offers/new",
        data=_offer_form(token, countries=[], capacity="lots", title="Kept <i>title</i>"),
    )
    assert response.status_code == 422
    html = main_of(response.text)
    assert 'id="err-capacity"' in html
    assert 'value="Kept &lt;i&gt;title&lt;/i&gt;"' in html
    assert 'value="torture" checked' in html
    # once the number is right, the service's rule on coverage speaks
    response = web.post("/provider/offers/new", data=_offer_form(token, countries=[]))
    assert response.status_code == 422
    html = main_of(response.text)
    assert 'id="err-countries"' in html
    assert "err-countries" in html.split('id="err-countries"')[0]  # linked by aria-describedby
    assert api.client.get("/api/v1/offers", headers=api.staff).json()["total"] == 0


def test_an_offer_is_edited_with_the_version_it_was_read_at(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    organization = api.organization()
    offer = api.offer(organization["id"], title="Old title")
    token = _signed_in_provider(web, make_user, organization["id"])
    form = web.get(f"/provider/offers/{offer['id']}/edit").text
    assert 'value="Old title"' in form
    assert f'name="version" value="{offer["version"]}"' in form
    saved = web.post(
        f"/provider/offers/{offer['id']}/edit",
        data=_offer_form(token, title="New title", version=str(offer["version"])),
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/provider/offers/{offer['id']}"
    current = _offer(api, offer["id"])
    assert current["title"] == "New title"
    history = main_of(web.get(f"/provider/offers/{offer['id']}").text).split(
        'id="history-heading"', 1
    )[1]
    assert "Version 2" in history
    assert "<td>Old title</td>" in history
    assert "<td>New title</td>" in history
    # a form read before that save is stale: nothing is lost, the conflict is explained
    stale = web.post(
        f"/provider/offers/{offer['id']}/edit",
        data=_offer_form(token, title="Stale title", version=str(offer["version"])),
    )
    assert stale.status_code == 409
    html = main_of(stale.text)
    assert "Someone else saved this offer" in html
    assert 'value="Stale title"' in html
    assert f'name="version" value="{current["version"]}"' in html
    assert _offer(api, offer["id"])["title"] == "New title"


def test_another_organizations_offer_cannot_be_edited(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    active = api.offer(title="Someone else's active offer")
    draft = api.offer(title="Someone else's draft", status="draft")
    token = _signed_in_provider(web, make_user, api.organization()["id"])
    assert web.get(f"/provider/offers/{active['id']}/edit").status_code == 403
    assert web.get(f"/provider/offers/{active['id']}").status_code == 403
    assert web.get(f"/provider/offers/{draft['id']}/edit").status_code == 404
    refused = web.post(
        f"/provider/offers/{active['id']}/edit",
        data=_offer_form(token, title="Hijacked", version=str(active["version"])),
    )
    assert refused.status_code == 403
    assert _offer(api, active["id"])["title"] == "Someone else's active offer"
    assert "Someone else" not in main_of(web.get("/provider").text)


def test_the_provider_answers_proposed_matches(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    organization = api.organization()
    offer = api.offer(organization["id"], capacity=3)
    first = _proposed_match(api, offer["id"])
    second = _proposed_match(api, offer["id"])
    token = _signed_in_provider(web, make_user, organization["id"])
    home = main_of(web.get("/provider").text)
    assert first["request_title"] in home
    assert f'action="/provider/matches/{first["id"]}/decision"' in home
    assert first["request_title"] in main_of(web.get(f"/provider/offers/{offer['id']}").text)
    accepted = web.post(
        f"/provider/matches/{first['id']}/decision",
        data={"csrf_token": token, "decision": "accepted", "version": str(first["version"])},
        follow_redirects=False,
    )
    assert accepted.status_code == 303
    assert accepted.headers["location"] == f"/provider/offers/{offer['id']}"
    assert _match(api, first["id"])["provider_decision"] == "accepted"
    declined = web.post(
        f"/provider/matches/{second['id']}/decision",
        data={
            "csrf_token": token,
            "decision": "declined",
            "confirmed": "1",
            "version": str(second["version"]),
            "back": "home",
        },
        follow_redirects=False,
    )
    assert declined.headers["location"] == "/provider"
    assert _match(api, second["id"])["status"] == "declined"
    # the State accepts too (through the API): the match is agreed
    state = api.state("KAZ")
    current = _match(api, first["id"])
    agreed = api.client.post(
        f"/api/v1/matches/{first['id']}/decision",
        json={"decision": "accepted", "version": current["version"]},
        headers=state,
    )
    assert agreed.json()["status"] == "agreed"


def test_the_wrong_party_cannot_answer(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    offer = api.offer()
    match = _proposed_match(api, offer["id"])
    token = _signed_in_provider(web, make_user, api.organization()["id"])
    response = web.post(
        f"/provider/matches/{match['id']}/decision",
        data={"csrf_token": token, "decision": "declined", "version": str(match["version"])},
    )
    assert response.status_code == 404
    # a State user cannot use the provider's side either
    sign_in(web, make_user(Role.state, state="KAZ"))
    token = csrf_from(web.get("/state").text)
    response = web.post(
        f"/provider/matches/{match['id']}/decision",
        data={"csrf_token": token, "decision": "declined", "version": str(match["version"])},
    )
    assert response.status_code == 403
    found = _match(api, match["id"])
    assert (found["status"], found["provider_decision"]) == ("proposed", "pending")


def test_a_post_without_the_csrf_token_is_refused(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    _signed_in_provider(web, make_user, api.organization()["id"])
    response = web.post("/provider/offers/new", data=_offer_form(""))
    assert response.status_code == 403
    assert api.client.get("/api/v1/offers", headers=api.staff).json()["total"] == 0


def test_hostile_text_is_escaped(web: TestClient, make_user: MakeUser, api: ApiFactory) -> None:
    organization = api.organization()
    offer = api.offer(organization["id"], title="<script>alert(1)</script>")
    _signed_in_provider(web, make_user, organization["id"])
    for path in (
        "/provider",
        f"/provider/offers/{offer['id']}",
        f"/provider/offers/{offer['id']}/edit",
    ):
        html = web.get(path).text
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_capacity_below_the_places_held_is_refused_on_the_form(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    organization = api.organization()
    offer = api.offer(organization["id"], capacity=3)
    _proposed_match(api, offer["id"])
    _proposed_match(api, offer["id"])
    token = _signed_in_provider(web, make_user, organization["id"])
    version = str(_offer(api, offer["id"])["version"])
    refused = web.post(
        f"/provider/offers/{offer['id']}/edit",
        data=_offer_form(token, capacity="1", title="Still mine", version=version),
    )
    assert refused.status_code == 409
    html = main_of(refused.text)
    assert 'id="err-capacity"' in html
    assert "agreed hold 2 places: give a capacity of at least 2" in html
    assert 'value="Still mine"' in html
    assert _offer(api, offer["id"])["capacity"] == 3


def test_a_provider_finds_published_requests_that_fit_and_expresses_interest(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    organization = api.organization()
    offer = npm_offer(api, organization_id=organization["id"])
    published = npm_request(api, consent_to_publish=True)
    npm_request(api, title="An unpublished request for an NPM", consent_to_publish=False)
    token = _signed_in_provider(web, make_user, organization["id"])
    page = main_of(web.get(f"/provider/offers/{offer['id']}").text)
    fitting = page.split('id="fitting-heading"', 1)[1].split("</section>", 1)[0]
    assert published["title"] in fitting
    assert "An unpublished request" not in fitting  # only OHCHR may propose it
    assert "Kazakhstan" in fitting
    interest = {"csrf_token": token, "request_id": str(published["id"])}
    answer = web.post(
        f"/provider/offers/{offer['id']}/interest", data=interest, follow_redirects=False
    )
    assert answer.status_code == 303
    suggested = api.client.get(
        "/api/v1/matches", params={"offer_id": offer["id"]}, headers=api.staff
    ).json()["items"]
    assert [(m["request_id"], m["status"]) for m in suggested] == [(published["id"], "suggested")]
    assert suggested[0]["score"] > 0
    history = api.client.get(
        "/api/v1/audit",
        params={"entity_type": "match", "entity_id": suggested[0]["id"]},
        headers=api.staff,
    ).json()["items"]
    assert "interest" in {entry["action"] for entry in history}
    # the pair is now in OHCHR's review: no second interest
    assert "OHCHR already has this pair" in main_of(web.get(f"/provider/offers/{offer['id']}").text)
    again = web.post(f"/provider/offers/{offer['id']}/interest", data=interest)
    assert again.status_code == 409
    # an unpublished request cannot be reached by guessing its number
    hidden = api.client.get(
        "/api/v1/requests", params={"q": "unpublished"}, headers=api.staff
    ).json()["items"][0]
    refused = web.post(
        f"/provider/offers/{offer['id']}/interest",
        data={"csrf_token": token, "request_id": str(hidden["id"])},
    )
    assert refused.status_code == 422
    # nor through another organization's offer
    other = npm_offer(api)
    assert web.post(f"/provider/offers/{other['id']}/interest", data=interest).status_code == 403
