"""Test databases are built by the migrations, once per run and backend; each test is isolated.

SQLite always; PostgreSQL too when UPRTC_TEST_POSTGRES_URL is set (`.ci/run` sets it). Every
test that takes `client` or `db_url` runs once per backend."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from app.cli import alembic_config
from app.config import Settings
from app.db.session import create_db_engine, create_session_factory
from app.main import create_app
from app.models import Base
from app.reference.seed import load_reference_data
from tests.factories import ApiFactory

POSTGRES_URL = os.environ.get("UPRTC_TEST_POSTGRES_URL")
BACKENDS = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]
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


def migrate_and_seed(url: str) -> None:
    config = alembic_config(url)
    config.attributes["configure_logging"] = False
    command.upgrade(config, "head")
    engine = create_db_engine(url)
    with create_session_factory(engine)() as session:
        load_reference_data(session)
        session.commit()
    engine.dispose()


@dataclass
class Backend:
    name: str
    template_url: str
    admin_engine: Engine | None = None


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    migrate_and_seed(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    assert POSTGRES_URL is not None
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    name = f"uprtc_test_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    migrate_and_seed(url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _truncate_postgres(url: str) -> None:
    tables = [t.name for t in Base.metadata.sorted_tables if t.name not in REFERENCE_TABLES]
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    engine.dispose()


def fresh_database(request: pytest.FixtureRequest, directory: Path) -> str:
    """A migrated, seeded, empty-of-user-data database on the backend `request.param`: a copy
    of the SQLite template in `directory`, or the run's PostgreSQL database, truncated."""
    if request.param == "sqlite":
        path = directory / "test.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgres_database")
    _truncate_postgres(url)
    return url


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, seeded, empty-of-user-data database for one test."""
    return fresh_database(request, tmp_path)


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(database_url=db_url, environment="test")


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    app = create_app(settings)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def api(client: TestClient, settings: Settings) -> Iterator[ApiFactory]:
    factory = ApiFactory(client, settings)
    yield factory
    factory.close()
