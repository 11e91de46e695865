from __future__ import annotations

from pathlib import Path

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from fastapi import APIRouter
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from app.core.errors import ServiceUnavailable
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
    return ReadinessRead(
        status="ok", database=session.get_bind().dialect.name, schema_revision=current
    )
