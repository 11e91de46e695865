"""The API of notifications: each user's own (GET /notifications, unread first, mark read), and
the email outbox for staff (what waits, what failed and why, retry now)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy.orm import Session

from app.auth.dependencies import AuthenticatedPrincipal, StaffPrincipal
from app.auth.models import User
from app.auth.principal import Principal
from app.auth.service import language_of
from app.core.errors import NotFound
from app.core.pagination import Pagination, paginate
from app.core.schemas import Page
from app.db.session import SessionDep
from app.notifications import repository, service
from app.notifications.models import EmailStatus
from app.notifications.schemas import (
    MarkedRead,
    NotificationPage,
    NotificationRead,
    OutboxEmailRead,
)
from app.notifications.views import notification_read, outbox_read

router = APIRouter(prefix="/notifications", tags=["notifications"])


def _user(session: Session, principal: Principal) -> User:
    user = session.get(User, principal.user_id) if principal.user_id is not None else None
    if user is None:
        raise NotFound("notifications are kept for users only")
    return user


@router.get("", response_model=NotificationPage)
def list_notifications(
    principal: AuthenticatedPrincipal,
    session: SessionDep,
    page: Pagination,
    unread_only: bool = False,
) -> NotificationPage:
    """The caller's own notifications, unread first, newest first, in the caller's language;
    `unread` counts all their unread ones."""
    user = _user(session, principal)
    items, total = paginate(session, repository.own_query(user.id, unread_only=unread_only), page)
    lang = language_of(user)
    return NotificationPage(
        items=[notification_read(session, n, lang) for n in items],
        total=total,
        limit=page.limit,
        offset=page.offset,
        unread=repository.unread_count(session, user.id),
    )


@router.post("/read", response_model=MarkedRead)
def mark_all_read(principal: AuthenticatedPrincipal, session: SessionDep) -> MarkedRead:
    """Mark every notification of the caller read."""
    return MarkedRead(marked=service.mark_all_read(session, _user(session, principal).id))


@router.get("/outbox", response_model=Page[OutboxEmailRead])
def list_outbox(
    _actor: StaffPrincipal,
    session: SessionDep,
    page: Pagination,
    status: Annotated[list[EmailStatus] | None, Query()] = None,
) -> Page[OutboxEmailRead]:
    """Staff: the emails queued, failed first, then pending (with the last error and the next
    attempt), then those not sent because email is off, then those sent; `status` filters."""
    items, total = paginate(session, repository.outbox_query(status or ()), page)
    return Page[OutboxEmailRead](
        items=[outbox_read(session, e) for e in items],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.post("/outbox/{outbox_id}/retry", response_model=OutboxEmailRead)
def retry_email(_actor: StaffPrincipal, outbox_id: int, session: SessionDep) -> OutboxEmailRead:
    """Staff: send this email at the next pass of the sender (one more attempt)."""
    return outbox_read(session, service.retry(session, outbox_id))


@router.post("/{notification_id}/read", response_model=NotificationRead)
def mark_read(
    principal: AuthenticatedPrincipal, notification_id: int, session: SessionDep
) -> NotificationRead:
    """Mark one of the caller's notifications read (another user's answers 404)."""
    user = _user(session, principal)
    notification = service.mark_read(session, service.get_own(session, user.id, notification_id))
    return notification_read(session, notification, language_of(user))
