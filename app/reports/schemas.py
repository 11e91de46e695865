"""The annual report as one plain, typed object: every format is rendered from it."""

from __future__ import annotations

import enum
from datetime import date, datetime

from pydantic import BaseModel, Field

CellValue = int | float | str | None
"""A table cell: counts are int, shares and medians float (rounded to one decimal), dates ISO
strings, None for a figure that does not exist (a median of nothing)."""


class ReportFormat(enum.StrEnum):
    json = "json"
    csv = "csv"
    xlsx = "xlsx"
    html = "html"
    pdf = "pdf"


class Table(BaseModel):
    name: str = Field(description="Stable machine name, e.g. `by_region`")
    title: str
    note: str = Field("", description="How the figures are counted")
    columns: list[str]
    rows: list[list[CellValue]]
    keys: list[str] = Field(
        default_factory=list,
        description="The columns' English names, the same in every language (`columns` are in "
        "the report's language)",
    )


class AnnualReport(BaseModel):
    language: str = Field("en", description="ar, zh, en, fr, ru or es")
    title: str
    year: int
    period_start: date
    period_end: date
    generated_at: datetime
    scope: list[str] = Field(description="How the year is applied to each kind of record")
    narrative: list[str] = Field(description="A few sentences generated from the figures")
    tables: list[Table]

    def table(self, name: str) -> Table:
        for table in self.tables:
            if table.name == name:
                return table
        raise KeyError(name)
