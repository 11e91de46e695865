from __future__ import annotations

from pathlib import Path

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from fastapi import APIRouter
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError, OperationalError

from app.core.errors import RETRY_READ_ONLY, ServiceUnavailable, database_trouble
from app.core.schemas import ReadSchema
from app.db.session import SessionDep

router = APIRouter(tags=["health"])
_ALEMBIC_INI = Path(__file__).resolve().parents[2] / "alembic.ini"


class HealthRead(ReadSchema):
    status: str
    database: str


class ReadinessRead(HealthRead):
    schema_revision: str | None


@router.get("/health", response_model=HealthRead)
def health(session: SessionDep) -> HealthRead:
    session.execute(text("SELECT 1"))
    return HealthRead(status="ok", database=session.get_bind().dialect.name)


@router.get("/health/live", response_model=HealthRead)
def liveness() -> HealthRead:
    """The process answers (no database call): for restarts by an orchestrator."""
    return HealthRead(status="ok", database="not checked")


def _takes_writes(engine: Engine) -> bool:
    """Try a write that changes nothing and roll it back, on a connection of its own: a
    read-only database (file, mount, standby, default_transaction_read_only) refuses it. A
    database merely busy with another writer counts as writable."""
    sqlite = engine.dialect.name == "sqlite"
    try:
        with engine.connect() as connection:
            busy_ms = None
            if sqlite:  # wait for no one: a busy database is not a read-only one
                busy_ms = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
                connection.exec_driver_sql("PRAGMA busy_timeout=0")
            try:
                connection.execute(text("UPDATE alembic_version SET version_num = version_num"))
            finally:
                connection.rollback()
                if busy_ms is not None:
                    connection.exec_driver_sql(f"PRAGMA busy_timeout={int(busy_ms)}")
                    connection.rollback()
    except DBAPIError as error:
        trouble = database_trouble(error)
        if trouble is None:
            raise
        return trouble != "read_only"
    return True


@router.get("/health/ready", response_model=ReadinessRead)
def readiness(session: SessionDep) -> ReadinessRead:
    """The database answers and its schema is at the latest migration: ready for traffic."""
    try:
        current = MigrationContext.configure(session.connection()).get_current_revision()
    except OperationalError as error:
        raise ServiceUnavailable("the database does not answer") from error
    head = ScriptDirectory.from_config(Config(str(_ALEMBIC_INI))).get_current_head()
    if current != head:
        raise ServiceUnavailable(
            f"the database schema is at revision {current}, not {head}: run `uprtc db upgrade`"
        )
    if not _takes_writes(session.get_bind().engine):
        raise ServiceUnavailable(
            "the database cannot take writes (it is read-only): reads work, changes fail",
            headers={"Retry-After": str(RETRY_READ_ONLY)},
        )
    return ReadinessRead(
        status="ok", database=session.get_bind().dialect.name, schema_revision=current
    )
