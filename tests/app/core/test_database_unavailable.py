"""A database that cannot take a write now (locked by another writer past the busy timeout,
read-only) answers 503 with Retry-After and a message, problem+json for the API and a page for
pages, quickly; readiness says when the database cannot take writes."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text, update
from sqlalchemy.engine import make_url

from app.auth.models import WebSession
from app.config import Settings
from app.db.session import create_db_engine, create_session_factory
from app.main import create_app
from app.web import SESSION_COOKIE
from tests.support.database import SQLITE, postgres_database, postgres_url, sqlite_copy
from tests.support.factories import ApiFactory
from tests.support.web import PASSWORD, csrf_from, user_maker

ORGANIZATION = {"name": "Readers' League", "type": "cso"}


def _make_user(url: str) -> str:
    engine = create_db_engine(url)
    email = user_maker(create_session_factory(engine))("staff")
    engine.dispose()
    return email


def _sign_in_page(client: TestClient, email: str) -> httpx.Response:
    """Signing in writes (its server-side session): the page that answers when it cannot."""
    token = csrf_from(client.get("/login").text)
    return client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})


def _assert_503_page(page: httpx.Response) -> None:
    assert page.status_code == 503
    assert page.headers["content-type"].startswith("text/html")
    assert "Retry-After" in page.headers
    assert "Try again in a moment" in page.text


def _app(url: str, busy_timeout: float = 5.0) -> TestClient:
    settings = Settings(
        database_url=url, environment="test", sqlite_busy_timeout_seconds=busy_timeout
    )
    return TestClient(
        create_app(settings),
        raise_server_exceptions=False,
        base_url="https://testserver",
    )


def test_a_locked_sqlite_database_answers_503_after_the_busy_timeout(db_url: str) -> None:
    with _app(db_url, busy_timeout=0.3) as client:
        api = ApiFactory(client, Settings(database_url=db_url, environment="test"))
        staff = api.staff
        email = _make_user(db_url)
        login = csrf_from(client.get("/login").text)
        holder = sqlite3.connect(make_url(db_url).database or "", isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock
        try:
            started = time.monotonic()
            response = client.post("/api/v1/organizations", json=ORGANIZATION, headers=staff)
            waited = time.monotonic() - started
            page = client.post(
                "/login", data={"email": email, "password": PASSWORD, "csrf_token": login}
            )
            assert client.get("/api/v1/organizations").status_code == 200  # reads go on
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        api.close()
        assert response.status_code == 503, response.text
        assert waited < 3
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["retry-after"] == "2"
        assert "busy" in response.json()["detail"]
        _assert_503_page(page)
        assert (
            client.post("/api/v1/organizations", json=ORGANIZATION, headers=staff).status_code
            == 201
        )


@contextmanager
def _read_only_database(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[str, str]]:
    """(a writable URL, a read-only URL) of one migrated database."""
    if backend == SQLITE:
        url = sqlite_copy(request.getfixturevalue("sqlite_template"), tmp_path)
        path = make_url(url).database
        yield url, f"sqlite:///file:{path}?mode=ro&uri=true"
        return
    with postgres_database(
        "uprtc_read_only", template=request.getfixturevalue("postgres_template")
    ) as name:
        yield postgres_url(name), postgres_url(name)


@pytest.mark.dialects
def test_a_read_only_database_refuses_writes_with_503_and_is_not_ready(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    with _read_only_database(backend, request, tmp_path) as (writable, read_only):
        with _app(writable) as client:
            api = ApiFactory(client, Settings(database_url=writable, environment="test"))
            staff = api.staff
            api.close()
            email = _make_user(writable)
            reader = _make_user(writable)
            assert _sign_in_page(client, reader).status_code == 200
            cookie = client.cookies[SESSION_COOKIE]
            assert client.get("/api/v1/health/ready").status_code == 200
        engine = create_engine(writable)
        with engine.begin() as connection:  # last seen long ago: the next page notes it
            connection.execute(
                update(WebSession).values(last_seen_at=datetime.now(UTC) - timedelta(hours=1))
            )
        engine.dispose()
        if backend != SQLITE:
            engine = create_engine(writable, isolation_level="AUTOCOMMIT")
            with engine.connect() as connection:
                name = make_url(writable).database
                connection.execute(
                    text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
                )
            engine.dispose()
        with _app(read_only) as client:
            assert client.get("/api/v1/countries/KAZ").status_code == 200
            response = client.post("/api/v1/organizations", json=ORGANIZATION, headers=staff)
            assert response.status_code == 503, response.text
            assert response.headers["content-type"] == "application/problem+json"
            assert response.headers["retry-after"] == "60"
            assert "read-only" in response.json()["detail"]
            ready = client.get("/api/v1/health/ready")
            assert ready.status_code == 503
            assert "cannot take writes" in ready.json()["detail"]
            _assert_503_page(_sign_in_page(client, email))
            # A signed-in user still reads pages (noting "last seen" is not worth a failure).
            client.cookies.clear()
            home = client.get("/account", headers={"cookie": f"{SESSION_COOKIE}={cookie}"})
            assert home.status_code == 200
            assert reader in home.text
