from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from app.assistance_requests.models import RequestStatus
from app.core.schemas import (
    ISO3,
    CodeList,
    IdList,
    LongText,
    PeriodMixin,
    Title,
    VersionedRead,
    WriteSchema,
)


class RequestFields(WriteSchema, PeriodMixin):
    description: LongText | None = None
    recommendation_ids: IdList | None = Field(
        None, description="Supported recommendations of the requesting State"
    )
    themes: CodeList | None = Field(
        None, description="UHRI theme codes; default: the linked recommendations' themes"
    )
    assistance_types: CodeList | None = None
    languages: CodeList | None = Field(None, description="Languages the help should come in")


class RequestCreate(RequestFields):
    state: ISO3 | None = Field(
        None, description="Requesting State; a State focal point may leave it out"
    )
    title: Title
    consent_to_publish: bool = False
    status: Literal[RequestStatus.draft, RequestStatus.open] = RequestStatus.draft


class RequestUpdate(RequestFields):
    title: Title | None = None
    consent_to_publish: bool | None = None
    status: RequestStatus | None = None
    version: int | None = Field(None, description="The version you read (or send If-Match)")


class RequestRead(VersionedRead):
    id: int
    state: str = Field(validation_alias="state_iso3")
    title: str
    description: str
    recommendation_ids: list[int]
    themes: list[str] = Field(validation_alias="theme_codes")
    assistance_types: list[str] = Field(validation_alias="assistance_type_codes")
    languages: list[str] = Field(validation_alias="language_codes")
    period_start: date | None
    period_end: date | None
    consent_to_publish: bool
    status: RequestStatus
