"""Is an import run that says "running" still running?

The process that runs an import holds a lock for as long as it runs: a PostgreSQL advisory
lock on a connection of its own, or, on SQLite, an exclusive `flock` on a file beside the
database. PostgreSQL and the operating system release these locks when the process ends,
however it ends (killed, crashed, the machine restarted). So a run that says "running" but
whose lock is free was interrupted: `reconcile` marks it failed, with a message saying so.
Its committed batches stay (each batch is one transaction, and the run's counts are updated in
that same transaction), and importing the same file again completes it.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from sqlalchemy import Connection, Engine, func, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from app.db.base import utcnow
from app.imports.models import ImportRun, ImportStatus

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: interrupted runs are never detected
    fcntl = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)

LOCK_CLASS = 0x75707274  # PostgreSQL advisory locks: (this, run id)
INTERRUPTED = (
    "interrupted: the import stopped before it finished (the process was stopped or crashed). "
    "The counts are those of the batches it had committed, which are kept; import the same "
    "file again to complete it."
)

_claimed: set[tuple[str, int]] = set()  # (database, run id) claimed by this process
_claimed_lock = threading.Lock()


@dataclass
class RunClaim:
    """Held while a run runs; `release` once its final state is committed."""

    key: tuple[str, int]
    _connection: Connection | None = None
    _file: IO[bytes] | None = None
    _path: Path | None = None
    _released: bool = field(default=False, init=False)

    def release(self) -> None:
        if self._released:
            return
        self._released = True
        if self._connection is not None:
            try:
                self._connection.execute(select(func.pg_advisory_unlock(LOCK_CLASS, self.key[1])))
            except SQLAlchemyError:  # a connection that is gone holds no lock either
                logger.warning("could not unlock import run %s", self.key[1], exc_info=True)
            finally:
                self._connection.close()
        if self._file is not None and self._path is not None:
            self._path.unlink(missing_ok=True)  # before unlocking: nobody can hold a stale path
            self._file.close()
        with _claimed_lock:
            _claimed.discard(self.key)


def _database(bind: Engine | Connection) -> str:
    return bind.engine.url.render_as_string(hide_password=True)


def _lock_path(bind: Engine | Connection, run_id: int) -> Path | None:
    url = make_url(bind.engine.url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database).resolve().with_name(f"{Path(url.database).name}.import-{run_id}.lock")


def claim(bind: Engine | Connection, run_id: int) -> RunClaim:
    """Hold the lock that says run `run_id` is alive. Take it before the run's row is committed,
    so that nobody sees the run as "running" without its lock."""
    engine = bind.engine
    key = (_database(engine), run_id)
    held = _hold(engine, key)
    with _claimed_lock:
        _claimed.add(key)
    return held


def _hold(engine: Engine, key: tuple[str, int]) -> RunClaim:
    run_id = key[1]
    if engine.dialect.name == "postgresql":
        connection = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            connection.execute(select(func.pg_advisory_lock(LOCK_CLASS, run_id)))
        except BaseException:
            connection.close()
            raise
        return RunClaim(key, _connection=connection)
    path = _lock_path(engine, run_id)
    if path is None or fcntl is None:
        return RunClaim(key)
    handle = path.open("ab")
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
    except BaseException:
        handle.close()
        raise
    return RunClaim(key, _file=handle, _path=path)


def is_alive(conn: Connection, run_id: int) -> bool:
    """Whether some process still runs `run_id`. Unknown backends: assumed alive."""
    with _claimed_lock:
        if (_database(conn), run_id) in _claimed:
            return True
    if conn.dialect.name == "postgresql":
        free = conn.execute(select(func.pg_try_advisory_lock(LOCK_CLASS, run_id))).scalar()
        if free:
            conn.execute(select(func.pg_advisory_unlock(LOCK_CLASS, run_id)))
        return not free
    if conn.dialect.name != "sqlite" or fcntl is None:
        return True
    path = _lock_path(conn, run_id)
    if path is None:
        return False  # an in-memory database lives in this process only
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return False
    with handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        path.unlink(missing_ok=True)  # left by a process that died
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        return False


def reconcile(sessions: sessionmaker[Session]) -> list[int]:
    """Mark the runs that say "running" but whose process is gone as interrupted (failed, with
    a message); returns their ids. Best effort: a failure is logged, never raised."""
    try:
        with sessions() as session:
            running = session.scalars(
                select(ImportRun.id).where(ImportRun.status == ImportStatus.running)
            ).all()
            if not running:
                return []
            conn = session.connection()
            dead = [run_id for run_id in running if not is_alive(conn, run_id)]
            for run_id in dead:
                session.execute(
                    update(ImportRun)
                    .where(ImportRun.id == run_id, ImportRun.status == ImportStatus.running)
                    .values(status=ImportStatus.failed, finished_at=utcnow(), message=INTERRUPTED)
                )
            session.commit()
    except SQLAlchemyError:
        logger.exception("could not check import runs left running")
        return []
    if dead:
        logger.warning("import runs %s were interrupted; marked failed", dead)
    return dead
