"""Empty migrated databases to restore into: migrated once per run and backend, then copied."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.support.database import (
    SQLITE,
    FreshDatabase,
    migrate,
    postgres_database,
    postgres_url,
    sqlite_copy,
)


@pytest.fixture(scope="session")
def empty_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("empty") / "empty.db"
    migrate(f"sqlite:///{path}", seed=False)
    return path


@pytest.fixture(scope="session")
def empty_postgres_template() -> Iterator[str]:
    """The name of an empty migrated PostgreSQL database, used only as a template."""
    with postgres_database("uprtc_empty") as name:
        migrate(postgres_url(name), seed=False)
        yield name


@pytest.fixture
def fresh_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[FreshDatabase]:
    """make(backend) -> the URL of a new, empty, migrated database on that backend."""
    with ExitStack() as stack:

        def make(backend: str) -> str:
            if backend == SQLITE:
                return sqlite_copy(request.getfixturevalue("empty_sqlite_template"), tmp_path)
            template = request.getfixturevalue("empty_postgres_template")
            name = stack.enter_context(postgres_database("uprtc_restore", template=template))
            return postgres_url(name)

        yield make
