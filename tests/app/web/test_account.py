"""Signing in and out: argon2 passwords, the session cookie, CSRF, throttling."""

from __future__ import annotations

from http.cookies import SimpleCookie

import httpx2 as httpx
import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.auth import service as auth_service
from app.auth.models import User, WebSession
from app.config import Settings
from app.db.session import create_db_engine, create_session_factory
from app.main import create_app
from app.web import SESSION_COOKIE
from app.web.ratelimit import LoginRateLimiter
from app.web.sessions import StatePagePrincipal
from tests.support.web import PASSWORD, MakeUser, csrf_from, main_of, sign_in


def _session_cookie(response: httpx.Response) -> SimpleCookie:
    headers = [v for k, v in response.headers.multi_items() if k == "set-cookie"]
    cookies = [h for h in headers if h.startswith(f"{SESSION_COOKIE}=")]
    assert cookies, f"no session cookie in {headers}"
    parsed: SimpleCookie = SimpleCookie()
    parsed.load(cookies[-1])
    return parsed


def test_sign_in_opens_a_session_and_sign_out_ends_it(web: TestClient, make_user: MakeUser) -> None:
    email = make_user("staff", name="Desk Officer")
    assert "Sign in" in web.get("/").text

    response = sign_in(web, email.upper(), next_path="/offers")  # emails are case-insensitive
    assert response.status_code == 303
    assert response.headers["location"] == "/offers"
    page = web.get("/").text
    assert "Desk Officer" in page
    assert "Sign out" in page

    token = csrf_from(page)
    out = web.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert out.status_code == 303
    assert _session_cookie(out)[SESSION_COOKIE]["expires"].startswith("Thu, 01 Jan 1970")
    page = web.get("/").text
    assert "Desk Officer" not in page
    assert "Sign in" in page


def test_session_cookie_is_httponly_samesite_lax_and_secure(
    web: TestClient, make_user: MakeUser
) -> None:
    response = sign_in(web, make_user("staff"))
    morsel = _session_cookie(response)[SESSION_COOKIE]
    assert morsel["httponly"] is True
    assert morsel["samesite"].lower() == "lax"
    assert morsel["secure"] is True
    assert morsel["path"] == "/"
    assert int(morsel["max-age"]) == 8 * 3600


def test_session_cookie_is_not_secure_in_development(db_url: str) -> None:
    settings = Settings(database_url=db_url, environment="development")
    with TestClient(create_app(settings)) as client:
        response = client.get("/login")
    assert "secure" not in response.headers["set-cookie"].lower()
    assert "httponly" in response.headers["set-cookie"].lower()


def test_the_session_rotates_on_sign_in(web: TestClient, make_user: MakeUser) -> None:
    email = make_user("staff")
    before_token = csrf_from(web.get("/login").text)
    before_cookie = web.cookies[SESSION_COOKIE]
    response = sign_in(web, email)
    assert response.status_code == 303
    after_token = csrf_from(web.get("/").text)
    assert after_token != before_token
    assert web.cookies[SESSION_COOKIE] != before_cookie
    # the token of the old session no longer works
    refused = web.post("/logout", data={"csrf_token": before_token}, follow_redirects=False)
    assert refused.status_code == 403


def test_failures_get_one_generic_message(web: TestClient, make_user: MakeUser) -> None:
    email = make_user("state", state="KAZ")
    wrong_password = sign_in(web, email, "not the password at all")
    unknown_email = sign_in(web, "nobody@example.org", PASSWORD)
    not_an_email = sign_in(web, "nobody", PASSWORD)
    for response in (wrong_password, unknown_email, not_an_email):
        assert response.status_code == 400
        assert "The email address or the password is not right." in response.text
    assert main_of(wrong_password.text) == main_of(unknown_email.text).replace(
        'value="nobody@example.org"', f'value="{email}"'
    )
    assert SESSION_COOKIE not in web.cookies or "Sign out" not in web.get("/").text


def test_a_deactivated_user_cannot_sign_in_and_loses_the_session(
    web: TestClient, make_user: MakeUser, settings: Settings
) -> None:
    email = make_user("staff", name="Leaving Officer")
    assert sign_in(web, email).status_code == 303
    engine = create_db_engine(settings.database_url)
    with create_session_factory(engine)() as session:
        user = session.scalars(select(User).where(User.email == email)).one()
        user.is_active = False
        session.commit()
    engine.dispose()
    assert "Leaving Officer" not in web.get("/").text
    assert sign_in(web, email).status_code == 400


