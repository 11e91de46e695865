from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from app.assistance_requests.models import RequestStatus, ThemeSource
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
        None,
        description="UHRI theme codes the State confirms (see `theme_sources` for the inferred "
        "ones); default: the linked recommendations' confirmed themes",
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


class ThemeSourceRead(BaseModel):
    theme: str = Field(description="UHRI theme code")
    source: ThemeSource = Field(
        description="state: named by the State; text: inferred from the title and description; "
        "recommendation: a linked recommendation's theme, or inferred from its text"
    )
    confirmed: bool = Field(
        description="The State chose it (it is in `themes`); matching prefers confirmed themes "
        "and uses the inferred ones only when none is confirmed"
    )
    score: float | None = Field(description="The tagger's score when inferred")


class RequestRead(VersionedRead):
    id: int
    state: str = Field(validation_alias="state_iso3")
    title: str
    description: str
    recommendation_ids: list[int]
    themes: list[str] = Field(validation_alias="theme_codes")
    theme_sources: list[ThemeSourceRead] = Field(
        default_factory=list,
        description="Every theme of the request, confirmed or inferred, and where it came from",
    )
    assistance_types: list[str] = Field(validation_alias="assistance_type_codes")
    languages: list[str] = Field(validation_alias="language_codes")
    period_start: date | None
    period_end: date | None
    consent_to_publish: bool
    status: RequestStatus
