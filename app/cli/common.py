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
from app.db.session import create_db_engine, create_session_factory, transaction

SYSTEM_IMPORTER = Principal(user_id=None, name="uprtc import (command line)", role=Role.admin)
SYSTEM_MATCHER = Principal(user_id=None, name="uprtc match (command line)", role=Role.admin)


def engine() -> Engine:
    return create_db_engine(get_settings().database_url)


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
