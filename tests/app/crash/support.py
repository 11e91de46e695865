"""Real processes to kill: `uprtc serve` on a free port, `uprtc match`; and the checks a database
must pass after a process writing to it died with SIGKILL."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from app.auth import service as auth_service
from app.auth.models import Role
from app.db.session import create_db_engine, create_session_factory

UPRTC = str(Path(sys.executable).parent / "uprtc")


def env_for(db_url: str) -> dict[str, str]:
    return {**os.environ, "UPRTC_DATABASE_URL": db_url, "UPRTC_ENVIRONMENT": "test"}


def staff_token(db_url: str) -> str:
    engine = create_db_engine(db_url)
    with create_session_factory(engine)() as session:
        user = auth_service.create_user(session, name="Crash tester", role=Role.staff)
        issued = auth_service.issue_token(session, user, ttl_days=1)
        session.commit()
    engine.dispose()
    return issued.token


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """`uprtc serve` in its own process."""

    def __init__(self, db_url: str, log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self._log = log.open("wb")
        self.process = subprocess.Popen(
            [UPRTC, "serve", "--port", str(self.port)],
            env=env_for(db_url),
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        wait_for(self._healthy, 60, "the server to answer /api/v1/health")

    def _healthy(self) -> bool:
        if self.process.poll() is not None:
            self._log.close()
            log = Path(self._log.name).read_text(errors="replace")[-3000:]
            raise AssertionError(f"the server exited with {self.process.returncode}:\n{log}")
        try:
            with urllib.request.urlopen(f"{self.base}/api/v1/health", timeout=1) as answer:  # noqa: S310 - http://127.0.0.1
                return bool(answer.status == 200)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False

    def kill(self) -> None:
        self.process.kill()  # SIGKILL: no handler, no cleanup, like a power cut for this process
        self.process.wait(timeout=30)
        self._log.close()


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


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.03)


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
