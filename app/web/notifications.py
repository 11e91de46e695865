"""A signed-in user's notifications (`/notifications`: unread first, mark read; sorted, paged and
exported like every list, their own only) and account page (`/account`: the language of their
emails and notifications). Any role; the same services as GET /api/v1/notifications."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from urllib.parse import urlencode

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
from app.db.session import SessionDep
from app.notifications import repository, service
from app.notifications.messages import Message, compose
from app.notifications.models import Notification
from app.web import forms
from app.web.forms import PostedForm
from app.web.i18n import negotiate
from app.web.labels import N_
from app.web.listing import Cells, Column, Listing, by
from app.web.security import verify_csrf
from app.web.sessions import require_page_roles, sign_out
from app.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])
SignedIn = Annotated[Principal, Depends(require_page_roles(*Role))]
SHOWN = 50  # notifications on a page, unread first unless another order is asked for
READ_FILTER = {"unread": N_("Unread notifications"), "read": N_("Read notifications")}


def _message(notification: Notification, cells: Cells) -> Message:
    assert cells.session is not None  # noqa: S101 - an export has its session
    return compose(cells.session, notification, cells.lang)


def _text(notification: Notification, cells: Cells) -> str:
    message = _message(notification, cells)
    lines = list(message.paragraphs)
    for section in message.sections:
        lines.append(section.heading)
        lines += [f"- {text}" for text, _link in section.items]
        if section.more:
            lines.append(f"- {section.more}")
    return "\n".join(lines)


def _read_at(notification: Notification, _cells: Cells) -> datetime | None:
    return notification.read_at


NOTIFICATIONS: Listing[Notification] = Listing(
    "notifications",
    N_("Notifications"),
    [
        Column("subject", N_("Subject"), lambda n, c: _message(n, c).subject),
        Column(
            "received",
            N_("Received"),
            lambda n, _c: n.created_at,
            by(Notification.created_at),
        ),
        Column(
            "unread",
            N_("Unread"),
            lambda n, c: c._("Unread") if n.read_at is None else c._("Read"),
            by(Notification.read_at.is_not(None)),
        ),
        Column("read", N_("Read on"), _read_at),
        Column("message", N_("Message"), _text),
        Column("link", N_("Page"), lambda n, _c: n.link),
    ],
    default=None,  # the repository's order: unread first, the newest first
    tiebreak=Notification.id,
    page_size=SHOWN,
)


def _user(session: Session, principal: Principal) -> User:
    assert principal.user_id is not None  # noqa: S101 - signed-in principals are users
    return session.get_one(User, principal.user_id)


@router.get("/notifications", name="web_notifications")
def notifications_page(request: Request, session: SessionDep, principal: SignedIn) -> Response:
    user = _user(session, principal)
    lang = negotiate(request)
    shown_read = request.query_params.get("show")
    stmt = repository.own_query(
        user.id, unread_only=shown_read == "unread", read_only=shown_read == "read"
    )
    shown = NOTIFICATIONS.show(request, session, stmt)
    if isinstance(shown, Response):
        return shown
    context = {
        **shown.context(),
        "items": [(n, compose(session, n, lang)) for n in shown.items],
        "unread": repository.unread_count(session, user.id),
        "show": shown_read if shown_read in READ_FILTER else "",
        "read_filter": READ_FILTER,
        "list_view": list_view(request),
    }
    return render(request, "account/notifications.html", context)


# What the list's address keeps when a notification is marked read: the reader returns to the
# same filter, order and page.
LIST_VIEW = ("show", "sort", "page")


def list_view(request: Request) -> str:
    """The list's view (`LIST_VIEW`) as a query string, "" when it is the default."""
    kept = {key: value for key in LIST_VIEW if (value := request.query_params.get(key))}
    return "?" + urlencode(kept) if kept else ""


def _back_to_list(request: Request) -> Response:
    path = request.app.url_path_for("web_notifications")
    return RedirectResponse(f"{path}{list_view(request)}", status_code=303)


@router.post("/notifications/read", name="web_notifications_read_all")
def mark_all_read(request: Request, session: SessionDep, principal: SignedIn) -> Response:
    service.mark_all_read(session, _user(session, principal).id)
    return _back_to_list(request)


@router.post("/notifications/{notification_id}/read", name="web_notification_read")
def mark_read(
    request: Request, notification_id: int, session: SessionDep, principal: SignedIn
) -> Response:
    user = _user(session, principal)
    service.mark_read(session, service.get_own(session, user.id, notification_id))
    return _back_to_list(request)


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
