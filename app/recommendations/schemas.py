from __future__ import annotations

from datetime import datetime
from typing import Annotated, Self

from pydantic import Field, StringConstraints, model_validator

from app.core.schemas import ISO3, Code, CodeList, ReadSchema, VersionedRead, WriteSchema
from app.recommendations.models import (
    ImplementationStatus,
    Position,
    RecommendationSource,
    TagSource,
)

RecText = Annotated[str, StringConstraints(min_length=1, max_length=20_000, strip_whitespace=True)]
Symbol = Annotated[str, StringConstraints(max_length=60, strip_whitespace=True)]
Paragraph = Annotated[str, StringConstraints(max_length=20, strip_whitespace=True)]
ExternalId = Annotated[str, StringConstraints(max_length=100, strip_whitespace=True)]
Session_ = Annotated[int, Field(ge=1, le=100)]
Cycle = Annotated[int, Field(ge=1, le=10)]
StateList = Annotated[list[ISO3], Field(max_length=200)]


class RecommendationFields(WriteSchema):
    recommending_states: StateList | None = None
    session: Session_ | None = None
    cycle: Cycle | None = None
    document_symbol: Symbol | None = None
    paragraph: Paragraph | None = None
    language: Code | None = None
    themes: CodeList | None = None
    groups: CodeList | None = None
    sdgs: CodeList | None = None
    implementation_status: ImplementationStatus | None = None


class RecommendationCreate(RecommendationFields):
    state: ISO3 = Field(description="State under review (ISO 3166 alpha-3)")
    text: RecText
    position: Position
    source: RecommendationSource = RecommendationSource.manual
    external_id: ExternalId | None = None

    @model_validator(mode="after")
    def _cycle_or_session(self) -> Self:
        if self.cycle is None and self.session is None:
            raise ValueError(
                "give the UPR session or the cycle (the cycle follows from the session)"
            )
        return self


class RecommendationUpdate(RecommendationFields):
    text: RecText | None = None
    position: Position | None = None
    version: int | None = Field(None, description="The version you read (or send If-Match)")


class TagRead(ReadSchema):
    """A theme or a group of persons of a recommendation, and where it came from."""

    code: str
    source: TagSource = Field(
        description="machine: the tagger's suggestion; import: the imported source's label; "
        "staff: set by OHCHR staff"
    )
    score: float | None = Field(description="The tagger's score in [0, 1] (machine only)")
    model_version: str | None = Field(description="The tagger model that suggested it")
    confirmed_by: int | None = Field(
        validation_alias="confirmed_by_id", description="The staff user who confirmed it"
    )
    confirmed_at: datetime | None


class RecommendationTagsUpdate(WriteSchema):
    """Staff correct a recommendation's themes and groups (both lists, empty allowed): codes
    already there are confirmed, new ones are the staff's; the tagger never changes them again."""

    themes: CodeList
    groups: CodeList
    version: int | None = Field(None, description="The version you read (or send If-Match)")


class RecommendationTagsConfirm(WriteSchema):
    """Staff confirm the recommendation's themes and groups as they are."""

    version: int | None = Field(None, description="The version you read (or send If-Match)")


class RecommendationRead(VersionedRead):
    id: int
    state: str = Field(validation_alias="state_iso3")
    recommending_states: list[str] = Field(validation_alias="recommending_state_codes")
    cycle: int
    session: int | None
    document_symbol: str | None
    paragraph: str | None
    text: str
    language: str
    position: Position
    themes: list[str] = Field(validation_alias="theme_codes")
    groups: list[str] = Field(validation_alias="group_codes")
    sdgs: list[str] = Field(validation_alias="sdg_codes")
    implementation_status: ImplementationStatus
    source: RecommendationSource
    external_id: str | None
    theme_tags: list[TagRead] = Field(
        description="The themes with their source, score, model version and confirmation"
    )
    group_tags: list[TagRead] = Field(
        description="The groups of persons with their source, score, model and confirmation"
    )
    tags_reviewed_at: datetime | None = Field(
        description="When staff confirmed or corrected the themes and groups (None: not yet)"
    )
    tags_reviewed_by: str | None = Field(description="Who confirmed or corrected them")
