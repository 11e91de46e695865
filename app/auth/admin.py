"""Managing accounts: listing users, enabling and disabling them, their API tokens, and who may
manage whom.

OHCHR staff look after the accounts of States' focal points and providers; the accounts of
staff and administrators are for administrators. Nobody disables their own account (they would
lock themselves out). A disabled user's web sessions are revoked and their tokens stop working at
once (`authenticate` checks `is_active` on every request)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from app.auth import web_sessions
from app.auth.models import ApiToken, Role, User
from app.auth.principal import Principal
from app.core.errors import NotFound, PermissionDenied
from app.db.base import utcnow

# The roles whose accounts staff (not only administrators) may create and manage.
STAFF_MANAGED = (Role.state, Role.provider)


def may_manage_role(actor: Principal, role: Role) -> bool:
    if actor.role == Role.admin:
        return True
    return actor.role == Role.staff and role in STAFF_MANAGED


def check_may_manage(actor: Principal, user: User) -> None:
    if not may_manage_role(actor, user.role):
        raise PermissionDenied(
            "Only administrators manage the accounts of staff and administrators"
        )


def manageable_roles(actor: Principal) -> list[Role]:
    return [role for role in Role if may_manage_role(actor, role)]


@dataclass(frozen=True)
class UserFilters:
    role: Role | None = None
    active: bool | None = None
    q: str | None = None


def users_query(f: UserFilters) -> Select[User]:
    stmt = select(User).order_by(User.name, User.id)
    if f.role is not None:
        stmt = stmt.where(User.role == f.role)
    if f.active is not None:
        stmt = stmt.where(User.is_active.is_(f.active))
    if f.q:
        pattern = f"%{f.q}%"
        stmt = stmt.where(or_(User.name.ilike(pattern), User.email.ilike(pattern)))
    return stmt


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"no user with id {user_id}")
    return user


def set_active(session: Session, actor: Principal, user: User, active: bool) -> None:
    check_may_manage(actor, user)
    if user.id == actor.user_id and not active:
        raise PermissionDenied("You cannot disable your own account")
    user.is_active = active
    session.flush()
    if not active:
        web_sessions.revoke_all(session, user.id)


def sign_out_everywhere(session: Session, actor: Principal, user: User) -> int:
    """End every web session of `user` (their own, or one staff may manage); the number ended."""
    if user.id != actor.user_id:
        check_may_manage(actor, user)
    return web_sessions.revoke_all(session, user.id)


def tokens_query(user_id: int) -> Select[ApiToken]:
    """One user's tokens (never another's), the newest first."""
    return select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id.desc())


def live_token_counts(session: Session, user_ids: list[int]) -> dict[int, int]:
    """user id -> tokens neither revoked nor expired."""
    if not user_ids:
        return {}
    now = utcnow()
    rows = session.execute(
        select(ApiToken.user_id, func.count())
        .where(
            ApiToken.user_id.in_(user_ids),
            ApiToken.revoked_at.is_(None),
            or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > now),
        )
        .group_by(ApiToken.user_id)
    )
    return dict(rows.all())


def token_of(session: Session, user_id: int, token_id: int) -> ApiToken:
    """One of this user's tokens (another user's is "not found": its existence is not said)."""
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user_id:
        raise NotFound(f"no token with id {token_id}")
    return token
