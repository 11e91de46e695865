"""The OHCHR staff pages: dashboard, review queue, batch assignment, duplications and gaps,
through the real application with a signed-in browser session."""

from __future__ import annotations

import re
from typing import Any

import pytest
from babel.numbers import format_decimal
from fastapi.testclient import TestClient

from tests.support.factories import ApiFactory
from tests.support.pairs import npm_offer, npm_request
from tests.support.web import MakeUser, csrf_from, main_of, sign_in

PAGES = ["/staff", "/staff/matches", "/staff/assignment", "/staff/duplications", "/staff/gaps"]
ATTACK = '<script>alert("x")</script>'


def _staff(web: TestClient, make_user: MakeUser, role: str = "staff") -> None:
    assert sign_in(web, make_user(role)).status_code == 303


def _torture_request(api: ApiFactory, **fields: Any) -> Any:
    return npm_request(api, **fields)


def _torture_offer(api: ApiFactory, **fields: Any) -> Any:
    return npm_offer(api, **fields)


def _suggested(api: ApiFactory, **request_fields: Any) -> tuple[Any, Any, Any]:
    """An open request, an active offer, and the suggestion a matching run stores for them."""
    request = _torture_request(api, **request_fields)
    offer = _torture_offer(api)
    run = api.client.post("/api/v1/matching/run", json={}, headers=api.staff)
    assert run.status_code == 200, run.text
    items = api.client.get(f"/api/v1/requests/{request['id']}/matches", headers=api.staff).json()[
        "items"
    ]
    assert items, "matching suggested nothing"
    return request, offer, items[0]


def _match(api: ApiFactory, match_id: int) -> Any:
    return api.client.get(f"/api/v1/matches/{match_id}", headers=api.staff).json()


# --- who may see the staff area --------------------------------------------------------------
@pytest.mark.parametrize("path", PAGES)
def test_anonymous_users_are_sent_to_sign_in(web: TestClient, path: str) -> None:
    response = web.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


@pytest.mark.parametrize("role", ["state", "provider"])
def test_states_and_providers_get_403_on_every_staff_page(
    web: TestClient, make_user: MakeUser, api: ApiFactory, role: str
) -> None:
    binding = {"state": "KAZ"} if role == "state" else {"organization_id": api.organization()["id"]}
    assert sign_in(web, make_user(role, **binding)).status_code == 303
    for path in [*PAGES, "/staff/matches/1"]:
        assert web.get(path).status_code == 403, path
    token = csrf_from(web.get("/").text)
    for path in ["/staff/matching/run", "/staff/matches/1/propose", "/staff/assignment"]:
        response = web.post(path, data={"csrf_token": token}, follow_redirects=False)
        assert response.status_code == 403, path


def test_staff_and_admins_see_the_staff_area_in_the_navigation(
    web: TestClient, make_user: MakeUser
) -> None:
    _staff(web, make_user, "admin")
    html = web.get("/").text
    assert '<a href="/staff">Staff area</a>' in html
    for path in PAGES:
        assert web.get(path).status_code == 200, path


