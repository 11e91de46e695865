"""The `uprtc` command line: database, seed data, accounts, imports, matching, reports, backup
and the server, one module per group of commands."""

from __future__ import annotations

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

cli = typer.Typer(help="UPR technical cooperation repository", no_args_is_help=True)
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
