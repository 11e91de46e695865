"""The State focal point's pages: its requests, the request form and its answers to proposed
matches, through the real app with the API's services and rules."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.auth.models import Role
from app.pairing import semantic
from tests.support.factories import ApiFactory
from tests.support.pairs import npm_offer
from tests.support.web import MakeUser, csrf_from, main_of, sign_in

HTMX = {"HX-Request": "true"}


def _signed_in_state(web: TestClient, make_user: MakeUser, iso3: str = "KAZ") -> str:
    """Sign in a focal point of `iso3`; the CSRF token of its session."""
    assert sign_in(web, make_user(Role.state, state=iso3)).status_code == 303
    return csrf_from(web.get("/state").text)


def _form(token: str, **fields: Any) -> dict[str, Any]:
    return {"csrf_token": token, "action": "submit", **fields}


def _proposed_match(api: ApiFactory, request_id: int, organization_id: int) -> dict[str, Any]:
    offer = api.offer(organization_id, countries=["KAZ"], capacity=3)
    match = api.match(request_id, offer["id"])
    response = api.client.post(
        f"/api/v1/matches/{match['id']}/propose",
        json={"version": match["version"]},
        headers=api.staff,
    )
    assert response.status_code == 200, response.text
    proposed: dict[str, Any] = response.json()
    return proposed


def _match(api: ApiFactory, match_id: int) -> dict[str, Any]:
    response = api.client.get(f"/api/v1/matches/{match_id}", headers=api.staff)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


# --- access -------------------------------------------------------------------------------------
def test_anonymous_users_are_sent_to_sign_in(web: TestClient) -> None:
    for path in ("/state", "/state/requests/new", "/state/requests/1"):
        response = web.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")


def test_other_roles_get_a_403_page(web: TestClient, make_user: MakeUser, api: ApiFactory) -> None:
    sign_in(web, make_user(Role.provider, organization_id=api.organization()["id"]))
    page = web.get("/state")
    assert page.status_code == 403
    assert page.headers["content-type"].startswith("text/html")
    token = csrf_from(page.text)
    refused = web.post("/state/requests/new", data=_form(token, title="x"))
    assert refused.status_code == 403


def test_navigation_links_to_the_state_area(web: TestClient, make_user: MakeUser) -> None:
    _signed_in_state(web, make_user)
    assert 'href="/state"' in web.get("/").text


# --- dashboard and ownership -------------------------------------------------------------------
def test_dashboard_lists_own_requests_only(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    own = api.request("KAZ", title="Support for our NHRI", status="open")
    other = api.request(
        "FRA", title="French published request", status="open", consent_to_publish=True
    )
    _signed_in_state(web, make_user)
    html = main_of(web.get("/state").text)
    assert "Support for our NHRI" in html
    assert "French published request" not in html
    assert web.get(f"/state/requests/{own['id']}").status_code == 200
    # another State's request is not reachable here, even when published
    assert web.get(f"/state/requests/{other['id']}").status_code == 404


def test_the_form_offers_only_own_supported_recommendations(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    own = api.recommendation("KAZ", text="Establish an NHRI in line with the Paris Principles")
    api.recommendation("KAZ", text="Abolish the death penalty entirely", position="noted")
    foreign = api.recommendation("FRA", text="Strengthen the French prison inspectorate")
    _signed_in_state(web, make_user)
    page = web.get("/state/requests/new")
    assert page.status_code == 200
    html = main_of(page.text)
    assert "Paris Principles" in html
    assert "death penalty" not in html
    assert "French prison" not in html
    # search without JavaScript: a normal GET
    searched = main_of(web.get("/state/requests/new?q=paris").text)
    assert f'value="{own["id"]}"' in searched
    assert "Paris Principles" in searched
    assert "Paris Principles" not in main_of(web.get("/state/requests/new?q=prison").text)
    # search as you type: the partial alone; another State's recommendation is never listed,
    # even when its id is sent as chosen
    partial = web.get(
        "/state/recommendations",
        params={"q": "inspectorate", "recommendation_ids": [str(foreign["id"]), str(own["id"])]},
        headers=HTMX,
    )
    assert partial.status_code == 200
    assert "<html" not in partial.text
    assert "French prison" not in partial.text
    assert re.search(rf'value="{own["id"]}" checked', partial.text)


def test_the_picker_shows_what_practitioners_know_filters_and_shows_more(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    tagged = api.recommendation(
        "KAZ",
        text="Ratify the Optional Protocol to the Convention against Torture",
        themes=["torture"],
        cycle=2,
        session=20,
        document_symbol="A/HRC/28/10",
        paragraph="120.5",
        recommending_states=["FRA", "ESP"],
    )
    for n in range(35):
        api.recommendation(
            "KAZ",
            text=f"Strengthen the judiciary, step {n}",
            cycle=3,
            themes=["administration-of-justice"],
        )
    token = _signed_in_state(web, make_user)
    html = main_of(web.get("/state/requests/new").text)
    assert "the first 30 are shown" in html
    label = html.split(f'for="rec-{tagged["id"]}"', 1)[1].split("</label>", 1)[0]
    for known in ("A/HRC/28/10", "120.5", "Session 20", "cycle 2", "France", "Spain", "Torture"):
        assert known in label, known
    by_theme = web.get(
        "/state/recommendations", params={"pick_theme": "torture"}, headers=HTMX
    ).text
    assert "Optional Protocol" in by_theme
    assert "judiciary" not in by_theme
    by_cycle = web.get("/state/recommendations", params={"pick_cycle": "2"}, headers=HTMX).text
    assert "Optional Protocol" in by_cycle
    assert "judiciary" not in by_cycle
    more = web.get("/state/recommendations", params={"pick_limit": "60"}, headers=HTMX).text
    assert more.count('name="recommendation_ids"') == 36
    # without JavaScript, "show more" posts the form back with everything kept
    posted = web.post(
        "/state/requests/new",
        data=_form(token, action="more", title="Kept title", pick_limit="30"),
    )
    assert posted.status_code == 200
    assert posted.text.count('name="recommendation_ids"') == 36
    assert 'value="Kept title"' in posted.text


def test_the_picker_finds_the_recommendations_on_what_a_word_names(
    web: TestClient, make_user: MakeUser, api: ApiFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(semantic, "SHORT_QUERY_MIN_SIMILARITY", 1.0)  # nothing by meaning
    api.recommendation("KAZ", text="Set up juvenile courts", themes=["juvenile-justice"])
    api.recommendation("KAZ", text="Ratify OPCAT without delay", themes=["torture"])
    _signed_in_state(web, make_user)
    html = web.get("/state/recommendations", params={"q": "niños"}, headers=HTMX).text
    assert "Set up juvenile courts" in html
    assert "OPCAT" not in html
    assert "Children: juvenile justice" in html.split('id="concepts-note">', 1)[1]


# --- the request form ---------------------------------------------------------------------------
def test_a_request_is_filed_through_the_form(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    rec = api.recommendation("KAZ", text="Establish an NHRI", themes=["nhri"])
    token = _signed_in_state(web, make_user)
    form = web.get("/state/requests/new").text
    for field in ("f-title", "f-description", "f-consent", "f-period_start", "f-q"):
        assert (
            f'<label for="{field}"' in form
            or f'<label class="visually-hidden" for="{field}"' in form
        )
    assert "<legend>" in form
    response = web.post(
        "/state/requests/new",
        data=_form(
            token,
            title="Help with the NHRI law",
            description="Drafting support for the law on the NHRI",
            recommendation_ids=[str(rec["id"])],
            assistance_types=["legislative-review"],
            languages=["ru", "en"],
            consent_to_publish="1",
        ),
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert re.fullmatch(r"/state/requests/\d+", location)
    request_id = int(location.rsplit("/", 1)[1])
    stored = api.client.get(f"/api/v1/requests/{request_id}", headers=api.staff).json()
    assert stored["state"] == "KAZ"
    assert stored["status"] == "open"
    assert stored["recommendation_ids"] == [rec["id"]]
    assert stored["themes"] == ["nhri"]  # from the recommendation, as the API does
    assert stored["assistance_types"] == ["legislative-review"]
    assert stored["languages"] == ["en", "ru"]
    assert stored["consent_to_publish"] is True
    page = web.get(location).text
    assert "Help with the NHRI law" in page
    assert "Establish an NHRI" in page
    assert "Help with the NHRI law" in web.get("/state").text
    # published with consent: the public sees it too
    assert "Help with the NHRI law" in web.get("/requests").text


def test_a_draft_is_saved_then_submitted_and_withdrawn(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    token = _signed_in_state(web, make_user)
    response = web.post(
        "/state/requests/new",
        data=_form(token, title="A draft", action="draft"),
        follow_redirects=False,
    )
    assert response.status_code == 303
    location = response.headers["location"]
    request_id = int(location.rsplit("/", 1)[1])

    def stored() -> dict[str, Any]:
        found: dict[str, Any] = api.client.get(
            f"/api/v1/requests/{request_id}", headers=api.staff
        ).json()
        return found

    assert stored()["status"] == "draft"
    page = web.get(location).text
    version = stored()["version"]
    assert f'name="version" value="{version}"' in page
    submitted = web.post(
        f"{location}/status",
        data={"csrf_token": token, "status": "open", "version": str(version)},
        follow_redirects=False,
    )
    assert submitted.status_code == 303
    assert stored()["status"] == "open"
    # a stale version is refused, as the API refuses it
    stale = web.post(
        f"{location}/status",
        data={"csrf_token": token, "status": "withdrawn", "version": str(version)},
    )
    assert stale.status_code == 409
    assert stored()["status"] == "open"
    # a status the State may not set from here
    odd = web.post(
        f"{location}/status",
        data={"csrf_token": token, "status": "matched", "version": str(stored()["version"])},
    )
    assert odd.status_code == 422
    withdrawn = web.post(
        f"{location}/status",
        data={"csrf_token": token, "status": "withdrawn", "version": str(stored()["version"])},
        follow_redirects=False,
    )
    assert withdrawn.status_code == 303
    assert stored()["status"] == "withdrawn"


def test_a_filed_request_is_edited_and_its_versions_are_listed(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    item = api.request("KAZ", title="Support for our NHRI", status="open", themes=["torture"])
    token = _signed_in_state(web, make_user)
    page = main_of(web.get(f"/state/requests/{item['id']}").text)
    assert f'href="/state/requests/{item["id"]}/edit"' in page
    assert "Not published: only your State and OHCHR see it" in page
    form = web.get(f"/state/requests/{item['id']}/edit").text
    assert 'value="Support for our NHRI"' in form
    assert f'name="version" value="{item["version"]}"' in form
    saved = web.post(
        f"/state/requests/{item['id']}/edit",
        data=_form(
            token,
            action="save",
            title="Support for the NHRI's visits",
            themes=["torture", "conditions-of-detention"],
            consent_to_publish="1",
            version=str(item["version"]),
        ),
        follow_redirects=False,
    )
    assert saved.status_code == 303, re.findall(r"field-error[^>]*>([^<]*)", saved.text)
    stored = api.client.get(f"/api/v1/requests/{item['id']}", headers=api.staff).json()
    assert stored["title"] == "Support for the NHRI's visits"
    assert stored["themes"] == ["conditions-of-detention", "torture"]
    assert stored["consent_to_publish"] is True
    assert stored["status"] == "open"
    page = main_of(web.get(f"/state/requests/{item['id']}").text)
    assert "Published on the public pages" in page
    history = page.split('id="history-heading"', 1)[1]
    assert "Version 2" in history
    assert "Version 1" in history
    assert "<del>" not in history  # the party's history names fields, not raw snapshots
    assert "Support for our NHRI" in history
    assert "Support for the NHRI&#39;s visits" in history
    assert "Not published" in history
    # the form read before that save is stale: the input is kept and the conflict said
    stale = web.post(
        f"/state/requests/{item['id']}/edit",
        data=_form(token, action="save", title="Late edit", version=str(item["version"])),
    )
    assert stale.status_code == 409
    assert 'id="form-conflict"' in stale.text
    assert 'value="Late edit"' in stale.text


def test_a_closed_request_cannot_be_edited_and_only_a_draft_deleted(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    withdrawn = api.request("KAZ", status="open")
    withdrawn = api.client.patch(
        f"/api/v1/requests/{withdrawn['id']}",
        json={"status": "withdrawn", "version": withdrawn["version"]},
        headers=api.staff,
    ).json()
    draft = api.request("KAZ", title="Unfinished idea", status="draft")
    open_one = api.request("KAZ", status="open")
    token = _signed_in_state(web, make_user)
    assert "/edit" not in main_of(web.get(f"/state/requests/{withdrawn['id']}").text)
    assert web.get(f"/state/requests/{withdrawn['id']}/edit").status_code == 422
    assert "/delete" not in main_of(web.get(f"/state/requests/{open_one['id']}").text)
    refused = web.post(
        f"/state/requests/{open_one['id']}/delete",
        data={"csrf_token": token, "version": str(open_one["version"])},
    )
    assert refused.status_code == 403
    page = main_of(web.get(f"/state/requests/{draft['id']}").text)
    assert f'action="/state/requests/{draft["id"]}/delete"' in page
    deleted = web.post(
        f"/state/requests/{draft['id']}/delete",
        data={"csrf_token": token, "version": str(draft["version"])},
        follow_redirects=False,
    )
    assert deleted.status_code == 303
    assert deleted.headers["location"] == "/state"
    assert web.get(f"/state/requests/{draft['id']}").status_code == 404
    assert "Unfinished idea" not in main_of(web.get("/state").text)


def test_a_post_without_the_csrf_token_is_refused(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    _signed_in_state(web, make_user)
    response = web.post("/state/requests/new", data={"title": "Forged", "action": "submit"})
    assert response.status_code == 403
    assert "The form has expired" in response.text
    assert "Forged" not in web.get("/state").text


def test_validation_errors_re_render_the_form_with_the_input(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    rec = api.recommendation("KAZ", text="Ratify OPCAT")
    token = _signed_in_state(web, make_user)
    response = web.post(
        "/state/requests/new",
        data=_form(
            token,
            title="",
            description="Kept <b>description</b>",
            recommendation_ids=[str(rec["id"])],
            languages=["fr"],
            period_start="2026-05-01",
            period_end="2026-01-01",
        ),
    )
    assert response.status_code == 422
    html = main_of(response.text)
    assert 'id="err-title"' in html
    assert 'aria-describedby="err-title"' in html
    assert 'aria-invalid="true"' in html
    assert 'id="err-period_end"' in html  # reported together with the missing title
    assert "Kept &lt;b&gt;description&lt;/b&gt;" in html
    assert re.search(rf'value="{rec["id"]}" checked', html)
    assert 'value="fr" checked' in html
    assert 'value="2026-05-01"' in html
    assert web.get("/state").text.count("Kept") == 0


def test_another_states_recommendation_cannot_be_picked(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    foreign = api.recommendation("FRA", text="Strengthen the French prison inspectorate")
    token = _signed_in_state(web, make_user)
    response = web.post(
        "/state/requests/new",
        data=_form(token, title="Sneaky", recommendation_ids=[str(foreign["id"])]),
    )
    assert response.status_code == 422
    html = main_of(response.text)
    assert 'id="err-recommendation_ids"' in html
    assert "French prison" not in html
    listed = api.client.get("/api/v1/requests?state=KAZ", headers=api.staff).json()
    assert listed["total"] == 0


def test_theme_suggestions_come_from_the_tagger(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    token = _signed_in_state(web, make_user)
    data = _form(
        token,
        title="National human rights institution",
        description="Bring the national human rights institution in line with the Paris "
        "Principles and obtain A status accreditation",
        themes=["torture"],
    )
    partial = web.post("/state/themes/suggest", data=data, headers=HTMX)
    assert partial.status_code == 200
    assert "<html" not in partial.text
    assert 'value="nhri" checked' in partial.text  # suggested and ticked
    assert 'value="torture" checked' in partial.text  # chosen before, kept
    # without JavaScript: the whole form again, with the suggestions and the input
    page = web.post("/state/requests/new", data={**data, "action": "suggest"})
    assert page.status_code == 200
    assert 'value="nhri" checked' in page.text
    assert 'value="National human rights institution"' in page.text


def test_hostile_text_is_escaped(web: TestClient, make_user: MakeUser, api: ApiFactory) -> None:
    token = _signed_in_state(web, make_user)
    response = web.post(
        "/state/requests/new",
        data=_form(token, title="<script>alert(1)</script>"),
        follow_redirects=False,
    )
    assert response.status_code == 303
    for path in ("/state", response.headers["location"]):
        html = web.get(path).text
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_form_in_french(web: TestClient, make_user: MakeUser, api: ApiFactory) -> None:
    _signed_in_state(web, make_user)
    web.get("/language/fr?next=/state")
    page = web.get("/state/requests/new")
    assert page.status_code == 200
    assert '<html lang="fr"' in page.text
    html = main_of(page.text)
    assert "Nouvelle demande d'assistance" in html
    assert "Suggérer des thèmes" in html
    assert "Soumettre la demande" in html
    assert "New request for assistance" not in html


# --- answers to proposed matches -----------------------------------------------------------------
def test_the_state_accepts_and_declines_proposed_matches(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    organization = api.organization(name="UNDP")
    request = api.request("KAZ", title="Support for OPCAT", status="open")
    first = _proposed_match(api, request["id"], organization["id"])
    second = _proposed_match(api, request["id"], organization["id"])
    token = _signed_in_state(web, make_user)
    home = main_of(web.get("/state").text)
    assert "Support for OPCAT" in home
    assert f'action="/state/matches/{first["id"]}/decision"' in home
    page = main_of(web.get(f"/state/requests/{request['id']}").text)
    assert "UNDP" in page
    assert f'href="/offers/{first["offer_id"]}"' in page  # the proposed offer opens
    assert f'href="/offers/{first["offer_id"]}"' in home
    accepted = web.post(
        f"/state/matches/{first['id']}/decision",
        data={"csrf_token": token, "decision": "accepted", "version": str(first["version"])},
        follow_redirects=False,
    )
    assert accepted.status_code == 303
    assert accepted.headers["location"] == f"/state/requests/{request['id']}"
    assert _match(api, first["id"])["state_decision"] == "accepted"
    assert _match(api, first["id"])["status"] == "proposed"  # the provider has not answered
    # ...so the State can still take back its acceptance, and give it again
    page = main_of(web.get(f"/state/requests/{request['id']}").text)
    assert f'action="/state/matches/{first["id"]}/decision/take-back"' in page
    taken = web.post(
        f"/state/matches/{first['id']}/decision/take-back",
        data={"csrf_token": token, "version": str(_match(api, first["id"])["version"])},
        follow_redirects=False,
    )
    assert taken.status_code == 303
    assert _match(api, first["id"])["state_decision"] == "pending"
    again = web.post(
        f"/state/matches/{first['id']}/decision",
        data={
            "csrf_token": token,
            "decision": "accepted",
            "version": str(_match(api, first["id"])["version"]),
        },
        follow_redirects=False,
    )
    assert again.status_code == 303
    # a second answer is refused
    again = web.post(
        f"/state/matches/{first['id']}/decision",
        data={
            "csrf_token": token,
            "decision": "declined",
            "version": str(_match(api, first["id"])["version"]),
        },
    )
    assert again.status_code == 409
    decline = {
        "csrf_token": token,
        "decision": "declined",
        "reason": "Already covered",
        "version": str(second["version"]),
        "back": "home",
    }
    # Declining is asked again first, with the reason kept and the way back.
    asked = web.post(f"/state/matches/{second['id']}/decision", data=decline)
    assert asked.status_code == 200
    question = main_of(asked.text)
    assert "Decline this proposal?" in question
    assert "Already covered</textarea>" in question
    assert 'href="/state"' in question
    assert _match(api, second["id"])["state_decision"] == "pending"
    declined = web.post(
        f"/state/matches/{second['id']}/decision",
        data={**decline, "confirmed": "1"},
        follow_redirects=False,
    )
    assert declined.status_code == 303
    assert declined.headers["location"] == "/state"
    found = _match(api, second["id"])
    assert (found["status"], found["state_decision"], found["reason"]) == (
        "declined",
        "declined",
        "Already covered",
    )


def test_sign_in_lands_on_the_states_area_with_what_waits_first(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    organization = api.organization()
    answered = api.request("KAZ", title="Support for OPCAT visits", status="open")
    _proposed_match(api, answered["id"], organization["id"])
    api.request("KAZ", title="Help with the NHRI law", status="open")
    landed = sign_in(web, make_user(Role.state, state="KAZ"))
    assert landed.headers["location"] == "/state"
    home = main_of(web.get("/state").text)
    assert "Proposed today" in home  # how long the proposal has waited
    unmatched = home.split('id="attention-unmatched_requests"', 1)[1].split("</section>", 1)[0]
    assert "Help with the NHRI law" in unmatched
    assert "Support for OPCAT visits" not in unmatched  # it has a proposal
    assert "for 0 days" in unmatched
    # the page asked for before signing in wins over the area
    web.post("/logout", data={"csrf_token": csrf_from(web.get("/").text)})
    asked = sign_in(web, make_user(Role.state, state="KAZ"), next_path="/recommendations")
    assert asked.headers["location"] == "/recommendations"


def test_a_recommendation_page_offers_its_own_state_to_request_assistance(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    supported = api.recommendation("KAZ", text="Strengthen the national preventive mechanism")
    _signed_in_state(web, make_user)
    page = main_of(web.get(f"/recommendations/{supported['id']}").text)
    link = f"/state/requests/new?recommendation_ids={supported['id']}"
    assert link in page
    form = web.get(link).text
    assert re.search(rf'value="{supported["id"]}"[^>]*checked', form)
    # another State's focal point sees no such action
    web.post("/logout", data={"csrf_token": csrf_from(web.get("/").text)})
    _signed_in_state(web, make_user, "FRA")
    assert "/state/requests/new" not in main_of(web.get(f"/recommendations/{supported['id']}").text)


def test_another_state_cannot_answer(web: TestClient, make_user: MakeUser, api: ApiFactory) -> None:
    organization = api.organization()
    request = api.request("KAZ", status="open")
    match = _proposed_match(api, request["id"], organization["id"])
    token = _signed_in_state(web, make_user, "FRA")
    response = web.post(
        f"/state/matches/{match['id']}/decision",
        data={"csrf_token": token, "decision": "declined", "version": str(match["version"])},
    )
    assert response.status_code == 404
    assert _match(api, match["id"])["state_decision"] == "pending"
    assert web.get(f"/state/requests/{request['id']}").status_code == 404


def test_the_request_page_shows_inferred_themes_and_the_state_confirms_them(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    rec = api.recommendation(
        state="KAZ", themes=["nhri"], text="Strengthen the independence of the Ombudsperson"
    )
    item = api.request(
        "KAZ",
        title="Preventing torture in prisons",
        description="Training for the national preventive mechanism on visits to prisons",
        recommendation_ids=[rec["id"]],
        themes=[],
    )
    token = _signed_in_state(web, make_user)
    html = main_of(web.get(f"/state/requests/{item['id']}").text)
    assert "Themes and where they come from" in html
    assert "inferred from the title and description" in html
    assert "from a linked recommendation" in html
    assert "not confirmed" in html
    assert "Inferred themes, not confirmed" in html
    response = web.post(
        f"/state/requests/{item['id']}/themes",
        data={"csrf_token": token, "version": item["version"], "themes": ["torture"]},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    body = api.client.get(f"/api/v1/requests/{item['id']}", headers=api.staff).json()
    assert body["themes"] == ["torture"]
    assert {s["theme"]: s["source"] for s in body["theme_sources"]}["torture"] == "text"


def test_a_state_requests_an_offers_help_from_its_page(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    offer = npm_offer(api, capacity=2)
    token = _signed_in_state(web, make_user)
    page = main_of(web.get(f"/offers/{offer['id']}").text)
    assert "2 of 2" in page  # places left
    link = f"/state/requests/new?offer_id={offer['id']}"
    assert link in page
    form = web.get(link).text
    assert offer["title"] in main_of(form)
    assert f'name="offer_id" value="{offer["id"]}"' in form
    assert re.search(r'value="torture"[^>]*checked', form)  # the offer's theme, ticked
    filed = web.post(
        "/state/requests/new",
        data=_form(
            token,
            title="Help for our preventive mechanism",
            description="Training on detention visits",
            themes=["torture"],
            languages=["ru"],
            offer_id=str(offer["id"]),
        ),
        follow_redirects=False,
    )
    assert filed.status_code == 303, filed.text
    request_id = int(filed.headers["location"].rsplit("/", 1)[1])
    paired = api.client.get(
        "/api/v1/matches", params={"offer_id": offer["id"]}, headers=api.staff
    ).json()["items"]
    assert [(m["request_id"], m["status"]) for m in paired] == [(request_id, "suggested")]
    # other roles see no such action
    web.post("/logout", data={"csrf_token": csrf_from(web.get("/").text)})
    assert link not in main_of(web.get(f"/offers/{offer['id']}").text)
