"""Public pages: lists, filters, details and the State page, built on the API's repositories
so that what is hidden from the API is hidden here too."""

from __future__ import annotations

import re

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from app.pairing import semantic
from tests.support.factories import ApiFactory
from tests.support.web import MakeUser, main_of, sign_in

HTMX = {"HX-Request": "true", "HX-Target": "results"}


def _result_titles(html: str) -> list[str]:
    return re.findall(r"<h3><a href=\"[^\"]+\">([^<]+)</a></h3>", main_of(html))


def test_home_explains_and_links(web: TestClient) -> None:
    page = web.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    html = page.text
    assert '<html lang="en"' in html
    assert 'href="#main"' in html  # skip link
    for path in ("/recommendations", "/offers", "/requests", "/activities", "/states"):
        assert f'href="{path}"' in html
    assert 'action="/recommendations"' in html


@pytest.mark.dialects
def test_recommendations_are_searched_and_filtered(web: TestClient, api: ApiFactory) -> None:
    api.recommendation("KAZ", text="Ratify OPCAT without delay", themes=["torture"], session=34)
    api.recommendation(
        "KAZ",
        text="Ensure free birth registration",
        themes=["name-identity-nationality"],
        position="noted",
        session=20,
        sdgs=["sdg-16"],
    )
    api.recommendation("FRA", text="Combat torture in prisons", themes=["torture"], session=43)

    def found(query: str) -> set[str]:
        page = web.get(f"/recommendations{query}")
        assert page.status_code == 200, page.text
        return set(re.findall(r"<p>([^<]+)</p>", main_of(page.text))) & {
            "Ratify OPCAT without delay",
            "Ensure free birth registration",
            "Combat torture in prisons",
        }

    assert len(found("")) == 3
    assert found("?state=FRA") == {"Combat torture in prisons"}
    assert found("?state=kaz&theme=torture") == {"Ratify OPCAT without delay"}
    assert found("?position=noted") == {"Ensure free birth registration"}
    assert found("?cycle=2") == {"Ensure free birth registration"}
    assert found("?cycle=4") == {"Combat torture in prisons"}
    assert found("?sdg=sdg-16") == {"Ensure free birth registration"}
    assert found("?q=torture") == {"Combat torture in prisons"}
    # what an empty form sends, and nonsense, are ignored rather than refused
    assert len(found("?state=&cycle=&theme=&position=&sdg=&q=&page=")) == 3
    assert len(found("?cycle=abc&position=maybe&page=-3&state=12")) == 3
    # the form keeps what was chosen, with labels on every field
    html = web.get("/recommendations?state=FRA&position=noted").text
    assert '<option value="FRA" selected>' in html
    assert '<option value="noted" selected>' in html
    for field in ("q", "state", "cycle", "position", "theme", "sdg"):
        assert f'<label for="f-{field}">' in html
        assert f'id="f-{field}"' in html


