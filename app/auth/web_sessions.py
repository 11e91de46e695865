"""Server-side sessions of the web pages: opened at sign-in, checked on every page, revocable.

The session cookie (signed, app/web/sessions.py) carries a random token; the `web_sessions`
table keeps its SHA-256 digest, the user, when it started, was last seen and expires, and when
it was revoked. A copy of the cookie stops working the moment its row is revoked: at sign-out,
when the password changes, when the account is disabled, or by "sign out everywhere" (the user
on /account, staff for the accounts they manage)."""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, func, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app.auth.models import User, WebSession
from app.db.base import utcnow

logger = logging.getLogger(__name__)

# "Last seen" is written at most this often, so that reading pages does not write every time.
LAST_SEEN_EVERY = timedelta(minutes=5)


def _digest(token: str) -> str:
    # 256 random bits: a fast digest is enough (as for API tokens).
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class OpenedSession:
    token: str  # for the cookie alone; never stored
    user_id: int


def open_session(session: Session, user: User, *, hours: int) -> OpenedSession:
    """A new session for `user`; the user's expired and revoked rows are cleared on the way."""
    now = utcnow()
    session.execute(
        delete(WebSession).where(
            WebSession.user_id == user.id,
            (WebSession.expires_at <= now) | WebSession.revoked_at.is_not(None),
        )
    )
    token = secrets.token_urlsafe(32)
    session.add(
        WebSession(
            id=_digest(token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(hours=hours),
        )
    )
    session.flush()
    return OpenedSession(token=token, user_id=user.id)


def user_of(session: Session, token: str) -> User | None:
    """The active user whose live session this token opens, or None (unknown, revoked, expired,
    or the account is disabled)."""
    row = session.get(WebSession, _digest(token))
    now = utcnow()
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.is_active or user.password_hash is None:
        return None
    if now - row.last_seen_at >= LAST_SEEN_EVERY:
        _touch(session, row.id, now)
    return user


def _touch(session: Session, session_id: str, now: datetime) -> None:
    """Note when the session was last seen, in a transaction of its own and on a best-effort
    basis: reading a page must not fail because the database is busy or read-only."""
    bind = session.get_bind()
    engine = bind.engine if isinstance(bind, Connection) else bind
    try:
        with engine.begin() as connection:
            connection.execute(
                update(WebSession).where(WebSession.id == session_id).values(last_seen_at=now)
            )
    except DBAPIError as error:
        logger.info("could not note when a web session was last seen: %s", error)


def revoke(session: Session, token: str) -> None:
    """End one session (sign-out)."""
    session.execute(
        update(WebSession)
        .where(WebSession.id == _digest(token), WebSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def revoke_all(session: Session, user_id: int) -> int:
    """End every live session of a user; the number ended."""
    now = utcnow()
    result = session.execute(
        update(WebSession)
        .where(
            WebSession.user_id == user_id,
            WebSession.revoked_at.is_(None),
            WebSession.expires_at > now,
        )
        .values(revoked_at=now)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def live_count(session: Session, user_id: int) -> int:
    """Sessions of a user that are neither revoked nor expired."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(WebSession)
            .where(
                WebSession.user_id == user_id,
                WebSession.revoked_at.is_(None),
                WebSession.expires_at > utcnow(),
            )
        )
        or 0
    )
