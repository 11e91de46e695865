"""The `uprtc` command line: database, seed data, accounts, imports, matching, reports, backup
and the server, one module per group of commands."""

from __future__ import annotations

from typing import Annotated

import typer

import app.models  # noqa: F401 - every table known: relationships, foreign keys, referrers
from app.cli import (
    accounts,
    database,
    imports,
    notifications,
    pairing,
    reports,
    search,
    serving,
    tagger,
)
from app.cli.common import choose_language, fail
from app.core.i18n import UN_LANGUAGES

cli = typer.Typer(help="UPR technical cooperation repository", no_args_is_help=True)


@cli.callback()
def root(
    language: Annotated[
        str | None,
        typer.Option(
            "--language",
            help="Messages in ar, zh, en, fr, ru or es (default: UPRTC_LANGUAGE, else the "
            "locale: LC_ALL, LC_MESSAGES, LANG; else English)",
        ),
    ] = None,
) -> None:
    """UPR technical cooperation repository."""
    choose_language(None)
    if language is not None and language.strip().lower() not in UN_LANGUAGES:
        fail(f"no language {language!r}; the languages are: {', '.join(UN_LANGUAGES)}")
    choose_language(language)


database.register(cli)
accounts.register(cli)
imports.register(cli)
pairing.register(cli)
notifications.register(cli)
reports.register(cli)
search.register(cli)
serving.register(cli)
tagger.register(cli)


def main() -> None:
    cli()
