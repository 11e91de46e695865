"""Rules for notifications: who is told what, in the transaction of the change.

The workflow (`app/matches`) and the entities (`app/activities`) call `notify` with what the
message needs (the kind, the record's id and title, parameters, and who receives it with the
page they open): notifications sit below them and never import them. Each recipient gets an
in-app notification and, when they have an email address, an outbox row that a sender
(`app.notifications.sender`) delivers later, with retries: a failing mail server never loses or
blocks a change."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from app.auth.models import User
from app.auth.principal import Principal
from app.auth.service import language_of
from app.core.errors import Conflict, NotFound
from app.db.base import utcnow
from app.notifications import repository
from app.notifications.models import EmailStatus, Notification, NotificationKind, OutboxEmail
from app.notifications.repository import Recipients

__all__ = ["Notice", "Recipients", "notify"]


@dataclass(frozen=True)
class Notice:
    """What happened: the kind, the record (its type, id and title as they are now) and the
    parameters the message is written from."""

    kind: NotificationKind
    subject_type: str | None
    subject_id: int | None
    title: str
    params: dict[str, Any] = field(default_factory=dict)


def notify(
    session: Session, actor: Principal, notice: Notice, recipients: Iterable[Recipients]
) -> list[Notification]:
    """Tell each user the groups name (once, with the first group's link), never the actor."""
    told: set[int] = {actor.user_id} if actor.user_id is not None else set()
    made = []
    for group in recipients:
        for user in repository.users_of(session, group):
            if user.id not in told:
                told.add(user.id)
                made.append(_queue(session, user, notice, group.link, actor.name))
    session.flush()
    return made


def queue_digest(
    session: Session, user: User, params: dict[str, Any], link: str, week: str
) -> Notification | None:
    """The weekly digest for one user, once per `week` (re-running the digest that week adds
    nothing)."""
    key = f"digest {week}"
    if repository.has_dedupe_key(session, user.id, key):
        return None
    notice = Notice(NotificationKind.digest, None, None, title=week, params=params)
    made = _queue(session, user, notice, link, actor_name="", dedupe_key=key)
    session.flush()
    return made


def _queue(
    session: Session,
    user: User,
    notice: Notice,
    link: str,
    actor_name: str,
    dedupe_key: str | None = None,
) -> Notification:
    notification = Notification(
        user_id=user.id,
        kind=notice.kind,
        subject_type=notice.subject_type,
        subject_id=notice.subject_id,
        title=notice.title[:300],
        link=link,
        params=notice.params,
        actor_name=actor_name[:200],
        dedupe_key=dedupe_key,
    )
    session.add(notification)
    if user.email:  # users with API tokens only have no address: in-app only
        session.add(
            OutboxEmail(notification=notification, recipient=user.email, language=language_of(user))
        )
    return notification


# --- a user's own notifications ---------------------------------------------------------------
def get_own(session: Session, user_id: int, notification_id: int) -> Notification:
    notification = repository.get_own(session, user_id, notification_id)
    if notification is None:
        raise NotFound(f"no notification with id {notification_id}")
    return notification


def mark_read(session: Session, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = utcnow()
        session.flush()
    return notification


def mark_all_read(session: Session, user_id: int) -> int:
    unread = list(session.scalars(repository.own_query(user_id, unread_only=True)))
    now = utcnow()
    for notification in unread:
        notification.read_at = now
    session.flush()
    return len(unread)


# --- the outbox (staff) -----------------------------------------------------------------------
def retry(session: Session, outbox_id: int) -> OutboxEmail:
    """Staff: send this email at the next pass, now (one more attempt; a failed one that fails
    again is failed again)."""
    email = session.get(OutboxEmail, outbox_id)
    if email is None:
        raise NotFound(f"no email with id {outbox_id} in the outbox")
    if email.status == EmailStatus.sent:
        raise Conflict(f"email {outbox_id} was sent already, at {email.sent_at:%Y-%m-%d %H:%M}")
    now = utcnow()
    if email.claimed_until is not None and email.claimed_until > now:
        raise Conflict(f"email {outbox_id} is being sent right now")
    email.status = EmailStatus.pending
    email.next_attempt_at = now
    session.flush()
    return email
