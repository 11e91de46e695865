from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field

from app.core.schemas import (
    ISO3,
    CodeList,
    LongText,
    PeriodMixin,
    Title,
    VersionedRead,
    WriteSchema,
)
from app.offers.models import OfferStatus
from app.organizations.schemas import OrganizationRef

Capacity = Annotated[int, Field(ge=0, le=10_000, description="How many requests it can take on")]


class OfferFields(WriteSchema, PeriodMixin):
    description: LongText | None = None
    themes: CodeList | None = None
    assistance_types: CodeList | None = None
    languages: CodeList | None = Field(None, description="Languages the help is delivered in")
    countries: Annotated[list[ISO3], Field(max_length=300)] | None = None
    regions: CodeList | None = Field(None, description="M49 regions, regional or UN groups")
    is_global: bool | None = None
    capacity: Capacity | None = None


class OfferCreate(OfferFields):
    organization_id: int | None = Field(None, description="Providers may leave it out")
    title: Title
    status: OfferStatus = OfferStatus.active


class OfferUpdate(OfferFields):
    title: Title | None = None
    status: OfferStatus | None = None
    version: int | None = Field(None, description="The version you read (or send If-Match)")


class OfferRead(VersionedRead):
    id: int
    organization: OrganizationRef
    title: str
    description: str
    themes: list[str] = Field(validation_alias="theme_codes")
    assistance_types: list[str] = Field(validation_alias="assistance_type_codes")
    languages: list[str] = Field(validation_alias="language_codes")
    countries: list[str] = Field(validation_alias="country_codes")
    regions: list[str] = Field(validation_alias="region_codes")
    is_global: bool
    capacity: int
    period_start: date | None
    period_end: date | None
    status: OfferStatus
