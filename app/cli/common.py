"""What every command shares: one transaction per command, how a refusal is reported, and the
language of the messages (`--language`, else UPRTC_LANGUAGE, else the locale: LC_ALL,
LC_MESSAGES, LANG; English when none names one of the six UN languages)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import typer
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.auth.models import Role
from app.auth.principal import Principal
from app.config import get_settings
from app.core.i18n import SOURCE_LANGUAGE, UN_LANGUAGES, translations
from app.db.migrations import DatabaseNotReady, check_set_up
from app.db.session import create_db_engine, create_session_factory, transaction

COMMAND_BUSY_TIMEOUT_SECONDS = 30.0
SYSTEM_IMPORTER = Principal(user_id=None, name="uprtc import (command line)", role=Role.admin)
SYSTEM_MATCHER = Principal(user_id=None, name="uprtc match (command line)", role=Role.admin)


LANGUAGE_VARIABLES = ("UPRTC_LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
_chosen: dict[str, str | None] = {"language": None}


def choose_language(code: str | None) -> None:
    """The root command's `--language` (None: from the environment)."""
    _chosen["language"] = code.strip().lower() if code else None


def language_of(value: str | None) -> str | None:
    """A UN language from a locale name: 'fr_FR.UTF-8' -> 'fr', 'zh-Hans' -> 'zh'."""
    if not value:
        return None
    code = value.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    return code if code in UN_LANGUAGES else None


def cli_language() -> str:
    if _chosen["language"] in UN_LANGUAGES:
        return str(_chosen["language"])
    for variable in LANGUAGE_VARIABLES:
        value = os.environ.get(variable)
        if value:  # the first one set decides, as for any POSIX program
            return language_of(value) or SOURCE_LANGUAGE
    return SOURCE_LANGUAGE


def _(message: str) -> str:
    """A message of the command line in its language (the catalogues of app/web/locales)."""
    return translations(cli_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(cli_language()).ngettext(singular, plural, n)


def require_set_up() -> None:
    """Stop with "the database is not set up: run `uprtc db upgrade`" (creating nothing) unless
    the configured database has been migrated. Every command but `db upgrade` asks this first."""
    try:
        check_set_up(get_settings().database_url)
    except DatabaseNotReady as exc:
        fail(str(exc))


def engine() -> Engine:
    require_set_up()
    settings = get_settings()
    # A command is a batch job: it would rather wait for the server's writes than fail.
    busy = max(settings.sqlite_busy_timeout_seconds, COMMAND_BUSY_TIMEOUT_SECONDS)
    return create_db_engine(settings.database_url, busy_timeout_seconds=busy)


@contextmanager
def session_scope() -> Iterator[Session]:
    """One transaction for one command: committed if it succeeds, rolled back otherwise."""
    bound = engine()
    try:
        with transaction(create_session_factory(bound)) as session:
            yield session
    finally:
        bound.dispose()


def fail(message: str) -> NoReturn:
    """Say why the command refused (a message the catalogues know is translated) and exit 2."""
    typer.secho(_("error: %(message)s") % {"message": _(message)}, err=True, fg=typer.colors.RED)
    raise typer.Exit(code=2)
