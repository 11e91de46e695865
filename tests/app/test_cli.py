"""The `uprtc` command line: a few commands as a user types them (the installed command in a
new process), the rest in this process through typer's runner."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, inspect

from app.config import Settings
from app.main import create_app
from tests.support.cli import uprtc, uprtc_typed
from tests.support.database import SQLITE, postgres_database, postgres_url
from tests.support.factories import ApiFactory


def test_fresh_database_upgrade_seed_downgrade(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    assert uprtc_typed("db", "upgrade", db_url=url).returncode == 0
    first = uprtc_typed("seed", db_url=url)
    assert first.returncode == 0, first.stderr
    assert "countries: 248" in first.stderr
    again = uprtc_typed("seed", db_url=url)
    assert again.returncode == 0
    assert again.stderr == first.stderr, "seeding twice changes nothing"
    current = uprtc_typed("db", "current", db_url=url)
    assert "(head)" in current.stdout
    assert uprtc_typed("db", "downgrade", "base", db_url=url).returncode == 0


def test_token_create_prints_the_token_alone_and_it_works(db_url: str) -> None:
    result = uprtc_typed(
        "token",
        "create",
        "--role",
        "state",
        "--name",
        "Kyrgyz focal point",
        "--state",
        "kgz",
        db_url=db_url,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    token = lines[0]
    assert token.startswith("uprtc_")
    assert len(token) > 40
    with TestClient(create_app(Settings(database_url=db_url, environment="test"))) as client:
        me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert me["role"] == "state"
    assert me["state"] == "KGZ"
    assert me["name"] == "Kyrgyz focal point"


def test_token_list_never_shows_secrets_and_revoke_works(db_url: str) -> None:
    token = uprtc("token", "create", "--role", "staff", "--name", "Desk officer", db_url=db_url)
    secret = token.stdout.strip()
    listing = uprtc("token", "list", db_url=db_url)
    assert listing.returncode == 0
    assert "Desk officer" in listing.stdout
    assert secret not in listing.stdout
    token_id = listing.stdout.splitlines()[-1].split("\t")[0]
    assert uprtc("token", "revoke", token_id, db_url=db_url).returncode == 0
    with TestClient(create_app(Settings(database_url=db_url, environment="test"))) as client:
        response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "state", "--name", "x"], "needs --state"),
        (["--role", "state", "--name", "x", "--state", "XXX"], "unknown country code 'XXX'"),
        (["--role", "provider", "--name", "x"], "needs --organization"),
        (["--role", "provider", "--name", "x", "--organization", "999"], "no organization"),
        (["--role", "staff", "--name", "x", "--state", "KAZ"], "only for role 'state'"),
    ],
)
def test_token_create_refuses_bad_bindings(db_url: str, args: list[str], message: str) -> None:
    result = uprtc("token", "create", *args, db_url=db_url)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_unknown_role_is_refused(db_url: str) -> None:
    result = uprtc("token", "create", "--role", "emperor", "--name", "x", db_url=db_url)
    assert result.returncode != 0
    assert "emperor" in result.stderr


def test_match_stores_suggestions_and_reports_them(db_url: str, api: ApiFactory) -> None:
    request = api.request(
        "KAZ", status="open", themes=["torture"], title="Training for the preventive mechanism"
    )
    api.offer(title="Torture prevention training", countries=["KAZ"])
    first = uprtc("match", db_url=db_url)
    assert first.returncode == 0, first.stderr
    assert "1 open requests x 1 active offers -> 1 new" in first.stderr
    items = api.client.get(f"/api/v1/requests/{request['id']}/matches", headers=api.staff).json()[
        "items"
    ]
    assert [m["status"] for m in items] == ["suggested"]
    again = uprtc("match", db_url=db_url)
    assert "0 new, 0 updated, 1 unchanged" in again.stderr
    bad = uprtc("match", "--top-k", "0", db_url=db_url)
    assert bad.returncode == 2
    assert "top-k" in bad.stderr


def test_messages_follow_the_language_option_or_the_locale(db_url: str) -> None:
    """`--language`, else the locale (LANG...): the prompt and the messages through the
    catalogues; English without either (the other tests)."""
    french = uprtc(
        "--language",
        "fr",
        "user",
        "create",
        "--email",
        "fp@example.org",
        "--name",
        "FP",
        "--role",
        "staff",
        db_url=db_url,
        stdin="long enough password\nlong enough password\n",
    )
    assert french.returncode == 0, french.stderr
    assert "Mot de passe" in french.stdout
    russian = uprtc_typed(
        "user",
        "set-password",
        "--email",
        "fp@example.org",
        db_url=db_url,
        stdin="another long password\nanother long password\n",
        extra_env={"LANG": "ru_RU.UTF-8", "LC_ALL": "", "UPRTC_LANGUAGE": ""},
    )
    assert russian.returncode == 0, russian.stderr
    assert "Пароль" in russian.stdout + russian.stderr
    odd = uprtc("--language", "xx", "token", "list", db_url=db_url)
    assert odd.returncode == 2
    assert "no language 'xx'" in odd.stderr


NEVER_MIGRATED_COMMANDS = [
    ["token", "list"],
    ["token", "create", "--role", "staff", "--name", "Desk"],
    ["token", "revoke", "1"],
    ["user", "set-password", "--email", "a@example.org", "--password-stdin"],
    ["seed"],
    ["match"],
    ["backup"],
    ["notifications", "send"],
    ["notifications", "digest"],
    ["report", "annual", "--year", "2025"],
    ["db", "current"],
    ["db", "downgrade", "base"],
    ["serve", "--port", "1"],
]


@pytest.mark.dialects
def test_every_command_on_a_database_never_migrated_says_so_and_creates_nothing(
    backend: str, tmp_path: Path
) -> None:
    with contextlib.ExitStack() as stack:
        if backend == SQLITE:
            url = "sqlite:///var/uprtc.db"  # relative: in the folder the command runs in
        else:
            url = postgres_url(stack.enter_context(postgres_database("uprtc_never_migrated")))
        for args in NEVER_MIGRATED_COMMANDS:
            result = uprtc(*args, db_url=url, cwd=tmp_path, stdin="a long enough password\n")
            assert result.returncode == 2, (args, result.stderr)
            assert "the database is not set up: run `uprtc db upgrade`" in result.stderr, args
            assert "Traceback" not in result.stderr
        assert list(tmp_path.iterdir()) == []
        if backend != SQLITE:
            engine = create_engine(url)
            with engine.connect() as connection:
                assert inspect(connection).get_table_names() == []
            engine.dispose()


def test_a_never_migrated_database_is_reported_by_the_installed_command(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()  # a file that exists but holds no schema
    for url in ("sqlite:///var/uprtc.db", f"sqlite:///{empty}"):
        result = uprtc_typed("token", "list", db_url=url, cwd=tmp_path)
        assert result.returncode == 2
        assert result.stderr.strip() == "error: the database is not set up: run `uprtc db upgrade`"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.db"]
    assert empty.stat().st_size == 0


def test_token_create_refuses_a_negative_lifetime(db_url: str) -> None:
    args = ["token", "create", "--role", "staff", "--name", "Desk", "--expires-days", "-1"]
    result = uprtc(*args, db_url=db_url)
    assert result.returncode == 2
    assert "cannot expire in -1 days" in result.stderr
    assert "0 for a token that never expires" in result.stderr
    assert result.stdout == ""
    assert uprtc("token", "list", db_url=db_url).stdout == ""  # nothing was created