def test_a_new_password_ends_open_sessions(
    web: TestClient, make_user: MakeUser, settings: Settings
) -> None:
    email = make_user("staff", name="Rotating Officer")
    assert sign_in(web, email).status_code == 303
    assert "Rotating Officer" in web.get("/").text
    engine = create_db_engine(settings.database_url)
    with create_session_factory(engine)() as session:
        auth_service.set_password(session, email, "a brand new long password")
        session.commit()
    engine.dispose()
    assert "Rotating Officer" not in web.get("/").text
    assert sign_in(web, email, "a brand new long password").status_code == 303


def test_passwords_are_stored_as_argon2id_hashes(make_user: MakeUser, settings: Settings) -> None:
    email = make_user("staff")
    engine = create_db_engine(settings.database_url)
    with create_session_factory(engine)() as session:
        stored = session.scalars(select(User.password_hash).where(User.email == email)).one()
    engine.dispose()
    assert stored is not None
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_sign_in_is_throttled_per_account_and_address(web: TestClient, make_user: MakeUser) -> None:
    email = make_user("staff")
    other = make_user("staff")
    for _ in range(5):
        assert sign_in(web, email, "a wrong password!").status_code == 400
    throttled = sign_in(web, email)  # even the right password is refused for now
    assert throttled.status_code == 429
    assert 0 < int(throttled.headers["Retry-After"]) <= 60
    assert "Too many failed attempts" in throttled.text
    assert "Sign out" not in web.get("/").text
    assert sign_in(web, other).status_code == 303  # another account is not affected


def test_the_limiter_forgets_failures_after_the_window() -> None:
    now = [1000.0]
    limiter = LoginRateLimiter(max_failures=5, window_seconds=60, clock=lambda: now[0])
    for _ in range(5):
        assert limiter.retry_after("a@x.org", "10.0.0.1") == 0
        limiter.failed("a@x.org", "10.0.0.1")
    assert limiter.retry_after("a@x.org", "10.0.0.1") == 60
    assert limiter.retry_after("a@x.org", "10.0.0.2") == 0  # another address
    now[0] += 30
    assert limiter.retry_after("a@x.org", "10.0.0.1") == 30
    now[0] += 30
    assert limiter.retry_after("a@x.org", "10.0.0.1") == 0
    limiter.failed("a@x.org", "10.0.0.1")
    limiter.succeeded("a@x.org", "10.0.0.1")
    assert limiter.retry_after("a@x.org", "10.0.0.1") == 0


def test_forms_without_the_csrf_token_are_refused(web: TestClient, make_user: MakeUser) -> None:
    email = make_user("staff", name="Careful Officer")
    web.get("/login")
    no_token = web.post(
        "/login", data={"email": email, "password": PASSWORD}, follow_redirects=False
    )
    assert no_token.status_code == 403
    assert "The form has expired" in no_token.text
    assert no_token.headers["content-type"].startswith("text/html")
    assert "Careful Officer" not in web.get("/").text

    assert sign_in(web, email).status_code == 303
    forged = web.post("/logout", data={"csrf_token": "forged"}, follow_redirects=False)
    assert forged.status_code == 403
    assert web.post("/logout", follow_redirects=False).status_code == 403
    assert "Careful Officer" in web.get("/").text  # still signed in
    # htmx sends the token as a header
    token = csrf_from(web.get("/").text)
    assert (
        web.post("/logout", headers={"X-CSRF-Token": token}, follow_redirects=False).status_code
        == 303
    )


def test_a_cross_site_form_without_a_session_is_refused(web: TestClient) -> None:
    response = web.post("/logout", data={"csrf_token": ""}, follow_redirects=False)
    assert response.status_code == 403


def test_next_never_leaves_the_site(web: TestClient, make_user: MakeUser) -> None:
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"):
        response = sign_in(web, make_user("staff"), next_path=target)
        assert response.headers["location"] == "/staff", target  # their own area
        web.post("/logout", data={"csrf_token": csrf_from(web.get("/").text)})


def test_role_pages_send_anonymous_users_to_sign_in_and_refuse_other_roles(
    settings: Settings, make_user: MakeUser
) -> None:
    """The foundation for the role areas: a State page, and its link in the navigation (to the
    real State area, `web_state_home`)."""
    app = create_app(settings)
    area = APIRouter()

    @area.get("/test-state-page", name="test_state_page")
    def state_home(principal: StatePagePrincipal) -> dict[str, str | None]:
        return {"state": principal.state_iso3}

    app.include_router(area)
    with TestClient(app, base_url="https://testserver") as web:
        anonymous = web.get("/test-state-page?tab=requests", follow_redirects=False)
        assert anonymous.status_code == 303
        assert anonymous.headers["location"] == "/login?next=%2Ftest-state-page%3Ftab%3Drequests"

        assert sign_in(web, make_user("state", state="KAZ"), next_path="/state").status_code == 303
        assert web.get("/test-state-page").json() == {"state": "KAZ"}
        assert '<a href="/state"' in web.get("/").text
        assert "My State" in web.get("/").text
        web.post("/logout", data={"csrf_token": csrf_from(web.get("/").text)})

        sign_in(web, make_user("provider", organization_id=_organization(web)))
        refused = web.get("/test-state-page")
        assert refused.status_code == 403
        assert "Not allowed" in refused.text
        assert "My State" not in web.get("/").text


