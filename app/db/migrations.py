"""The Alembic configuration of this project, for a database URL (or the configured one)."""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from app.config import get_settings

ROOT = Path(__file__).resolve().parents[2]


def alembic_config(database_url: str | None = None) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", database_url or get_settings().database_url)
    return config


NOT_SET_UP = "the database is not set up: run `uprtc db upgrade`"


class DatabaseNotReady(Exception):
    """The database cannot be used by a command: never migrated, or it cannot be reached."""


def check_set_up(database_url: str) -> None:
    """Raise DatabaseNotReady unless the database has been migrated, creating nothing: an
    SQLite file that does not exist is not opened (opening it would create it)."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        path = url.database
        if (
            path
            and path != ":memory:"
            and not path.startswith("file:")
            and not Path(path).is_file()
        ):
            raise DatabaseNotReady(NOT_SET_UP)
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            revision = MigrationContext.configure(connection).get_current_revision()
    except OperationalError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise DatabaseNotReady(f"the database cannot be reached: {reason}") from error
    finally:
        engine.dispose()
    if revision is None:
        raise DatabaseNotReady(NOT_SET_UP)
