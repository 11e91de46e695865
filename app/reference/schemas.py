from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from app.core.schemas import ReadSchema, WriteSchema
from app.reference.models import RegionKind, UNStatus


class VocabularyRead(ReadSchema):
    code: str
    label_en: str
    labels: dict[str, str]


class ThemeSuggestRequest(WriteSchema):
    text: Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
    top_k: Annotated[int, Field(ge=1, le=20)] = 5


class ThemeSuggestionRead(ReadSchema):
    code: str
    label: str
    score: float
    selected: bool = Field(description="Part of the tagger's calibrated decision")


class ThemeSuggestionsRead(ReadSchema):
    language: str | None = Field(description="Detected language of the text")
    suggestions: list[ThemeSuggestionRead]


class AssistanceTypeRead(VocabularyRead):
    description_en: str | None


class CountryRead(ReadSchema):
    iso3: str
    iso2: str | None
    m49: str | None
    name: str
    labels: dict[str, str]
    un_status: UNStatus
    region_codes: list[str]
    languages: list[str] = Field(validation_alias="language_codes")


class RegionRead(ReadSchema):
    code: str
    kind: RegionKind
    name: str
    labels: dict[str, str]
    parent_code: str | None
    member_iso3: list[str]
