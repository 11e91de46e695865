from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from app.core.schemas import Page
from app.notifications.models import EmailStatus, NotificationKind


class NotificationRead(BaseModel):
    id: int
    kind: NotificationKind
    subject_type: str | None
    subject_id: int | None
    title: str
    link: str
    subject: str  # in the user's language, as the email says it
    text: str
    params: dict[str, Any]
    created_at: datetime
    read_at: datetime | None


class NotificationPage(Page[NotificationRead]):
    unread: int  # of all the user's notifications, not only this page's


class MarkedRead(BaseModel):
    marked: int


class OutboxEmailRead(BaseModel):
    id: int
    notification_id: int
    kind: NotificationKind
    recipient: str
    language: str
    subject: str  # in the recipient's language
    status: EmailStatus
    attempts: int
    last_error: str | None
    next_attempt_at: datetime
    sent_at: datetime | None
    created_at: datetime
