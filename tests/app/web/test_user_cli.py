"""`uprtc user create` and `uprtc user set-password`: the password prompt as an administrator
types it (the installed command), the rest in this process."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from tests.support.cli import uprtc, uprtc_typed
from tests.support.web import sign_in


def _can_sign_in(db_url: str, email: str, password: str) -> bool:
    settings = Settings(database_url=db_url, environment="test")
    with TestClient(create_app(settings), base_url="https://testserver") as web:
        return sign_in(web, email, password).status_code == 303


def test_user_create_prompts_twice_for_the_password(db_url: str) -> None:
    password = "kazakh focal point 2026"
    result = uprtc_typed(
        "user",
        "create",
        "--email",
        "Focal.Point@mfa.example.kz",
        "--name",
        "Kazakh focal point",
        "--role",
        "state",
        "--state",
        "kaz",
        db_url=db_url,
        stdin=f"{password}\n{password}\n",
    )
    assert result.returncode == 0, result.stderr
    assert "created: focal.point@mfa.example.kz (state)" in result.stderr
    assert password not in result.stdout + result.stderr  # never echoed
    assert _can_sign_in(db_url, "focal.point@mfa.example.kz", password)


def test_user_create_asks_again_when_the_two_entries_differ(db_url: str) -> None:
    result = uprtc(
        "user",
        "create",
        "--email",
        "desk@ohchr.example.org",
        "--name",
        "Desk officer",
        "--role",
        "staff",
        db_url=db_url,
        stdin="first long password\nsecond long password\nthe final password\nthe final password\n",
    )
    assert result.returncode == 0, result.stderr
    assert "do not match" in (result.stdout + result.stderr).lower()
    assert _can_sign_in(db_url, "desk@ohchr.example.org", "the final password")


def test_password_stdin_and_set_password(db_url: str) -> None:
    created = uprtc(
        "user",
        "create",
        "--email",
        "admin@ohchr.example.org",
        "--name",
        "Administrator",
        "--role",
        "admin",
        "--password-stdin",
        db_url=db_url,
        stdin="an administrator password\n",
    )
    assert created.returncode == 0, created.stderr
    changed = uprtc(
        "user",
        "set-password",
        "--email",
        "ADMIN@ohchr.example.org",
        "--password-stdin",
        db_url=db_url,
        stdin="a replacement password\n",
    )
    assert changed.returncode == 0, changed.stderr
    assert not _can_sign_in(db_url, "admin@ohchr.example.org", "an administrator password")
    assert _can_sign_in(db_url, "admin@ohchr.example.org", "a replacement password")
    unknown = uprtc(
        "user",
        "set-password",
        "--email",
        "nobody@example.org",
        "--password-stdin",
        db_url=db_url,
        stdin="whatever long password\n",
    )
    assert unknown.returncode == 2
    assert "no user with email 'nobody@example.org'" in unknown.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "state"], "needs --state"),
        (["--role", "state", "--state", "XXX"], "unknown country code 'XXX'"),
        (["--role", "provider"], "needs --organization"),
        (["--role", "provider", "--organization-id", "999"], "no organization with id 999"),
        (["--role", "staff", "--state", "KAZ"], "only for role 'state'"),
        (["--role", "staff", "--email", "not-an-email"], "not an email address"),
    ],
)
def test_bad_users_are_refused_before_the_password_is_asked(
    db_url: str, args: list[str], message: str
) -> None:
    email = [] if "--email" in args else ["--email", "x@example.org"]
    result = uprtc("user", "create", *email, "--name", "X", *args, db_url=db_url)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Password" not in result.stdout + result.stderr


def test_short_passwords_and_taken_emails_are_refused(db_url: str) -> None:
    base = ["user", "create", "--email", "a@example.org", "--name", "A", "--role", "staff"]
    short = uprtc(*base, "--password-stdin", db_url=db_url, stdin="short\n")
    assert short.returncode == 2
    assert "at least 12 characters" in short.stderr
    assert (
        uprtc(*base, "--password-stdin", db_url=db_url, stdin="long enough password\n").returncode
        == 0
    )
    again = uprtc(*base, "--password-stdin", db_url=db_url, stdin="long enough password\n")
    assert again.returncode == 2
    assert "exists already" in again.stderr


def test_user_create_sets_the_language_of_emails(db_url: str) -> None:
    def create(email: str, language: str) -> tuple[int, str]:
        result = uprtc(
            "user", "create", "--email", email, "--name", "Focal point", "--role", "state",
            "--state", "BFA", "--language", language, "--password-stdin",
            db_url=db_url, stdin="a long enough password\n",
        )  # fmt: skip
        return result.returncode, result.stderr

    assert create("fp@mae.example.bf", "FR")[0] == 0
    code, stderr = create("other@mae.example.bf", "de")
    assert code == 2
    assert "unknown language 'de': use one of ar, en, es, fr, ru, zh" in stderr
    settings = Settings(database_url=db_url, environment="test")
    with TestClient(create_app(settings), base_url="https://testserver") as web:
        sign_in(web, "fp@mae.example.bf", "a long enough password")
        assert '<option value="fr" lang="fr" selected>Français</option>' in web.get("/account").text
        assert sign_in(web, "other@mae.example.bf", "a long enough password").status_code == 400


def test_a_password_of_spaces_is_refused(db_url: str) -> None:
    base = ["user", "create", "--email", "b@example.org", "--name", "B", "--role", "staff"]
    for typed in (" " * 12, " " * 40, "   short    " * 1):
        result = uprtc(*base, "--password-stdin", db_url=db_url, stdin=f"{typed}\n")
        assert result.returncode == 2, repr(typed)
        assert "not counting spaces at its start and end" in result.stderr
    # Spaces inside (a passphrase) count, and the password is kept as typed.
    typed = "  a pass phrase with spaces  "
    assert uprtc(*base, "--password-stdin", db_url=db_url, stdin=f"{typed}\n").returncode == 0
