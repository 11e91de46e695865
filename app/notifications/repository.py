"""Queries: who hears of a change, a user's own notifications, and the outbox as staff see it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, case, false, func, or_, select
from sqlalchemy.orm import Session, selectinload

from app.auth.models import Role, User
from app.notifications.models import EmailStatus, Notification, OutboxEmail


@dataclass(frozen=True)
class Recipients:
    """Who hears of a change, and the page they open about it: the users of a State, those of
    provider organizations, and users named by id."""

    link: str
    state_iso3: str | None = None
    organization_ids: Sequence[int] = ()
    user_ids: Sequence[int] = ()


def _members(group: Recipients) -> ColumnElement[bool]:
    conditions: list[ColumnElement[bool]] = []
    if group.state_iso3:
        conditions.append((User.role == Role.state) & (User.state_iso3 == group.state_iso3))
    if group.organization_ids:
        conditions.append(
            (User.role == Role.provider) & User.organization_id.in_(list(group.organization_ids))
        )
    if group.user_ids:
        conditions.append(User.id.in_(list(group.user_ids)))
    return or_(*conditions) if conditions else false()


def users_of(session: Session, group: Recipients) -> list[User]:
    """The active users a group names, in a stable order."""
    stmt = select(User).where(User.is_active.is_(True), _members(group)).order_by(User.id)
    return list(session.scalars(stmt))


def own_query(
    user_id: int, *, unread_only: bool = False, read_only: bool = False
) -> Select[Notification]:
    """A user's notifications (never another's): unread first, newest first."""
    stmt = select(Notification).where(Notification.user_id == user_id)
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    if read_only:
        stmt = stmt.where(Notification.read_at.is_not(None))
    return stmt.order_by(Notification.read_at.is_not(None), Notification.id.desc())


def unread_count(session: Session, user_id: int) -> int:
    stmt = select(func.count()).where(
        Notification.user_id == user_id, Notification.read_at.is_(None)
    )
    return session.scalar(stmt) or 0


def get_own(session: Session, user_id: int, notification_id: int) -> Notification | None:
    return session.scalar(
        select(Notification).where(
            Notification.id == notification_id, Notification.user_id == user_id
        )
    )


def has_dedupe_key(session: Session, user_id: int, key: str) -> bool:
    stmt = select(Notification.id).where(
        Notification.user_id == user_id, Notification.dedupe_key == key
    )
    return session.scalar(stmt) is not None


def outbox_query(statuses: Sequence[EmailStatus] = ()) -> Select[OutboxEmail]:
    """The outbox for staff: failed first, then pending, then the rest; newest first."""
    stmt = select(OutboxEmail).options(selectinload(OutboxEmail.notification))
    if statuses:
        stmt = stmt.where(OutboxEmail.status.in_(list(statuses)))
    rank = case(
        {EmailStatus.failed: 0, EmailStatus.pending: 1, EmailStatus.off: 2},
        value=OutboxEmail.status,
        else_=3,
    )
    return stmt.order_by(rank, OutboxEmail.id.desc())
