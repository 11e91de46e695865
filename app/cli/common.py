"""What every command shares: one transaction per command, and how a refusal is reported."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import typer
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.auth.models import Role
from app.auth.principal import Principal
from app.config import get_settings
from app.db.migrations import DatabaseNotReady, check_set_up
from app.db.session import create_db_engine, create_session_factory, transaction

COMMAND_BUSY_TIMEOUT_SECONDS = 30.0
SYSTEM_IMPORTER = Principal(user_id=None, name="uprtc import (command line)", role=Role.admin)
SYSTEM_MATCHER = Principal(user_id=None, name="uprtc match (command line)", role=Role.admin)


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
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    raise typer.Exit(code=2)
