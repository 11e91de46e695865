from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import Field, StringConstraints

from app.activities.models import ActivityStatus
from app.core.schemas import (
    ISO3,
    CodeList,
    Currency,
    IdList,
    LongText,
    PeriodMixin,
    Title,
    VersionedRead,
    WriteSchema,
)

Link = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=2000, pattern=r"^https?://[^\s<>\"]+$"
    ),
]
Amount = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]


class ActivityFields(WriteSchema, PeriodMixin):
    description: LongText | None = None
    provider_ids: IdList | None = Field(None, description="Organizations delivering the activity")
    recommendation_ids: IdList | None = None
    themes: CodeList | None = None
    funding_amount: Amount | None = None
    funding_currency: Currency | None = None
    outcome: LongText | None = Field(None, description="The short result, once it is known")
    outputs: LongText | None = Field(
        None, description="What it produced: trainings held, texts drafted, people reached"
    )
    links: Annotated[list[Link], Field(max_length=20)] | None = Field(
        None, description="Documents or pages about it (http or https addresses)"
    )
    status: ActivityStatus | None = None
    consent_to_publish: bool | None = None


class ActivityCreate(ActivityFields):
    state: ISO3 | None = Field(None, description="Beneficiary State; a State may leave it out")
    title: Title


class ActivityUpdate(ActivityFields):
    title: Title | None = None
    version: int | None = Field(None, description="The version you read (or send If-Match)")


class ActivityRead(VersionedRead):
    id: int
    state: str = Field(validation_alias="state_iso3")
    title: str
    description: str
    match_id: int | None
    provider_ids: list[int]
    recommendation_ids: list[int]
    themes: list[str] = Field(validation_alias="theme_codes")
    period_start: date | None
    period_end: date | None
    funding_amount: Decimal | None
    funding_currency: str | None
    outcome: str | None
    outputs: str | None
    links: list[str]
    status: ActivityStatus
    consent_to_publish: bool
