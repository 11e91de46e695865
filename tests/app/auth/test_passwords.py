"""Password hashing: argon2id at RFC 9106 cost outside tests, argon2-cffi's cheapest profile
when UPRTC_ENVIRONMENT=test, and a hash made under the other profile is re-made."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from argon2 import extract_parameters, profiles

from app.auth import passwords
from app.config import get_settings


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    def reset() -> None:
        get_settings.cache_clear()
        passwords._hasher.cache_clear()
        passwords._dummy_hash.cache_clear()

    reset()
    yield monkeypatch
    monkeypatch.undo()
    reset()


@pytest.mark.parametrize("name", ["development", "production"])
def test_outside_tests_hashes_cost_what_rfc_9106_asks(
    environment: pytest.MonkeyPatch, name: str
) -> None:
    environment.setenv("UPRTC_ENVIRONMENT", name)
    environment.setenv("UPRTC_SECRET_KEY", "x" * 40)
    stored = passwords.hash_password("correct horse battery staple")
    assert stored.startswith("$argon2id$")
    assert extract_parameters(stored) == profiles.RFC_9106_LOW_MEMORY
    assert passwords.verify(stored, "correct horse battery staple")


def test_tests_hash_cheaply_and_a_profile_change_rehashes(
    environment: pytest.MonkeyPatch,
) -> None:
    environment.setenv("UPRTC_ENVIRONMENT", "test")
    cheap = passwords.hash_password("correct horse battery staple")
    assert extract_parameters(cheap) == profiles.CHEAPEST
    assert not passwords.needs_rehash(cheap)
    environment.setenv("UPRTC_ENVIRONMENT", "production")
    environment.setenv("UPRTC_SECRET_KEY", "x" * 40)
    get_settings.cache_clear()
    passwords._hasher.cache_clear()
    assert passwords.verify(cheap, "correct horse battery staple")
    assert passwords.needs_rehash(cheap), "signing in re-makes it at production cost"
