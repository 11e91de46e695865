"""Engine and request-scoped session. The session dependency is the one place that commits."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Annotated, Any

import anyio
from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from app.db import text_search


def create_db_engine(
    database_url: str, *, echo: bool = False, busy_timeout_seconds: float = 5.0
) -> Engine:
    """The engine; on SQLite a write waits `busy_timeout_seconds` for another writer's lock
    before it fails ("database is locked", answered 503 by app.core.errors)."""
    url = make_url(database_url)
    connect_args: dict[str, Any] = {}
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:" and not url.database.startswith("file:"):
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        connect_args["check_same_thread"] = False
        connect_args["timeout"] = busy_timeout_seconds
    elif url.get_backend_name() == "postgresql":
        # psycopg prepares a statement run 5 times, and PostgreSQL may then plan it once for
        # any parameters: a text search planned for "women" scans the table for "albinism"
        # (700 ms instead of 2 ms at 100,000 recommendations, where the trigram index answers).
        connect_args["options"] = "-c plan_cache_mode=force_custom_plan"
    # A server connection can drop while it waits in the pool; a file cannot: pinging SQLite
    # cost every request one more statement (and one more wait for the GIL under load).
    pre_ping = url.get_backend_name() != "sqlite"
    engine = create_engine(url, echo=echo, connect_args=connect_args, pool_pre_ping=pre_ping)
    if url.get_backend_name() == "sqlite":
        busy_ms = round(busy_timeout_seconds * 1000)
        event.listen(engine, "connect", partial(_sqlite_on_connect, busy_ms=busy_ms))
    return engine


def _sqlite_on_connect(dbapi_connection: Any, _record: Any, *, busy_ms: int) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    dbapi_connection.create_function(
        "uprtc_contains_folded", 2, text_search.contains_folded, deterministic=True
    )


def create_session_factory(engine: Engine) -> sessionmaker[Session]:
    # expire_on_commit=False: response schemas are built before commit, but ETag/version
    # values read after commit must not trigger a reload on a closed session.
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One session, one transaction: committed if the block succeeds, rolled back otherwise."""
    session = factory()
    succeeded = False
    try:
        yield session
        succeeded = True
    finally:
        _end(session, succeeded)


async def get_session(request: Request) -> AsyncIterator[Session]:
    """The request's session, as `transaction` gives it. Async so that making the session (no
    I/O: the connection is taken at the first query) costs no trip to a worker thread; the
    commit or the rollback, which do I/O, run in one, shielded from cancellation so that the
    connection always goes back to the pool."""
    session = request.app.state.session_factory()
    succeeded = False
    try:
        yield session
        succeeded = True
    finally:
        if not succeeded or _holds_work(session):
            with anyio.CancelScope(shield=True):
                await run_in_threadpool(_end, session, succeeded)
        else:
            _end(session, succeeded)


def _holds_work(session: Session) -> bool:
    """Whether ending a session whose work succeeded does I/O: changes to write, or a
    transaction open in the database. A request that only read SQLite has none (the driver
    begins a transaction at the first write), so its session ends in place, without a trip to
    a worker thread. On a database server a read opens a transaction too (and asking for the
    connection could take one from the pool, with a ping): always a trip."""
    if session.new or session.dirty or session.deleted:
        return True
    if session.get_transaction() is None:
        return False  # no statement ran: no connection was taken
    if session.get_bind().dialect.name != "sqlite":
        return True
    try:
        driver_connection = session.connection().connection.dbapi_connection
    except SQLAlchemyError:  # e.g. a failed flush left to roll back: the usual way does it
        return True
    return bool(getattr(driver_connection, "in_transaction", True))


def _end(session: Session, commit: bool) -> None:
    """Commit (or roll back), then close; a failed commit is rolled back and raised."""
    try:
        if commit:
            session.commit()
        else:
            session.rollback()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


# scope="function": commit before the response is sent, so a failed commit is reported.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