# --- review queue ----------------------------------------------------------------------------
def test_queue_shows_suggestions_with_score_bars_and_explanation(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    request, offer, match = _suggested(api)
    _staff(web, make_user)
    page = web.get("/staff/matches")
    assert page.status_code == 200
    html = main_of(page.text)
    assert request["title"] in html
    assert offer["title"] in html
    assert "Kazakhstan" in html
    assert f"<strong>{format_decimal(round(match['score'], 2), locale='en')}</strong>" in html
    # one bar per component, with its value written out
    assert html.count('class="score-bar"') == 6
    for name in ("Themes in common", "Working languages", "Geographic coverage"):
        assert name in html
    assert f'width="{round(match["score_components"]["coverage"] * 100)}"' in html
    assert "Covers Kazakhstan" in html  # the explanation
    assert f'name="match" value="{match["id"]}:{match["version"]}"' in html  # to tick
    # detail page
    detail = web.get(f"/staff/matches/{match['id']}")
    assert detail.status_code == 200
    assert "Reason (required)" in detail.text
    assert "Covers Kazakhstan" in detail.text
    # another status: none proposed yet
    assert request["title"] not in main_of(web.get("/staff/matches?status=proposed").text)
    assert request["title"] in main_of(web.get("/staff/matches?status=").text)
    assert web.get("/staff/matches/999999").status_code == 404


def test_propose_through_the_form(web: TestClient, make_user: MakeUser, api: ApiFactory) -> None:
    _request, _offer, match = _suggested(api)
    _staff(web, make_user)
    queue = web.get("/staff/matches").text
    response = web.post(
        f"/staff/matches/{match['id']}/propose",
        data={
            "csrf_token": csrf_from(queue),
            "version": match["version"],
            "next": "/staff/matches",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/staff/matches"
    assert _match(api, match["id"])["status"] == "proposed"
    after = web.get("/staff/matches").text
    assert f"Match {match['id']} was proposed" in after  # the message, shown once
    assert "was proposed" not in web.get("/staff/matches").text


def test_reject_needs_a_reason_and_records_it(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    _request, _offer, match = _suggested(api)
    _staff(web, make_user)
    url = f"/staff/matches/{match['id']}"
    token = csrf_from(web.get(url).text)

    missing = web.post(f"{url}/reject", data={"csrf_token": token, "reason": "   "})
    assert missing.status_code == 422
    assert "Give the reason for rejecting this match." in missing.text
    assert 'aria-invalid="true"' in missing.text
    assert _match(api, match["id"])["status"] == "suggested"
    odd = web.post(f"{url}/reject", data={"csrf_token": token, "reason": "bad\x07bell"})
    assert odd.status_code == 422
    assert "without control characters" in odd.text
    assert _match(api, match["id"])["status"] == "suggested"

    done = web.post(
        f"{url}/reject",
        data={"csrf_token": token, "reason": "The provider works only in English"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert done.headers["location"] == url
    after = _match(api, match["id"])
    assert after["status"] == "rejected"
    assert after["reason"] == "The provider works only in English"
    page = web.get(url).text
    assert "was rejected" in page
    assert "The provider works only in English" in page


def test_forms_without_the_csrf_token_are_refused(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    _request, _offer, match = _suggested(api)
    _staff(web, make_user)
    for path, data in [
        (f"/staff/matches/{match['id']}/propose", {}),
        (f"/staff/matches/{match['id']}/reject", {"reason": "no"}),
        ("/staff/matching/run", {}),
        ("/staff/assignment", {"request_limit": "1"}),
    ]:
        response = web.post(path, data={**data, "csrf_token": "forged"})
        assert response.status_code == 403, path
        assert "The form has expired" in response.text
    assert _match(api, match["id"])["status"] == "suggested"


def test_an_illegal_transition_shows_the_reason_on_the_page(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    _request, _offer, match = _suggested(api)
    _staff(web, make_user)
    url = f"/staff/matches/{match['id']}"
    token = csrf_from(web.get(url).text)
    assert web.post(f"{url}/propose", data={"csrf_token": token}).status_code == 200
    again = web.post(f"{url}/propose", data={"csrf_token": token})
    assert again.status_code == 409
    assert "This change is not possible." in again.text
    assert "cannot be proposed" in again.text  # the service's own words
    # a stale page (an old version) is refused the same way
    stale = web.post(
        f"{url}/reject", data={"csrf_token": token, "reason": "late", "version": match["version"]}
    )
    assert stale.status_code == 409
    assert "is stale" in stale.text
    assert _match(api, match["id"])["status"] == "proposed"


def test_hostile_text_is_escaped(web: TestClient, make_user: MakeUser, api: ApiFactory) -> None:
    _request, _offer, match = _suggested(api, title=f"NPM {ATTACK}")
    _staff(web, make_user)
    for path in ["/staff/matches", f"/staff/matches/{match['id']}", "/staff/assignment"]:
        html = web.get(path).text
        assert ATTACK not in html, path
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html, path


# --- dashboard -------------------------------------------------------------------------------
def test_dashboard_counts_and_charts(web: TestClient, make_user: MakeUser, api: ApiFactory) -> None:
    _suggested(api)
    _torture_request(api, title="Second request")
    api.request("SEN", status="open", themes=["right-to-education"])
    api.request("SEN", themes=["right-to-education"])  # a draft: not counted
    api.activity("KAZ", themes=["torture"], status="ongoing")
    _staff(web, make_user)
    page = web.get("/staff")
    assert page.status_code == 200
    html = main_of(page.text)
    totals = {
        label: int(number)
        for number, label in re.findall(r"<strong>(\d+)</strong> <a [^>]+>([^<]+)</a>", html)
    }
    assert totals["open requests"] == 3
    assert totals["active offers"] == 1
    assert totals["suggested matches to review"] >= 1
    assert totals["proposed matches awaiting the parties"] == 0
    assert totals["cooperation activities"] == 1
    assert html.count('<svg class="bars wide" role="img"') == 3
    assert html.count('<svg class="bars narrow" role="img"') == 3  # drawn again for phones
    for title in ("by region", "by theme (top 10)", "recorded per quarter"):
        assert f"Requests and activities {title}" in html
    # the figures table: Asia has 2 requests and 1 activity, Africa 1 request (the draft is out)
    assert re.search(
        r'<th scope="row">Asia</th>\s*<td class="number">2</td><td class="number">1</td>', html
    )
    assert re.search(
        r'<th scope="row">Africa</th>\s*<td class="number">1</td><td class="number">0</td>', html
    )
    assert re.search(
        r'<th scope="row">Prohibition of torture[^<]*</th>\s*<td class="number">2</td>'
        r'<td class="number">1</td>',
        html,
    )
    monthly = main_of(web.get("/staff?period=month").text)
    assert "recorded per month" in monthly
    # inline SVG without inline styles, which the Content Security Policy would block
    assert "style=" not in html


def test_run_matching_from_the_dashboard(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    request = _torture_request(api)
    _torture_offer(api)
    _staff(web, make_user)
    token = csrf_from(web.get("/staff").text)
    response = web.post("/staff/matching/run", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/staff"
    html = web.get("/staff").text
    assert "Matching finished: 1 open requests against 1 active offers." in html
    assert "New suggestions: 1;" in html
    items = api.client.get(f"/api/v1/requests/{request['id']}/matches", headers=api.staff).json()
    assert [m["status"] for m in items["items"]] == ["suggested"]


# --- coordination ----------------------------------------------------------------------------
def test_assignment_preview_and_apply(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    request, offer, match = _suggested(api)
    _staff(web, make_user)
    preview = web.get("/staff/assignment")
    assert preview.status_code == 200
    html = main_of(preview.text)
    assert request["title"] in html
    assert offer["title"] in html
    assert f'name="match_ids" value="{match["id"]}"' in html
    assert "Apply: propose these 1 matches" in html
    assert _match(api, match["id"])["status"] == "suggested", "a preview changes nothing"

    token = csrf_from(preview.text)
    stale = web.post(
        "/staff/assignment",
        data={"csrf_token": token, "request_limit": "1", "match_ids": ["999999"]},
    )
    assert stale.status_code == 409
    assert "The suggestions changed since the preview" in stale.text
    assert _match(api, match["id"])["status"] == "suggested"

    applied = web.post(
        "/staff/assignment",
        data={"csrf_token": token, "request_limit": "1", "match_ids": [str(match["id"])]},
        follow_redirects=False,
    )
    assert applied.status_code == 303
    assert _match(api, match["id"])["status"] == "proposed"
    after = web.get("/staff/assignment").text
    assert "1 matches were proposed" in after
    assert "No suggested match can be proposed now" in after


def test_duplications_page(web: TestClient, make_user: MakeUser, api: ApiFactory) -> None:
    first = api.offer(
        title="First provider's training",
        countries=["KAZ"],
        status="active",
        period_start="2027-01-01",
        period_end="2027-12-31",
    )
    second = api.offer(
        title="Second provider's training",
        countries=["KAZ"],
        status="active",
        period_start="2027-06-01",
        period_end="2028-06-30",
    )
    _staff(web, make_user)
    page = web.get("/staff/duplications")
    assert page.status_code == 200
    html = main_of(page.text)
    assert "Possible duplications: 1" in html
    assert f'href="/offers/{first["id"]}"' in html
    assert f'href="/offers/{second["id"]}"' in html
    assert "Kazakhstan" in html
    assert "Prohibition of torture" in html
    assert '<th scope="col"><a href="?sort=overlap">Overlap</a></th>' in html


def test_gaps_page_by_region_and_group(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    uncovered = api.recommendation("SEN", themes=["torture"])
    request = api.request("SEN", status="open", themes=["right-to-education"])
    _staff(web, make_user)
    page = web.get("/staff/gaps")
    assert page.status_code == 200
    html = main_of(page.text)
    assert "Africa" in html
    assert f'href="/recommendations/{uncovered["id"]}"' in html
    assert f'href="/requests/{request["id"]}"' in html
    by_group = main_of(web.get("/staff/gaps?by=hrc_group").text)
    assert "African States" in by_group
    assert '<option value="hrc_group" selected>' in by_group
    assert web.get("/staff/gaps?by=nonsense").status_code == 200


def test_staff_pages_in_french(web: TestClient, make_user: MakeUser, api: ApiFactory) -> None:
    _request, _offer, match = _suggested(api)
    _staff(web, make_user)
    html = web.get("/staff/matches?lang=fr").text
    assert "File d'examen" in html
    assert "Proposer aux deux parties" in web.get(f"/staff/matches/{match['id']}").text
