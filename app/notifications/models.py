"""A notification is what one user is told about one change; an outbox row is its email.

Both are written in the transaction of the change they tell about (a change never happens
without its notification, a notification never exists without its change). The email is
rendered when it is sent, in the language stored on its row, so that the outbox keeps only
what it needs to deliver and retry."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db.base import Base, JSONType, str_enum, utcnow


class NotificationKind(enum.StrEnum):
    match_proposed = "match_proposed"
    match_answered = "match_answered"
    match_agreed = "match_agreed"
    match_withdrawn = "match_withdrawn"
    activity_changed = "activity_changed"
    digest = "digest"


class EmailStatus(enum.StrEnum):
    pending = "pending"  # to be sent (again: after a failed attempt, at next_attempt_at)
    sent = "sent"
    failed = "failed"  # given up (attempts exhausted or refused for good): staff may retry
    off = "off"  # not sent: email is off (no UPRTC_SMTP_HOST)


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (
        sa.Index("ix_notifications_user_id_read_at", "user_id", "read_at"),
        # A weekly digest is made once per user and week, however often cron runs.
        sa.UniqueConstraint("user_id", "dedupe_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[NotificationKind] = mapped_column(str_enum(NotificationKind))
    # The record the notification is about, as it was then: a match, an activity (none for a
    # digest); `link` is the page the recipient opens, a path on this site.
    subject_type: Mapped[str | None] = mapped_column(sa.String(40))
    subject_id: Mapped[int | None]
    title: Mapped[str] = mapped_column(sa.String(300), default="")
    link: Mapped[str] = mapped_column(sa.String(500))
    params: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    actor_name: Mapped[str] = mapped_column(sa.String(200), default="")
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(60))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class OutboxEmail(Base):
    __tablename__ = "email_outbox"
    __table_args__ = (
        sa.Index("ix_email_outbox_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(
        sa.ForeignKey("notifications.id", ondelete="CASCADE"), index=True
    )
    recipient: Mapped[str] = mapped_column(sa.String(320))
    language: Mapped[str] = mapped_column(sa.String(8))
    status: Mapped[EmailStatus] = mapped_column(str_enum(EmailStatus), default=EmailStatus.pending)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A sender claims a row (a conditional UPDATE) before sending it; the claim lapses at
    # claimed_until, so a sender that died mid-send does not hold the row for ever.
    claimed_until: Mapped[datetime | None]
    claim_token: Mapped[str | None] = mapped_column(sa.String(32))
    sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    notification: Mapped[Notification] = relationship()
