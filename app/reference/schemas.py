from __future__ import annotations

from pydantic import Field

from app.core.schemas import ReadSchema
from app.reference.models import RegionKind, UNStatus


class VocabularyRead(ReadSchema):
    code: str
    label_en: str
    labels: dict[str, str]


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
