"""Passwords for signing in on the web pages: argon2id hashes (argon2-cffi), a length policy.

API clients keep using bearer tokens; a password never authenticates an API call."""

from __future__ import annotations

import re
from functools import cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from app.config import get_settings
from app.core.errors import InvalidInput

MIN_LENGTH = 12
MAX_LENGTH = 1024  # argon2 copes with more; this only bounds the work one request can ask for
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@cache
def _hasher() -> PasswordHasher:
    """RFC 9106 "low memory" profile (argon2-cffi's default: argon2id, 64 MiB, 3 passes, 4 lanes);
    with UPRTC_ENVIRONMENT=test, argon2-cffi's cheap profile, so that a test suite that signs
    in hundreds of times does not spend minutes hashing. The parameters are stored in each hash:
    a hash made with other parameters is re-made at the next sign-in (`needs_rehash`)."""
    if get_settings().environment == "test":
        return PasswordHasher.from_parameters(profiles.CHEAPEST)
    return PasswordHasher.from_parameters(profiles.RFC_9106_LOW_MEMORY)


@cache
def _dummy_hash() -> str:
    """Verified when an email is unknown, so that a wrong email costs as long as a wrong
    password. Made on first use, not at import: every command would pay for it otherwise."""
    return _hasher().hash("a password that no account has")


def normalize_email(email: str) -> str:
    value = email.strip().lower()
    if len(value) > 320 or not _EMAIL.match(value):
        raise InvalidInput(f"not an email address: {email!r}", field="email")
    return value


def check_policy(password: str) -> None:
    """At least MIN_LENGTH characters besides the spaces at its start and end (a password of
    spaces alone is no password); the password is kept as typed."""
    if len(password.strip()) < MIN_LENGTH:
        raise InvalidInput(
            f"a password needs at least {MIN_LENGTH} characters, not counting spaces at its "
            "start and end",
            field="password",
        )
    if len(password) > MAX_LENGTH:
        raise InvalidInput(f"a password has at most {MAX_LENGTH} characters", field="password")


def hash_password(password: str) -> str:
    check_policy(password)
    return _hasher().hash(password)


def verify(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; always does the work of one verification."""
    if len(password) > MAX_LENGTH:
        return False
    try:
        verified = _hasher().verify(password_hash or _dummy_hash(), password)
        return verified and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)
