"""A signed-in user's notifications (`/notifications`: unread first, mark read) and account page
(`/account`: the language of their emails and notifications). Any role; the same services as
GET /api/v1/notifications."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from app.audit import service as audit
from app.auth import admin, web_sessions
from app.auth import service as auth_service
from app.auth.models import Role, User
from app.auth.principal import Principal
from app.core.errors import DomainError
from app.core.i18n import UN_LANGUAGES
from app.core.pagination import PageParams, paginate
from app.db.session import SessionDep
from app.notifications import repository, service
from app.notifications.messages import compose
from app.web import forms
from app.web.forms import PostedForm
from app.web.i18n import negotiate
from app.web.security import verify_csrf
from app.web.sessions import require_page_roles, sign_out
from app.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])
SignedIn = Annotated[Principal, Depends(require_page_roles(*Role))]
SHOWN = 100  # notifications on the page, unread first


def _user(session: Session, principal: Principal) -> User:
    assert principal.user_id is not None  # noqa: S101 - signed-in principals are users
    return session.get_one(User, principal.user_id)


@router.get("/notifications", name="web_notifications")
def notifications_page(request: Request, session: SessionDep, principal: SignedIn) -> Response:
    user = _user(session, principal)
    lang = negotiate(request)
    items, total = paginate(session, repository.own_query(user.id), PageParams(SHOWN, 0))
    context = {
        "items": [(n, compose(session, n, lang)) for n in items],
        "total": total,
        "unread": repository.unread_count(session, user.id),
    }
    return render(request, "account/notifications.html", context)


@router.post("/notifications/read", name="web_notifications_read_all")
def mark_all_read(session: SessionDep, principal: SignedIn) -> Response:
    service.mark_all_read(session, _user(session, principal).id)
    return RedirectResponse("/notifications", status_code=303)


@router.post("/notifications/{notification_id}/read", name="web_notification_read")
def mark_read(notification_id: int, session: SessionDep, principal: SignedIn) -> Response:
    user = _user(session, principal)
    service.mark_read(session, service.get_own(session, user.id, notification_id))
    return RedirectResponse("/notifications", status_code=303)


@router.get("/account", name="web_account")
def account_page(request: Request, session: SessionDep, principal: SignedIn) -> Response:
    return _account(request, session, _user(session, principal))


@router.post("/account", name="web_account_update")
def update_account(
    request: Request, session: SessionDep, principal: SignedIn, form: PostedForm
) -> Response:
    user = _user(session, principal)
    try:
        auth_service.set_language(session, user, forms.text(form, "language", 8))
    except DomainError:
        return _account(request, session, user, error=True, status_code=422)
    return _account(request, session, user, saved=True)


@router.post("/account/sign-out", name="web_account_sign_out_everywhere")
def sign_out_everywhere(request: Request, session: SessionDep, principal: SignedIn) -> Response:
    """End every session of the account, this one included (a lost or shared device)."""
    user = _user(session, principal)
    ended = admin.sign_out_everywhere(session, principal, user)
    audit.write_entry(
        session, principal, "sign_out_everywhere", "user", user.id, None, {"sessions": ended}
    )
    sign_out(request, session)
    return RedirectResponse(request.app.url_path_for("web_login"), status_code=303)


def _account(
    request: Request,
    session: Session,
    user: User,
    *,
    saved: bool = False,
    error: bool = False,
    status_code: int = 200,
) -> Response:
    context = {
        "account": user,
        "languages": UN_LANGUAGES,
        "chosen": auth_service.language_of(user),
        "live_sessions": web_sessions.live_count(session, user.id),
        "saved": saved,
        "error": error,
    }
    return render(request, "account/account.html", context, status_code=status_code)
