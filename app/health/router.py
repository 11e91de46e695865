from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from app.core.schemas import ReadSchema
from app.db.session import SessionDep

router = APIRouter(tags=["health"])


class HealthRead(ReadSchema):
    status: str
    database: str


@router.get("/health", response_model=HealthRead)
def health(session: SessionDep) -> HealthRead:
    session.execute(text("SELECT 1"))
    return HealthRead(status="ok", database=session.get_bind().dialect.name)
