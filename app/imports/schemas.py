from __future__ import annotations

from datetime import datetime
from typing import Any

from app.core.schemas import ReadSchema
from app.imports.models import ImportStatus


class ImportRunRead(ReadSchema):
    id: int
    source: str
    filename: str
    status: ImportStatus
    started_at: datetime
    finished_at: datetime | None
    actor_name: str
    inserted: int
    updated: int
    unchanged: int
    rejected: int
    skipped: int
    errors: list[dict[str, Any]]
    message: str | None
