from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.auth.dependencies import StaffPrincipal
from app.core.pagination import Pagination, page_of
from app.core.schemas import Page, ReadSchema
from app.db.session import SessionDep

router = APIRouter(prefix="/audit", tags=["audit"])


class AuditEntryRead(ReadSchema):
    id: int
    at: datetime
    actor_id: int | None
    actor_name: str
    action: str
    entity_type: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@router.get("", response_model=Page[AuditEntryRead])
def list_audit_entries(
    _actor: StaffPrincipal,
    session: SessionDep,
    page: Pagination,
    entity_type: Annotated[str | None, Query(max_length=60)] = None,
    entity_id: Annotated[str | None, Query(max_length=60)] = None,
) -> Page[AuditEntryRead]:
    stmt = select(AuditEntry).order_by(AuditEntry.id.desc())
    if entity_type:
        stmt = stmt.where(AuditEntry.entity_type == entity_type)
    if entity_id:
        stmt = stmt.where(AuditEntry.entity_id == entity_id)
    return page_of(session, stmt, page, AuditEntryRead)
