from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.i18n import UN_LANGUAGES
from app.db.base import Base, TimestampMixin, str_enum

_LANGUAGE_CODES = ", ".join(f"'{code}'" for code in sorted(UN_LANGUAGES))


class Role(enum.StrEnum):
    admin = "admin"
    staff = "staff"
    state = "state"
    provider = "provider"


class User(TimestampMixin, Base):
    __tablename__ = "users"
    __table_args__ = (
        sa.CheckConstraint(
            "(role != 'state') OR (state_iso3 IS NOT NULL)", name="state_role_has_state"
        ),
        sa.CheckConstraint(
            "(role != 'provider') OR (organization_id IS NOT NULL)",
            name="provider_role_has_organization",
        ),
        sa.CheckConstraint(
            f"language IS NULL OR language IN ({_LANGUAGE_CODES})",
            name="language_known",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    # Sign-in on the web pages: stored lower-cased; users with API tokens only have neither.
    email: Mapped[str | None] = mapped_column(sa.String(320), unique=True)
    password_hash: Mapped[str | None] = mapped_column(sa.String(200))  # argon2id, PHC string
    role: Mapped[Role] = mapped_column(str_enum(Role))
    state_iso3: Mapped[str | None] = mapped_column(sa.ForeignKey("countries.iso3"))
    organization_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organizations.id"))
    is_active: Mapped[bool] = mapped_column(default=True)
    # The language of the emails and notifications the user receives (one of the six UN
    # languages); unset: the language they first sign in with, English until then.
    language: Mapped[str | None] = mapped_column(sa.String(8))

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user")


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(16))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="tokens")


class WebSession(Base):
    """A signed-in session on the web pages. The cookie carries a random token; only its SHA-256
    digest is stored (the id), so a copy of this table cannot sign anybody in. A session ends
    when it expires or is revoked: sign-out, a new password, a disabled account, "sign out
    everywhere" (app/auth/web_sessions.py)."""

    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
