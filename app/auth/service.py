"""Bearer tokens: random, shown once, stored as SHA-256 digests."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload

from app.auth import passwords, web_sessions
from app.auth.models import ApiToken, Role, User
from app.auth.principal import Principal
from app.core.errors import InvalidInput, NotAuthenticated, NotFound
from app.core.i18n import SOURCE_LANGUAGE, UN_LANGUAGES
from app.core.referrers import referenced_exists
from app.db.base import utcnow
from app.reference.models import Country

TOKEN_PREFIX = "uprtc_"  # noqa: S105 - a public prefix, not a secret

# Table columns, not ORM entities: a Core statement, built (and its cache key computed) once;
# the ORM path costs a token check ~0.1 ms more per call.
_tokens, _users = ApiToken.__table__, User.__table__
_TOKEN_OWNER = (
    select(
        _tokens.c.revoked_at,
        _tokens.c.expires_at,
        _users.c.is_active,
        _users.c.id,
        _users.c.name,
        _users.c.role,
        _users.c.state_iso3,
        _users.c.organization_id,
    )
    .join(_users, _users.c.id == _tokens.c.user_id)
    .where(_tokens.c.token_hash == bindparam("token_hash"))
)


def hash_token(token: str) -> str:
    # Tokens carry 256 random bits, so a fast digest is enough (no password stretching needed).
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: str
    token_id: int
    user_id: int


def create_user(
    session: Session,
    *,
    name: str,
    role: Role,
    state_iso3: str | None = None,
    organization_id: int | None = None,
    email: str | None = None,
    password: str | None = None,
    language: str | None = None,
) -> User:
    """A user for API tokens; with `email` and `password`, one who can sign in on the web pages.
    `language`: of the emails and notifications they receive (unset: chosen at sign-in)."""
    email = check_new_user(
        session, role=role, state_iso3=state_iso3, organization_id=organization_id, email=email
    )
    user = User(
        name=name,
        role=role,
        state_iso3=state_iso3,
        organization_id=organization_id,
        email=email,
        password_hash=passwords.hash_password(password) if password is not None else None,
        language=check_language(language) if language is not None else None,
    )
    session.add(user)
    session.flush()
    return user


def check_new_user(
    session: Session,
    *,
    role: Role,
    state_iso3: str | None,
    organization_id: int | None,
    email: str | None,
) -> str | None:
    """Refuse a user that could not be created (bad binding, bad or taken email); return the
    normalised email. `uprtc user create` asks this before prompting for a password."""
    _check_binding(session, role, state_iso3, organization_id)
    if email is None:
        return None
    email = passwords.normalize_email(email)
    if get_user_by_email(session, email) is not None:
        raise InvalidInput(f"a user with email {email!r} exists already", field="email")
    return email


def check_language(code: str) -> str:
    """One of the six UN languages, as stored (lower case), or a 422 listing them."""
    lang = code.strip().lower()
    if lang not in UN_LANGUAGES:
        known = ", ".join(sorted(UN_LANGUAGES))
        raise InvalidInput(f"unknown language {code!r}: use one of {known}", field="language")
    return lang


def set_language(session: Session, user: User, code: str) -> User:
    user.language = check_language(code)
    session.flush()
    return user


def language_of(user: User) -> str:
    """The language to write to this user in."""
    return user.language or SOURCE_LANGUAGE


def get_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == email.strip().lower()))


def set_password(session: Session, email: str, password: str) -> User:
    """Replace a user's password; every web session signed in with the old one ends."""
    user = get_user_by_email(session, email)
    if user is None:
        raise NotFound(f"no user with email {email.strip().lower()!r}")
    user.password_hash = passwords.hash_password(password)
    session.flush()
    web_sessions.revoke_all(session, user.id)
    return user


def authenticate_password(session: Session, email: str, password: str) -> User | None:
    """The active user with this email and password, or None (without saying which was wrong)."""
    try:
        user = get_user_by_email(session, passwords.normalize_email(email))
    except InvalidInput:
        user = None
    hashed = user.password_hash if user is not None else None
    if not passwords.verify(hashed, password) or user is None or not user.is_active:
        return None
    assert hashed is not None  # noqa: S101 - verify() is False without a hash
    if passwords.needs_rehash(hashed):
        user.password_hash = passwords.hash_password(password)
        session.flush()
    return user


def principal_for(user: User) -> Principal:
    """The one way a user becomes a Principal, for bearer tokens and web sessions alike."""
    return Principal(
        user_id=user.id,
        name=user.name,
        role=user.role,
        state_iso3=user.state_iso3,
        organization_id=user.organization_id,
    )


def _check_binding(
    session: Session, role: Role, state_iso3: str | None, organization_id: int | None
) -> None:
    if role == Role.state:
        if not state_iso3:
            raise InvalidInput("role 'state' needs --state ISO3", field="state")
        if session.get(Country, state_iso3) is None:
            raise InvalidInput(f"unknown country code {state_iso3!r}", field="state")
    elif state_iso3:
        raise InvalidInput("--state is only for role 'state'", field="state")
    if role == Role.provider:
        if organization_id is None:
            raise InvalidInput("role 'provider' needs --organization ID", field="organization")
        if not referenced_exists(session, User.organization_id, organization_id):
            raise InvalidInput(f"no organization with id {organization_id}", field="organization")
    elif organization_id is not None:
        raise InvalidInput("--organization is only for role 'provider'", field="organization")


def issue_token(session: Session, user: User, *, ttl_days: int | None) -> IssuedToken:
    """A new token for `user`, valid `ttl_days` (None: never expires; negative: refused)."""
    if ttl_days is not None and ttl_days < 0:
        raise InvalidInput(
            f"a token cannot expire in {ttl_days} days: give a number of days of 1 or more, "
            "or 0 for a token that never expires",
            field="expires_days",
        )
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    row = ApiToken(
        user_id=user.id,
        token_hash=hash_token(token),
        prefix=token[: len(TOKEN_PREFIX) + 4],
        created_at=now,
        expires_at=now + timedelta(days=ttl_days) if ttl_days else None,
    )
    session.add(row)
    session.flush()
    return IssuedToken(token=token, token_id=row.id, user_id=user.id)


def revoke_token(session: Session, token_id: int) -> ApiToken:
    row = session.get(ApiToken, token_id)
    if row is None:
        raise NotFound(f"no token with id {token_id}")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
    return row


def list_tokens(session: Session) -> list[ApiToken]:
    stmt = select(ApiToken).options(joinedload(ApiToken.user)).order_by(ApiToken.id)
    return list(session.scalars(stmt))


def authenticate(session: Session, token: str) -> Principal:
    # Not cached, so that a revoked token or a disabled user stops at once, in every server
    # process. This runs on every API call made with a token: one statement built once.
    row = session.connection().execute(_TOKEN_OWNER, {"token_hash": hash_token(token)}).first()
    if row is None or row.revoked_at is not None or not row.is_active:
        raise NotAuthenticated("The bearer token is unknown or revoked")
    if row.expires_at is not None and row.expires_at <= utcnow():
        raise NotAuthenticated("The bearer token has expired")
    return Principal(
        user_id=row.id,
        name=row.name,
        role=row.role,
        state_iso3=row.state_iso3,
        organization_id=row.organization_id,
    )
