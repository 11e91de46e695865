"""The web pages: server-rendered templates on the API's services and repositories.

`install_web(app)` adds them to the FastAPI application: the session and security-header
middleware, the static files, the page routers and HTML error pages. Role areas (State,
provider, staff) add their routers to `ROUTERS` below."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from app.config import Settings
from app.core.api_docs import DOC_PATHS
from app.web import account, activities, notifications, provider, public, staff, state, tokens
from app.web.errors import install_page_errors
from app.web.ratelimit import LoginRateLimiter
from app.web.security import SecurityHeadersMiddleware

STATIC_DIR = Path(__file__).resolve().parent / "static"
SESSION_COOKIE = "uprtc_session"
ROUTERS = (
    account.router,
    activities.router,
    tokens.router,
    notifications.router,
    public.router,
    staff.router,
    state.router,
    provider.router,
)


def session_signing_key(settings: Settings) -> str:
    """A key for session cookies alone, derived from UPRTC_SECRET_KEY."""
    assert settings.secret_key is not None  # noqa: S101 - the settings validator sets one
    secret = settings.secret_key.get_secret_value().encode()
    return hmac.new(secret, b"uprtc web session cookie", hashlib.sha256).hexdigest()


def install_web(app: FastAPI, settings: Settings) -> None:
    app.state.login_limiter = LoginRateLimiter(max_failures=settings.login_failures_per_minute)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for router in ROUTERS:
        app.include_router(router)
    install_page_errors(app)
    # Starlette runs the middleware added last first: headers wrap the session.
    app.add_middleware(
        SessionMiddleware,
        secret_key=session_signing_key(settings),
        session_cookie=SESSION_COOKIE,
        max_age=settings.web_session_hours * 3600,
        same_site="lax",
        https_only=settings.environment != "development",
    )
    app.add_middleware(
        SecurityHeadersMiddleware,
        exempt_paths=list(DOC_PATHS),
    )
