"""Who is signed in on the web pages: a signed session cookie resolved to the API's Principal.

The cookie (Starlette's SessionMiddleware: itsdangerous-signed JSON, HttpOnly, SameSite=Lax,
Secure outside development) holds the token of a server-side session (`app.auth.web_sessions`),
the CSRF token and the name and role shown in the navigation. Each request looks the session
up: sign-out, a new password, a disabled account or "sign out everywhere" revoke it, and a copy
of the cookie stops working at once. The Principal is built by `app.auth.service.principal_for`,
as for bearer tokens, so the repositories' `visible_to` rules apply unchanged."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from app.auth import service as auth_service
from app.auth import web_sessions
from app.auth.models import Role, User
from app.auth.principal import ANONYMOUS, Principal
from app.core.errors import PermissionDenied
from app.db.session import SessionDep
from app.web.security import new_csrf_token

SESSION_KEY = "sid"
NAME_KEY = "name"
ROLE_KEY = "role"


class LoginRequired(Exception):
    """A page that needs a signed-in user (answered with a redirect to the sign-in page)."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def sign_in(request: Request, session: Session, user: User) -> None:
    """Start a new session for `user`: whatever the old one held (its CSRF token included) goes."""
    if isinstance(old := request.session.get(SESSION_KEY), str):
        web_sessions.revoke(session, old)
    request.session.clear()
    hours = request.app.state.settings.web_session_hours
    request.session[SESSION_KEY] = web_sessions.open_session(session, user, hours=hours).token
    request.session[NAME_KEY] = user.name
    request.session[ROLE_KEY] = user.role.value
    new_csrf_token(request)


def sign_out(request: Request, session: Session | None = None) -> None:
    """End the session: its server-side row too (with `session`), so that a copy of the cookie
    no longer works."""
    token = request.session.get(SESSION_KEY)
    if session is not None and isinstance(token, str):
        web_sessions.revoke(session, token)
    request.session.clear()


def get_web_principal(request: Request, session: SessionDep) -> Principal:
    principal = ANONYMOUS
    token = request.session.get(SESSION_KEY)
    if isinstance(token, str):
        user = web_sessions.user_of(session, token)
        if user is not None:
            principal = auth_service.principal_for(user)
        else:
            sign_out(request)
    request.state.principal = principal
    return principal


WebPrincipal = Annotated[Principal, Depends(get_web_principal)]


def shown_user(request: Request) -> tuple[str, Role] | None:
    """Name and role for the navigation: the resolved principal, or (on error pages, which
    resolve none) what the session cookie says."""
    principal = getattr(request.state, "principal", None)
    if isinstance(principal, Principal):
        return (principal.name, principal.role) if principal.role is not None else None
    name, role = request.session.get(NAME_KEY), request.session.get(ROLE_KEY)
    if isinstance(name, str) and isinstance(role, str) and role in Role.__members__:
        return name, Role(role)
    return None


def login_path(next_path: str) -> str:
    return "/login?" + urlencode({"next": next_path})


def require_page_roles(*roles: Role) -> Callable[[Request, Principal], Principal]:
    """A dependency for pages of a role area: anonymous users are sent to sign in first, users
    of another role get a 403 page."""

    def dependency(request: Request, principal: WebPrincipal) -> Principal:
        if not principal.is_authenticated:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise LoginRequired(target)
        if principal.role not in roles:
            raise PermissionDenied("This page is for another role")
        return principal

    return dependency


StatePagePrincipal = Annotated[Principal, Depends(require_page_roles(Role.state))]
ProviderPagePrincipal = Annotated[Principal, Depends(require_page_roles(Role.provider))]
StaffPagePrincipal = Annotated[Principal, Depends(require_page_roles(Role.staff, Role.admin))]


def safe_next(value: str | None, default: str = "/") -> str:
    """A local path to go back to after signing in or switching language (never another site)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return default
    if any(ord(c) < 32 for c in value):
        return default
    return value
