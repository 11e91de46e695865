"""The web pages as a browser-like client sees them: accounts made as `uprtc user create` makes
them, the sign-in form with its CSRF token, and the page's main content."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

import httpx2 as httpx
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from app.auth import service as auth_service
from app.auth.models import Role

PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')

MakeUser = Callable[..., str]


def user_maker(sessions: sessionmaker[Session]) -> MakeUser:
    """make(role, state=..., organization_id=..., email=..., password=..., name=...) -> email."""

    def make(
        role: Role | str,
        *,
        state: str | None = None,
        organization_id: int | None = None,
        email: str | None = None,
        password: str = PASSWORD,
        name: str | None = None,
    ) -> str:
        number = next(_counter)
        email = email or f"user{number}@example.org"
        with sessions() as session:
            auth_service.create_user(
                session,
                name=name or f"{role} user {number}",
                role=Role(role),
                state_iso3=state,
                organization_id=organization_id,
                email=email,
                password=password,
            )
            session.commit()
        return email

    return make


def csrf_from(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1)


def sign_in(
    web: TestClient, email: str, password: str = PASSWORD, next_path: str = "/"
) -> httpx.Response:
    token = csrf_from(web.get("/login").text)
    return web.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token, "next": next_path},
        follow_redirects=False,
    )


def main_of(html: str) -> str:
    """The <main> element alone (without navigation and footer)."""
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
