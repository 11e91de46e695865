"""Test databases, built by the migrations once per run (and per xdist worker) and backend.

Every test that asks for a database gets its own: a copy of a migrated and seeded SQLite file,
or the run's PostgreSQL database emptied of everything but the reference data. Tests run on
SQLite; a test marked `dialects` (behaviour that differs between the two databases: text
search, arrays and JSON, the import writer, upserts, locking and concurrency, migrations,
backup) runs on PostgreSQL too when UPRTC_TEST_POSTGRES_URL is set (`.ci/run` sets it)."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.db.migrations import alembic_config
from app.db.session import create_db_engine, create_session_factory
from app.models import Base
from app.reference.seed import load_reference_data

POSTGRES_URL = os.environ.get("UPRTC_TEST_POSTGRES_URL")
SQLITE = "sqlite"
POSTGRESQL = "postgresql"
BACKENDS = [SQLITE, POSTGRESQL] if POSTGRES_URL else [SQLITE]
DIALECTS_MARKER = "dialects"
# make(backend) -> the URL of a new, empty, migrated database on that backend (tests/app/backup).
FreshDatabase = Callable[[str], str]
REFERENCE_TABLES = {
    "countries",
    "country_languages",
    "regions",
    "region_members",
    "themes",
    "groups_of_persons",
    "sdg_goals",
    "assistance_types",
    "languages",
    "alembic_version",
}


def migrate(url: str, *, seed: bool = True) -> None:
    """The schema by `alembic upgrade head` (as `uprtc db upgrade`), then the reference data."""
    config = alembic_config(url)
    config.attributes["configure_logging"] = False
    command.upgrade(config, "head")
    if not seed:
        return
    engine = create_db_engine(url)
    with create_session_factory(engine)() as session:
        load_reference_data(session)
        session.commit()
    engine.dispose()


def postgres_url(database: str) -> str:
    assert POSTGRES_URL is not None
    return make_url(POSTGRES_URL).set(database=database).render_as_string(hide_password=False)


def _admin_execute(*statements: str) -> None:
    assert POSTGRES_URL is not None
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        admin.dispose()


@contextmanager
def postgres_database(prefix: str, template: str | None = None) -> Iterator[str]:
    """A new PostgreSQL database (a copy of `template` when given), dropped afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    template_clause = f' TEMPLATE "{template}"' if template else ""
    _admin_execute(f'CREATE DATABASE "{name}"{template_clause}')
    try:
        yield name
    finally:
        _admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def empty_user_data(url: str) -> None:
    """Remove every row but the reference data (PostgreSQL), identities restarted."""
    tables = [t.name for t in Base.metadata.sorted_tables if t.name not in REFERENCE_TABLES]
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    engine.dispose()


def sqlite_copy(template: Path, directory: Path) -> str:
    path = directory / f"test-{uuid.uuid4().hex[:6]}.db"
    shutil.copy(template, path)
    return f"sqlite:///{path}"