def _organization(web: TestClient) -> int:
    from tests.support.factories import ApiFactory

    settings = web.app.state.settings  # type: ignore[attr-defined]
    factory = ApiFactory(web, settings)
    try:
        return int(factory.organization()["id"])
    finally:
        factory.close()


def _signed_in_as(web: TestClient, cookie: str, name: str) -> bool:
    """Does a request carrying exactly this session cookie show `name` as signed in?"""
    saved = dict(web.cookies)
    web.cookies.clear()
    try:
        return name in web.get("/", headers={"cookie": f"{SESSION_COOKIE}={cookie}"}).text
    finally:
        for key, value in saved.items():
            web.cookies.set(key, value)


@pytest.mark.dialects
def test_a_copied_cookie_stops_working_after_sign_out(
    web: TestClient, make_user: MakeUser, settings: Settings
) -> None:
    email = make_user("staff", name="Careful Officer")
    assert sign_in(web, email).status_code == 303
    copied = web.cookies[SESSION_COOKIE]
    assert _signed_in_as(web, copied, "Careful Officer")
    # Only a digest of the cookie's token is stored.
    engine = create_db_engine(settings.database_url)
    with create_session_factory(engine)() as session:
        rows = session.scalars(select(WebSession)).all()
        assert len(rows) == 1
        assert rows[0].revoked_at is None
    out = web.post("/logout", data={"csrf_token": csrf_from(web.get("/").text)})
    assert out.status_code == 200
    assert not _signed_in_as(web, copied, "Careful Officer")
    with create_session_factory(engine)() as session:
        assert session.scalars(select(WebSession)).one().revoked_at is not None
    engine.dispose()


@pytest.mark.dialects
def test_sign_out_everywhere_ends_every_session_of_the_account(
    web: TestClient, make_user: MakeUser
) -> None:
    email = make_user("staff", name="Travelling Officer")
    assert sign_in(web, email).status_code == 303
    laptop = web.cookies[SESSION_COOKIE]
    web.cookies.clear()
    assert sign_in(web, email).status_code == 303
    phone = web.cookies[SESSION_COOKIE]
    page = web.get("/account")
    assert "Signed in on 2 devices or browsers." in page.text
    response = web.post(
        "/account/sign-out", data={"csrf_token": csrf_from(page.text)}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    assert not _signed_in_as(web, laptop, "Travelling Officer")
    assert not _signed_in_as(web, phone, "Travelling Officer")
    assert sign_in(web, email).status_code == 303  # signing in again works


@pytest.mark.dialects
def test_staff_sign_a_user_out_everywhere_and_disabling_does_it_too(
    web: TestClient, make_user: MakeUser
) -> None:
    state_email = make_user("state", state="KAZ", name="Focal Point")
    staff_email = make_user("staff", name="Desk Officer")
    assert sign_in(web, state_email).status_code == 303
    focal = web.cookies[SESSION_COOKIE]
    web.cookies.clear()
    assert sign_in(web, staff_email).status_code == 303
    users = web.get("/staff/users", params={"q": "Focal"}).text
    user_id = int(users.split("/staff/users/", 1)[1].split('"', 1)[0])
    page = web.get(f"/staff/users/{user_id}")
    assert "Signed in on 1 device or browser." in page.text
    response = web.post(
        f"/staff/users/{user_id}/sign-out", data={"csrf_token": csrf_from(page.text)}
    )
    assert response.status_code == 200
    assert "Focal Point is signed out everywhere: 1 session ended." in response.text
    assert not _signed_in_as(web, focal, "Focal Point")
    assert _signed_in_as(web, web.cookies[SESSION_COOKIE], "Desk Officer")
    audit = web.get("/staff/audit", params={"entity_type": "user", "entity_id": user_id}).text
    assert "Signed out everywhere" in audit

    # Disabling the account ends the sessions it has (checked on the server, not the cookie).
    web.cookies.clear()
    assert sign_in(web, state_email).status_code == 303
    focal = web.cookies[SESSION_COOKIE]
    web.cookies.clear()
    assert sign_in(web, staff_email).status_code == 303
    page = web.get(f"/staff/users/{user_id}")
    web.post(
        f"/staff/users/{user_id}/active",
        data={"csrf_token": csrf_from(page.text), "active": "0"},
    )
    assert not _signed_in_as(web, focal, "Focal Point")
