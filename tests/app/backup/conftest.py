"""Empty migrated databases to restore into: made by `uprtc db upgrade` once per run and
backend, then copied."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.cli import uprtc
from tests.conftest import POSTGRES_URL


@pytest.fixture(scope="session")
def empty_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("empty") / "empty.db"
    result = uprtc("db", "upgrade", db_url=f"sqlite:///{path}")
    assert result.returncode == 0, result.stderr
    return path


def _admin_url() -> str:
    assert POSTGRES_URL is not None
    return POSTGRES_URL


@pytest.fixture(scope="session")
def empty_postgres_template() -> Iterator[str]:
    """The name of an empty migrated PostgreSQL database, used only as a template."""
    admin = create_engine(_admin_url(), isolation_level="AUTOCOMMIT")
    name = f"uprtc_empty_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(_admin_url()).set(database=name).render_as_string(hide_password=False)
    result = uprtc("db", "upgrade", db_url=url)
    assert result.returncode == 0, result.stderr
    yield name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


FreshDatabase = Callable[[str], str]


@pytest.fixture
def fresh_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[FreshDatabase]:
    """make(backend) -> the URL of a new, empty, migrated database on that backend."""
    created: list[str] = []

    def make(backend: str) -> str:
        if backend == "sqlite":
            path = tmp_path / f"fresh-{uuid.uuid4().hex[:6]}.db"
            shutil.copy(request.getfixturevalue("empty_sqlite_template"), path)
            return f"sqlite:///{path}"
        template = request.getfixturevalue("empty_postgres_template")
        name = f"uprtc_restore_{uuid.uuid4().hex[:8]}"
        admin = create_engine(_admin_url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
        admin.dispose()
        created.append(name)
        return make_url(_admin_url()).set(database=name).render_as_string(hide_password=False)

    yield make
    if created:
        admin = create_engine(_admin_url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            for name in created:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
