"""Notifications and outbox rows as the API and the pages show them: composed in a language."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.notifications.messages import compose
from app.notifications.models import Notification, OutboxEmail
from app.notifications.schemas import NotificationRead, OutboxEmailRead


def notification_read(session: Session, notification: Notification, lang: str) -> NotificationRead:
    message = compose(session, notification, lang)
    lines = list(message.paragraphs)
    for section in message.sections:
        lines += [section.heading, *(text for text, _link in section.items)]
        lines += [section.more] if section.more else []
    return NotificationRead(
        id=notification.id,
        kind=notification.kind,
        subject_type=notification.subject_type,
        subject_id=notification.subject_id,
        title=notification.title,
        link=notification.link,
        subject=message.subject,
        text="\n".join(lines),
        params=notification.params,
        created_at=notification.created_at,
        read_at=notification.read_at,
    )


def outbox_read(session: Session, email: OutboxEmail) -> OutboxEmailRead:
    return OutboxEmailRead(
        id=email.id,
        notification_id=email.notification_id,
        kind=email.notification.kind,
        recipient=email.recipient,
        language=email.language,
        subject=compose(session, email.notification, email.language).subject,
        status=email.status,
        attempts=email.attempts,
        last_error=email.last_error,
        next_attempt_at=email.next_attempt_at,
        sent_at=email.sent_at,
        created_at=email.created_at,
    )
