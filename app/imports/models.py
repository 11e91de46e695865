from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, JSONType, str_enum, utcnow


class ImportStatus(enum.StrEnum):
    running = "running"
    completed = "completed"
    failed = "failed"


class ImportRun(Base):
    """One run of an importer: what it read and what it did, row errors included."""

    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(sa.String(40))
    filename: Mapped[str] = mapped_column(sa.String(300))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    status: Mapped[ImportStatus] = mapped_column(
        str_enum(ImportStatus), default=ImportStatus.running
    )
    actor_name: Mapped[str] = mapped_column(sa.String(200))
    inserted: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    rejected: Mapped[int] = mapped_column(default=0)
    skipped: Mapped[int] = mapped_column(default=0)
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    # Labels of imported rows that gave no code (app/imports/label_report.py).
    dropped_labels: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    message: Mapped[str | None] = mapped_column(sa.Text)
