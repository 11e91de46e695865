"""An activity after agreement, carried on one page by the beneficiary State and its providers:
plan, status, dates, outputs, result and links; the State reports how far the recommendations
it advances are implemented; every change in its history."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from app.auth.models import Role
from tests.support.factories import ApiFactory
from tests.support.web import MakeUser, csrf_from, main_of, sign_in


def _activity(api: ApiFactory, url: str) -> Any:
    return api.client.get(url, headers=api.staff).json()


def _form(token: str, current: dict[str, Any], **fields: str) -> dict[str, str]:
    return {
        "csrf_token": token,
        "version": str(current["version"]),
        "title": current["title"],
        "description": current["description"],
        "status": current["status"],
        "period_start": current["period_start"] or "",
        "period_end": current["period_end"] or "",
        "outputs": current["outputs"] or "",
        "outcome": current["outcome"] or "",
        "links": "\n".join(current["links"]),
        **fields,
    }


def test_the_provider_and_the_state_carry_an_activity_to_its_result(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    org = api.organization()
    rec = api.recommendation("KAZ")
    created = api.activity("KAZ", provider_ids=[org["id"]], recommendation_ids=[rec["id"]])
    url = f"/api/v1/activities/{created['id']}"
    page_url = f"/activities/{created['id']}/edit"

    assert sign_in(web, make_user(Role.provider, organization_id=org["id"])).status_code == 303
    public = main_of(web.get(f"/activities/{created['id']}").text)
    assert f'href="{page_url}"' in public
    form = web.get(page_url)
    assert form.status_code == 200
    assert 'name="implementation-' not in form.text  # the State's to report
    token = csrf_from(form.text)
    started = web.post(
        page_url,
        data=_form(token, _activity(api, url), status="ongoing", period_start="2027-02-01"),
        follow_redirects=False,
    )
    assert started.status_code == 303, started.text
    done = web.post(
        page_url,
        data=_form(
            token,
            _activity(api, url),
            status="completed",
            outputs="Two workshops for 40 monitors",
            outcome="The mechanism made its first 12 visits",
            links="https://example.org/report.pdf\n\nhttps://example.org/agenda",
        ),
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    stored = _activity(api, url)
    assert (stored["status"], stored["period_start"]) == ("completed", "2027-02-01")
    assert stored["outputs"] == "Two workshops for 40 monitors"
    assert stored["links"] == ["https://example.org/report.pdf", "https://example.org/agenda"]
    shown = main_of(web.get(f"/activities/{created['id']}").text)
    assert "The mechanism made its first 12 visits" in shown
    assert 'href="https://example.org/report.pdf"' in shown
    history = main_of(web.get(page_url).text).split('id="history-heading"', 1)[1]
    assert "Version 3" in history
    assert "Two workshops for 40 monitors" in history

    bad = web.post(
        page_url,
        data=_form(token, _activity(api, url), links="javascript:alert(1)"),
    )
    assert bad.status_code == 422
    assert "javascript:alert(1)" in bad.text  # kept, to be corrected

    web.post("/logout", data={"csrf_token": csrf_from(web.get("/").text)})
    assert sign_in(web, make_user(Role.state, state="KAZ")).status_code == 303
    form = web.get(page_url).text
    assert f'name="implementation-{rec["id"]}"' in form
    reported = web.post(
        f"/activities/{created['id']}/implementation",
        data={"csrf_token": csrf_from(form), f"implementation-{rec['id']}": "fully_implemented"},
        follow_redirects=False,
    )
    assert reported.status_code == 303
    recommendation = api.client.get(f"/api/v1/recommendations/{rec['id']}").json()
    assert recommendation["implementation_status"] == "fully_implemented"


def test_only_its_parties_and_staff_update_an_activity(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    org = api.organization()
    created = api.activity("KAZ", provider_ids=[org["id"]], consent_to_publish=True)
    page_url = f"/activities/{created['id']}/edit"
    assert web.get(page_url, follow_redirects=False).status_code == 303  # sign in first
    sign_in(web, make_user(Role.provider, organization_id=api.organization()["id"]))
    assert web.get(page_url).status_code == 403
    assert page_url not in main_of(web.get(f"/activities/{created['id']}").text)


def test_each_partys_home_lists_the_activities_it_carries(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    org = api.organization()
    ours = api.activity("KAZ", provider_ids=[org["id"]], title="Monitors' training")
    api.activity("FRA", consent_to_publish=True, title="A French activity")
    sign_in(web, make_user(Role.provider, organization_id=org["id"]))
    home = main_of(web.get("/provider").text).split('id="activities-heading"', 1)[1]
    assert "Monitors&#39; training" in home
    assert f'href="/activities/{ours["id"]}/edit"' in home
    assert "A French activity" not in home  # public, but not this organization's
    web.post("/logout", data={"csrf_token": csrf_from(web.get("/").text)})
    sign_in(web, make_user(Role.state, state="KAZ"))
    home = main_of(web.get("/state").text).split('id="activities-heading"', 1)[1]
    assert "Monitors&#39; training" in home
    assert "A French activity" not in home