def test_a_word_no_text_holds_finds_the_recommendations_on_what_it_names(
    web: TestClient, api: ApiFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(semantic, "SHORT_QUERY_MIN_SIMILARITY", 1.0)  # nothing by meaning
    abuse = "Adopt a law on domestic abuse"
    api.recommendation("KAZ", text=abuse, themes=["violence-against-women"])
    api.recommendation("KAZ", text="Ratify OPCAT without delay", themes=["torture"])
    html = main_of(web.get("/recommendations?q=femmes").text)
    assert abuse in html
    assert "Ratify OPCAT" not in html
    note = html.split('id="concepts-note">', 1)[1].split("</p>", 1)[0]
    assert "No text contains “femmes”" in note
    for label in ("Violence against women", "Women &amp; girls"):
        assert label in note, note
    french = main_of(web.get("/recommendations?q=femmes", headers={"Accept-Language": "fr"}).text)
    french_note = french.split('id="concepts-note">', 1)[1].split("</p>", 1)[0]
    assert "Aucun texte ne contient « femmes »" in french_note
    assert "Violence à l&#39;égard des femmes" in french_note
    # a text holding the word: no concepts
    assert 'id="concepts-note"' not in web.get("/recommendations?q=OPCAT").text


def test_an_offer_search_by_a_word_no_offer_holds_finds_the_offers_on_what_it_names(
    web: TestClient, api: ApiFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(semantic, "SHORT_QUERY_MIN_SIMILARITY", 1.0)  # nothing by meaning
    provider = api.organization()["id"]
    shelter = api.offer(provider, title="Shelter management course", themes=["domestic-violence"])
    api.offer(provider, title="Prison inspection course", themes=["violence-against-women"])
    api.offer(provider, title="OPCAT visits", themes=["torture"])
    found = _result_titles(web.get("/offers?q=mujeres").text)
    assert found == ["Prison inspection course"], found
    html = main_of(web.get("/offers?q=mujeres").text)
    assert "Violence against women" in html.split('id="concepts-note">', 1)[1]
    assert shelter["title"] in _result_titles(web.get("/offers?q=shelter").text)


def test_recommendations_are_paginated(web: TestClient, api: ApiFactory) -> None:
    for n in range(23):
        api.recommendation("KAZ", text=f"Recommendation number {n:02d}")
    first = web.get("/recommendations?state=KAZ").text
    assert "23 recommendations" in first
    assert "Page 1 of 2" in first
    assert 'href="?state=KAZ&amp;page=2"' in first
    second = web.get("/recommendations?state=KAZ&page=2").text
    assert "Page 2 of 2" in second
    assert "Recommendation number 22" in second
    assert "Recommendation number 22" not in first


def test_live_filtering_answers_htmx_with_the_results_alone(
    web: TestClient, api: ApiFactory
) -> None:
    api.recommendation("KAZ", text="Strengthen the ombudsman")
    full = web.get("/recommendations?q=ombudsman")
    assert "<html" in full.text
    assert 'hx-get="/recommendations"' in full.text  # progressive enhancement on a plain form
    assert 'method="get" action="/recommendations"' in full.text
    partial = web.get("/recommendations?q=ombudsman", headers=HTMX)
    assert partial.status_code == 200
    assert "<html" not in partial.text
    assert partial.text.lstrip().startswith('<section id="results"')
    assert "Strengthen the ombudsman" in partial.text
    assert "HX-Request" in partial.headers["vary"]
    restore = web.get(
        "/recommendations?q=ombudsman", headers={**HTMX, "HX-History-Restore-Request": "true"}
    )
    assert "<html" in restore.text


def test_recommendation_page_shows_only_published_linked_records(
    web: TestClient, api: ApiFactory
) -> None:
    rec = api.recommendation("KAZ", text="Establish a national preventive mechanism")
    api.request(
        "KAZ",
        title="Published NPM request",
        recommendation_ids=[rec["id"]],
        status="open",
        consent_to_publish=True,
    )
    api.request("KAZ", title="Secret NPM request", recommendation_ids=[rec["id"]], status="open")
    org = api.organization(name="UNDP Astana")
    api.activity(
        "KAZ",
        title="Published NPM workshop",
        recommendation_ids=[rec["id"]],
        provider_ids=[org["id"]],
        consent_to_publish=True,
    )
    api.activity("KAZ", title="Secret NPM workshop", recommendation_ids=[rec["id"]])

    page = web.get(f"/recommendations/{rec['id']}")
    assert page.status_code == 200
    html = main_of(page.text)
    assert "Establish a national preventive mechanism" in html
    assert "Published NPM request" in html
    assert "Published NPM workshop" in html
    assert "UNDP Astana" in html
    assert "Secret" not in html
    listing = main_of(web.get("/recommendations").text)
    assert "1 request · 1 activity" in listing


def test_unknown_records_answer_an_html_404(web: TestClient, api: ApiFactory) -> None:
    for path in ("/recommendations/999999", "/recommendations/abc", "/states/XXX", "/nowhere"):
        page = web.get(path)
        assert page.status_code == 404, path
        assert page.headers["content-type"].startswith("text/html")
        assert "Page not found" in page.text
    api_404 = web.get("/api/v1/recommendations/999999")
    assert api_404.status_code == 404
    assert api_404.headers["content-type"] == "application/problem+json"


def test_unpublished_requests_never_appear_publicly(web: TestClient, api: ApiFactory) -> None:
    published = api.request(
        "KAZ", title="Open published request", status="open", consent_to_publish=True
    )
    draft_with_consent = api.request("KAZ", title="Draft with consent", consent_to_publish=True)
    without_consent = api.request("KAZ", title="Open without consent", status="open")

    for path in ("/requests", "/requests?state=KAZ", "/states/KAZ", "/", "/requests?q=Draft"):
        html = web.get(path).text
        assert "Draft with consent" not in html, path
        assert "Open without consent" not in html, path
    assert _result_titles(web.get("/requests").text) == ["Open published request"]
    assert web.get(f"/requests/{published['id']}").status_code == 200
    for hidden in (draft_with_consent, without_consent):
        page = web.get(f"/requests/{hidden['id']}")
        assert page.status_code == 404
        assert hidden["title"] not in page.text


def test_a_signed_in_state_also_sees_its_own_unpublished_requests(
    web: TestClient, api: ApiFactory, make_user: MakeUser
) -> None:
    api.request("KAZ", title="Kazakh open request", status="open", consent_to_publish=True)
    own = api.request("KAZ", title="Kazakh private draft")
    other = api.request("UZB", title="Uzbek private draft")

    assert sign_in(web, make_user("state", state="KAZ")).status_code == 303
    titles = _result_titles(web.get("/requests").text)
    assert titles == ["Kazakh open request", "Kazakh private draft"]
    assert "Not published" in main_of(web.get("/requests").text)
    assert web.get(f"/requests/{own['id']}").status_code == 200
    assert web.get(f"/requests/{other['id']}").status_code == 404
    assert "Kazakh private draft" in web.get("/states/KAZ").text
    # signed-in pages are not cached
    assert web.get("/requests").headers["cache-control"] == "no-store"


def test_offers_page_lists_active_offers(web: TestClient, api: ApiFactory) -> None:
    org = api.organization(name="OSCE ODIHR", type="regional_org")
    api.offer(
        org["id"], title="Trial monitoring", status="active", countries=["KAZ"], themes=["torture"]
    )
    api.offer(org["id"], title="Draft offer", countries=["KAZ"], status="draft")
    api.offer(
        org["id"],
        title="Global data help",
        status="active",
        countries=[],
        is_global=True,
        themes=["torture"],
    )
    html = web.get("/offers").text
    assert _result_titles(html) == ["Trial monitoring", "Global data help"]
    assert "OSCE ODIHR" in html
    assert "Worldwide" in html
    assert _result_titles(web.get("/offers?covers=FRA").text) == ["Global data help"]
    assert _result_titles(web.get("/offers?q=trial").text) == ["Trial monitoring"]
    offer_id = re.search(r'href="/offers/(\d+)"', main_of(html))
    assert offer_id
    detail = web.get(f"/offers/{offer_id.group(1)}")
    assert detail.status_code == 200
    assert "Prohibition of torture" in detail.text


def test_activities_page_lists_published_activities(web: TestClient, api: ApiFactory) -> None:
    api.activity("KAZ", title="Published training", consent_to_publish=True, status="ongoing")
    hidden = api.activity("KAZ", title="Unpublished training")
    html = web.get("/activities").text
    assert _result_titles(html) == ["Published training"]
    assert "Ongoing" in html
    assert _result_titles(web.get("/activities?status=completed").text) == []
    assert web.get(f"/activities/{hidden['id']}").status_code == 404


def test_state_page_summarises_coverage_by_theme(web: TestClient, api: ApiFactory) -> None:
    api.recommendation("KAZ", themes=["torture"])
    api.recommendation("KAZ", themes=["torture"])
    api.recommendation("KAZ", themes=["name-identity-nationality"])
    api.recommendation("KAZ", themes=["right-to-education"], position="noted")
    api.request(
        "KAZ", title="NPM support", themes=["torture"], status="open", consent_to_publish=True
    )
    api.request("KAZ", title="Hidden request", themes=["torture"], status="open")
    org = api.organization(name="OHCHR ROCA")
    api.offer(
        org["id"], title="NPM training", status="active", countries=["KAZ"], themes=["torture"]
    )
    api.offer(
        org["id"],
        title="Paused offer",
        status="paused",
        countries=["KAZ"],
        themes=["name-identity-nationality"],
    )
    api.offer(
        org["id"],
        title="Offer elsewhere",
        status="active",
        countries=["FRA"],
        themes=["name-identity-nationality"],
    )

    page = web.get("/states/kaz")
    assert page.status_code == 200
    html = main_of(page.text)
    assert "<h1>Kazakhstan</h1>" in html
    assert "of 4 received" in html
    assert (
        "1 of the 2 themes of its supported recommendations have an offer or an activity." in html
    )
    rows = re.findall(
        r"<tr( class=\"gap\")?>\s*<th scope=\"row\">([^<]+)</th>(.*?)</tr>", html, re.S
    )
    by_theme = {name: (gap, re.findall(r">(\d+)<", cells)) for gap, name, cells in rows}
    assert by_theme["Prohibition of torture &amp; ill-treatment"] == ("", ["2", "1", "1", "0"])
    assert by_theme["Rights related to name, identity &amp; nationality"] == (
        ' class="gap"',
        ["1", "0", "0", "0"],
    )
    assert "NPM support" in html
    assert "NPM training" in html
    assert "Hidden request" not in html
    assert "Paused offer" not in html
    assert "Offer elsewhere" not in html


def test_states_index_links_every_member_state(web: TestClient) -> None:
    html = web.get("/states").text
    assert html.count('href="/states/') == 193
    assert '<a href="/states/KAZ">Kazakhstan</a>' in html


def test_user_text_is_escaped(web: TestClient, api: ApiFactory) -> None:
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    rec = api.recommendation("KAZ", text=f"Recommendation {attack}")
    request = api.request(
        "KAZ",
        title=f"Request {attack}",
        description=attack,
        recommendation_ids=[rec["id"]],
        status="open",
        consent_to_publish=True,
    )
    api.organization(name=f"Org {attack}")
    pages = [
        "/recommendations",
        f"/recommendations/{rec['id']}",
        "/requests",
        f"/requests/{request['id']}",
        "/states/KAZ",
        f"/recommendations?q={attack}",
    ]
    for path in pages:
        html = web.get(path).text
        assert "<script>alert" not in html, path
        assert "<img src=x" not in html, path
    assert (
        "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"
        in web.get(f"/requests/{request['id']}").text
    )


def test_pages_carry_security_headers(web: TestClient) -> None:
    for path in ("/", "/recommendations", "/login", "/nowhere"):
        headers = web.get(path).headers
        assert headers["content-security-policy"].startswith("default-src 'self'"), path
        assert "script-src 'self'" in headers["content-security-policy"]
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "same-origin"
    # no inline script or style that the policy would block
    html = web.get("/").text
    assert "<script>" not in html
    assert "<style" not in html
    assert " style=" not in html
    # the OpenAPI pages load their own scripts, and the API answers JSON: both left alone
    assert "content-security-policy" not in web.get("/docs").headers
    assert "content-security-policy" not in web.get("/api/v1/health").headers


def test_static_files_are_served_from_the_package(web: TestClient) -> None:
    htmx = web.get("/static/htmx.min.js")
    assert htmx.status_code == 200
    assert "htmx" in htmx.text[:200]
    assert web.get("/static/app.css").status_code == 200
    assert "Zero-Clause BSD" in web.get("/static/htmx.LICENSE.txt").text


def test_unexpected_errors_answer_an_html_page_and_the_api_keeps_json(settings: Settings) -> None:
    app = create_app(settings)
    broken = APIRouter()

    @broken.get("/broken-page")
    def broken_page() -> None:
        raise RuntimeError("boom")

    @broken.get("/api/v1/broken")
    def broken_api() -> None:
        raise RuntimeError("boom")

    app.include_router(broken)
    with TestClient(app, raise_server_exceptions=False) as client:
        page = client.get("/broken-page")
        assert page.status_code == 500
        assert "Something went wrong" in page.text
        assert "boom" not in page.text
        api = client.get("/api/v1/broken")
        assert api.status_code == 500
        assert api.headers["content-type"] == "application/problem+json"
