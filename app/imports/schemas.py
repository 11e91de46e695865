from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from app.core.schemas import ReadSchema
from app.imports.models import ImportStatus


class DroppedLabelCount(BaseModel):
    field: Literal["theme", "group", "sdg", "issue"] = Field(
        description="The vocabulary: UHRI theme, affected persons (group), SDG, UPR Info issue"
    )
    label: str = Field(description="The label as the file first wrote it")
    rows: int = Field(description="Imported rows that carried it")
    lines: list[int] = Field(description="The first few of those rows (line or row numbers)")


class DroppedLabels(BaseModel):
    """Labels of imported rows that gave no code. The rows were imported with their other
    labels; an unknown label never refuses a row."""

    rows: int = Field(0, description="Imported rows that lost at least one label")
    unknown: list[DroppedLabelCount] = Field(
        default_factory=list, description="Labels not in the vocabulary, most frequent first"
    )
    no_counterpart: list[DroppedLabelCount] = Field(
        default_factory=list,
        description="Known labels with no counterpart by a documented decision "
        "(kind 'none' in seed_data/theme_aliases.csv and group_aliases.csv)",
    )
    not_listed: int = Field(0, description="Further distinct labels, counted but not listed")


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
    dropped_labels: DroppedLabels
    message: str | None
