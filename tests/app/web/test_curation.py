"""The curation of a recommendation's themes and groups on its page (staff only): the tagger's
suggestions with their source and score, confirm as they are, correct with checkboxes; audited."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.support.factories import ApiFactory
from tests.support.web import MakeUser, csrf_from, main_of, sign_in

DISABILITY = "Ensure inclusive education for children with disabilities in mainstream schools"


def test_staff_confirm_or_correct_the_themes_and_groups_on_the_page(
    api: ApiFactory, web: TestClient, make_user: MakeUser
) -> None:
    rec = api.recommendation(text=DISABILITY, themes=[])
    page_url = f"/recommendations/{rec['id']}"
    assert "Curation of themes" not in web.get(page_url).text, "staff only"
    email = make_user("staff", name="Curating Clerk")
    assert sign_in(web, email).status_code == 303
    page = web.get(page_url)
    html = main_of(page.text)
    assert "Curation of themes and groups of persons" in html
    assert "Suggested by the tagger" in html
    assert "Not reviewed yet" in html
    assert 'name="themes" value="right-to-education" checked' in html

    token = csrf_from(page.text)
    url = f"/staff/recommendations/{rec['id']}/tags"
    stale = web.post(
        url, data={"csrf_token": token, "action": "confirm", "version": "99"}, follow_redirects=True
    )
    assert "Nothing was changed" in stale.text
    corrected = web.post(
        url,
        data={
            "csrf_token": token,
            "action": "correct",
            "version": str(rec["version"]),
            "themes": ["right-to-education", "nhri"],
        },
        follow_redirects=False,
    )
    assert corrected.status_code == 303
    assert corrected.headers["location"].endswith(f"{page_url}#curation")
    after = web.get(page_url).text
    assert "Your corrections are saved" in after
    assert "Reviewed by Curating Clerk" in after
    assert "Set by staff" in after
    data = api.client.get(f"/api/v1/recommendations/{rec['id']}").json()
    assert data["themes"] == ["nhri", "right-to-education"]
    assert data["groups"] == []
    assert data["tags_reviewed_by"] == "Curating Clerk"
    entries = api.client.get(
        "/api/v1/audit",
        params={"entity_type": "recommendation", "entity_id": str(rec["id"])},
        headers=api.staff,
    ).json()["items"]
    assert (entries[0]["action"], entries[0]["actor_name"]) == ("correct_tags", "Curating Clerk")
    confirmed = web.post(
        url,
        data={"csrf_token": token, "action": "confirm", "version": str(data["version"])},
        follow_redirects=True,
    )
    assert "The themes and groups are confirmed." in confirmed.text
