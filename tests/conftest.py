"""Fixtures every test may use: a database built by the migrations, the app, an API client and
a factory of test data. Each test gets its own database (`tests.support.database`).

Tests run on SQLite; those marked `dialects` also run on PostgreSQL when
UPRTC_TEST_POSTGRES_URL is set (`.ci/run` sets it): the `backend` parameter says which."""

from __future__ import annotations

import os

# Before any settings are read: cheap password hashing, test behaviour (see app/config.py).
os.environ.setdefault("UPRTC_ENVIRONMENT", "test")
# No email sender thread in the apps tests start (tests send with `uprtc notifications send`);
# the tests of that thread turn it on.
os.environ.setdefault("UPRTC_MAIL_SEND_INTERVAL_SECONDS", "0")

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from tests.support.database import (
    BACKENDS,
    DIALECTS_MARKER,
    SQLITE,
    empty_user_data,
    migrate,
    postgres_database,
    postgres_url,
    sqlite_copy,
)
from tests.support.factories import ApiFactory


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        dialects = metafunc.definition.get_closest_marker(DIALECTS_MARKER) is not None
        metafunc.parametrize("backend", BACKENDS if dialects else [SQLITE], scope="module")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """A migrated, seeded PostgreSQL database that is only ever copied (no connection stays)."""
    with postgres_database("uprtc_template") as name:
        migrate(postgres_url(name))
        yield name


@pytest.fixture(scope="session")
def postgres_shared(postgres_template: str) -> Iterator[str]:
    """The PostgreSQL database that function-scoped tests share, emptied before each."""
    with postgres_database("uprtc_test", template=postgres_template) as name:
        yield postgres_url(name)


def new_database(backend: str, request: pytest.FixtureRequest, directory: Path) -> str:
    """A migrated, seeded database of its own: a copy of the SQLite template, or the shared
    PostgreSQL database emptied of everything but the reference data."""
    if backend == SQLITE:
        return sqlite_copy(request.getfixturevalue("sqlite_template"), directory)
    url: str = request.getfixturevalue("postgres_shared")
    empty_user_data(url)
    return url


@pytest.fixture
def db_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, seeded, empty-of-user-data database for one test."""
    return new_database(backend, request, tmp_path)


@pytest.fixture(scope="module")
def module_db_url(
    backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A database of its own for a module's shared world (never emptied by other tests)."""
    if backend == SQLITE:
        template = request.getfixturevalue("sqlite_template")
        yield sqlite_copy(template, tmp_path_factory.mktemp("module"))
        return
    with postgres_database(
        "uprtc_module", template=request.getfixturevalue("postgres_template")
    ) as name:
        yield postgres_url(name)


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(database_url=db_url, environment="test")


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def api(client: TestClient, settings: Settings) -> Iterator[ApiFactory]:
    factory = ApiFactory(client, settings)
    yield factory
    factory.close()


@pytest.fixture(scope="module")
def module_client(module_db_url: str) -> Iterator[TestClient]:
    """The app on the module's database, for a world that a module's tests share."""
    settings = Settings(database_url=module_db_url, environment="test")
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def module_api(module_client: TestClient, module_db_url: str) -> Iterator[ApiFactory]:
    factory = ApiFactory(module_client, Settings(database_url=module_db_url, environment="test"))
    yield factory
    factory.close()
