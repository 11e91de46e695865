"""The checks a database must pass after a process writing to it died with SIGKILL, and what
the crash tests send to a real server (`tests.support.server`)."""

from __future__ import annotations

import sqlite3
import urllib.error
import urllib.request
import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from app.auth import service as auth_service
from app.auth.models import Role
from app.db.session import create_db_engine, create_session_factory


def staff_token(db_url: str) -> str:
    engine = create_db_engine(db_url)
    with create_session_factory(engine)() as session:
        user = auth_service.create_user(session, name="Crash tester", role=Role.staff)
        issued = auth_service.issue_token(session, user, ttl_days=1)
        session.commit()
    engine.dispose()
    return issued.token


def multipart_post(url: str, token: str, filename: str, content: bytes) -> urllib.request.Request:
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="{filename}"\r\nContent-Type: text/csv\r\n\r\n'
    )
    body = head.encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return urllib.request.Request(  # noqa: S310 - http://127.0.0.1
        url,
        data=body,
        method="POST",
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        },
    )


def scalar(db_url: str, query: str, **params: Any) -> Any:
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(query), params).scalar()
    finally:
        engine.dispose()


def assert_database_sound(db_url: str) -> None:
    """SQLite: the file is intact and every foreign key holds (PostgreSQL enforces both)."""
    url = make_url(db_url)
    if url.get_backend_name() != "sqlite":
        assert scalar(db_url, "SELECT 1") == 1
        return
    assert url.database is not None
    with sqlite3.connect(url.database) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()


def write_transaction_open(db_url: str) -> bool:
    """Whether another connection holds an open write transaction on the database."""
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite":
        assert url.database is not None
        probe = sqlite3.connect(url.database, timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            probe.close()
    writers = scalar(
        db_url,
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()",
    )
    return bool(writers)
