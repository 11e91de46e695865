"""Signing in and out, and choosing the interface language."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from app.auth import service as auth_service
from app.auth.models import Role
from app.db.session import SessionDep
from app.web import labels
from app.web.i18n import negotiate, supported
from app.web.ratelimit import LoginRateLimiter
from app.web.security import verify_csrf
from app.web.sessions import WebPrincipal, safe_next, sign_in, sign_out
from app.web.templating import render, set_language_cookie

router = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])


def _limiter(request: Request) -> LoginRateLimiter:
    limiter: LoginRateLimiter = request.app.state.login_limiter
    return limiter


@router.get("/login", name="web_login")
def login_form(request: Request, principal: WebPrincipal, next: str | None = None) -> Response:
    return render(request, "account/login.html", {"next": safe_next(next), "email": ""})


@router.post("/login", name="web_login_submit")
def login(
    request: Request,
    session: SessionDep,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    account = email.strip().lower()
    address = request.client.host if request.client else "unknown"
    limiter = _limiter(request)
    context = {"next": safe_next(next), "email": email.strip()}
    wait = limiter.retry_after(account, address)
    if wait > 0:
        seconds = math.ceil(wait)
        return render(
            request,
            "account/login.html",
            {**context, "error": "throttled", "seconds": seconds},
            status_code=429,
            headers={"Retry-After": str(seconds)},
        )
    user = auth_service.authenticate_password(session, account, password)
    if user is None:
        limiter.failed(account, address)
        return render(
            request, "account/login.html", {**context, "error": "invalid"}, status_code=400
        )
    limiter.succeeded(account, address)
    if user.language is None:  # the language they use here, until they choose another
        auth_service.set_language(session, user, negotiate(request))
    sign_in(request, session, user)
    return RedirectResponse(_landing(request, user.role, safe_next(next)), status_code=303)


def _landing(request: Request, role: Role, wanted: str) -> str:
    """Where a sign-in leads: the page the user came for, else their own area (what waits for
    their answer comes first there)."""
    if wanted != "/" or role not in labels.ROLE_AREA:
        return wanted
    return str(request.app.url_path_for(labels.ROLE_AREA[role][0]))


@router.post("/logout", name="web_logout")
def logout(request: Request, session: SessionDep) -> Response:
    sign_out(request, session)
    return RedirectResponse("/", status_code=303)


@router.get("/language/{code}", name="web_language")
def choose_language(code: str, next: str | None = None) -> Response:
    """The language switcher: remember the choice in a cookie and go back to the page."""
    response = RedirectResponse(safe_next(next), status_code=303)
    lang = supported(code)
    if lang is not None:
        set_language_cookie(response, lang)
    return response
