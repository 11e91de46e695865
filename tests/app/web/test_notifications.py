"""Notifications on the pages: the list and its unread count in the header, the account page
(the language of emails), the language taken from the browser at the first sign-in, and the
staff's email outbox."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from app.auth.models import User
from app.config import Settings
from app.db.session import create_db_engine, create_session_factory
from tests.support.cooperation import Cooperation
from tests.support.factories import ApiFactory
from tests.support.web import MakeUser, csrf_from, main_of, sign_in


def _language(settings: Settings, email: str) -> str | None:
    engine = create_db_engine(settings.database_url)
    try:
        with create_session_factory(engine)() as session:
            return session.scalar(select(User.language).where(User.email == email))
    finally:
        engine.dispose()


def test_the_first_sign_in_takes_the_browsers_language(
    web: TestClient, make_user: MakeUser, settings: Settings
) -> None:
    email = make_user("state", state="KAZ")
    assert _language(settings, email) is None
    web.headers["Accept-Language"] = "fr-FR,fr;q=0.9"
    assert sign_in(web, email).status_code == 303
    assert _language(settings, email) == "fr"
    web.post("/logout", data={"csrf_token": csrf_from(web.get("/").text)})
    web.headers["Accept-Language"] = "es"
    sign_in(web, email)
    assert _language(settings, email) == "fr"  # chosen once; the account page changes it


def test_the_account_page_sets_the_language_of_emails(
    web: TestClient, make_user: MakeUser, settings: Settings
) -> None:
    email = make_user("staff", name="Desk Officer")
    sign_in(web, email)
    page = web.get("/account")
    assert page.status_code == 200
    assert "Desk Officer" in main_of(page.text)
    assert '<option value="en" lang="en" selected>English</option>' in page.text
    assert '<option value="ar" lang="ar">العربية</option>' in page.text
    saved = web.post("/account", data={"language": "zh", "csrf_token": csrf_from(page.text)})
    assert saved.status_code == 200
    assert "Saved." in saved.text
    assert _language(settings, email) == "zh"
    refused = web.post("/account", data={"language": "de", "csrf_token": csrf_from(page.text)})
    assert refused.status_code == 422
    assert 'aria-invalid="true"' in refused.text
    assert _language(settings, email) == "zh"
    assert web.post("/account", data={"language": "fr"}).status_code == 403  # no CSRF token


def test_the_list_of_notifications_and_the_unread_count_in_the_header(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    world = Cooperation(api)
    email = make_user("state", state="KAZ")
    sign_in(web, email)
    assert "unread" not in web.get("/").text
    world.propose()

    home = web.get("/").text
    assert '<a href="/notifications">Notifications <span class="badge ok">1 unread</span></a>' in (
        home
    )
    page = web.get("/notifications")
    assert page.status_code == 200
    main = main_of(page.text)
    title = world.request["title"]
    assert (
        f'<a href="/state/requests/{world.request["id"]}">Proposed partnership: {title}</a>' in main
    )
    assert "1 unread notification" in main
    notification = api.client.get("/api/v1/notifications", headers=world.state.headers).json()
    assert notification["unread"] == 1  # each user has their own

    own = web.get("/notifications").text
    mark = own.split('action="/notifications/', 1)[1].split('"', 1)[0]  # "<id>/read"
    marked = web.post(
        f"/notifications/{mark}", data={"csrf_token": csrf_from(own)}, follow_redirects=False
    )
    assert marked.status_code == 303
    after = web.get("/notifications").text
    assert "0 unread notifications" in after
    assert "unread</span>" not in after.split("<main", 1)[0]  # the header count is gone
    other = web.post("/notifications/999999/read", data={"csrf_token": csrf_from(after)})
    assert other.status_code == 404


def test_marking_read_returns_to_the_same_filter_order_and_page(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    world = Cooperation(api)
    email = make_user("state", state="KAZ")
    sign_in(web, email)
    world.propose()
    view = "?show=unread&sort=-received&page=1"
    page = web.get(f"/notifications{view}&other=x").text
    found = re.search(r'action="/notifications/(\d+)/read([^"]*)"', page)
    assert found is not None
    assert found[2] == "?show=unread&amp;sort=-received&amp;page=1", found[2]
    marked = web.post(
        f"/notifications/{found[1]}/read{view}",
        data={"csrf_token": csrf_from(page)},
        follow_redirects=False,
    )
    assert marked.status_code == 303
    assert marked.headers["location"] == f"/notifications{view}"
    all_read = web.post(
        "/notifications/read?show=read&evil=https://example.org",
        data={"csrf_token": csrf_from(page)},
        follow_redirects=False,
    )
    assert all_read.headers["location"] == "/notifications?show=read"


def test_anonymous_visitors_are_sent_to_sign_in(web: TestClient) -> None:
    for path in ("/notifications", "/account"):
        response = web.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")


def test_staff_see_the_outbox_and_retry_an_email(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    world = Cooperation(api)
    world.propose()
    sign_in(web, make_user("state", state="KAZ"))
    assert web.get("/staff/outbox").status_code == 403
    web.post("/logout", data={"csrf_token": csrf_from(web.get("/").text)})

    sign_in(web, make_user("staff"))
    page = web.get("/staff/outbox")
    assert page.status_code == 200
    main = main_of(page.text)
    assert "3 emails" in main
    assert f"Proposed partnership: {world.request['title']}" in main
    assert str(world.provider.email) in main
    assert "Waiting to be sent" in main
    assert "No email here." in main_of(web.get("/staff/outbox?status=sent").text)

    first = main.split('action="/staff/outbox/', 1)[1].split("/", 1)[0]
    retried = web.post(f"/staff/outbox/{first}/retry", data={"csrf_token": csrf_from(page.text)})
    assert retried.status_code == 200
    assert f"Email {first} will be sent at the next pass of the sender." in retried.text
