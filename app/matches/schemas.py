from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StringConstraints

from app.core.schemas import VersionedRead, WriteSchema
from app.matches.models import MatchStatus, Party, PartyDecision

Score = Annotated[float, Field(ge=0, le=1)]
Reason = Annotated[str, StringConstraints(max_length=2000, strip_whitespace=True)]
Explanation = Annotated[str, StringConstraints(max_length=5000)]


class MatchCreate(WriteSchema):
    request_id: int
    offer_id: int
    score: Score = 0.0
    score_components: Annotated[dict[str, Score], Field(max_length=20)] = Field(
        default_factory=dict
    )
    explanation: Explanation = ""


class MatchUpdate(WriteSchema):
    status: MatchStatus | None = None
    reason: Reason | None = None
    version: int | None = Field(None, description="The version you read (or send If-Match)")


Version = Annotated[int | None, Field(description="The version you read (or send If-Match)")]


class MatchProposal(WriteSchema):
    version: Version = None


class MatchRejection(WriteSchema):
    reason: Annotated[str, StringConstraints(min_length=1, max_length=2000, strip_whitespace=True)]
    version: Version = None


class MatchTakeBack(WriteSchema):
    party: Party | None = Field(
        None, description="Whose acceptance: inferred for State and provider users; staff name it"
    )
    version: Version = None


class MatchDecisionCreate(WriteSchema):
    decision: Literal[PartyDecision.accepted, PartyDecision.declined]
    party: Party | None = Field(
        None,
        description="Whose decision: inferred for State and provider users; staff recording a "
        "decision received otherwise must name the party",
    )
    reason: Reason | None = None
    version: Version = None


class MatchReason(BaseModel):
    code: str = Field(
        description="themes, assistance, covers_state, covers_region, global, languages, "
        "offer_languages, track_record or similar_text"
    )
    params: dict[str, Any] = Field(
        default_factory=dict,
        description="codes (themes, kinds of help, languages), code (a State or a region), "
        "count, snippet",
    )


class MatchRead(VersionedRead):
    id: int
    request_id: int
    request_title: str
    state: str = Field(validation_alias="state_iso3")
    offer_id: int
    offer_title: str
    provider_id: int
    provider_name: str
    score: float
    score_components: dict[str, float]
    explanation: str = Field(
        description="The reasons as a sentence in the language of the request's "
        "Accept-Language (one of the six UN languages; English otherwise)"
    )
    reasons: list[MatchReason] = Field(
        default_factory=list,
        description="Why the pair scores as it does, as codes and parameters (empty for a "
        "match made by hand or before reasons were kept)",
    )
    status: MatchStatus
    state_decision: PartyDecision
    provider_decision: PartyDecision
    decided_by_id: int | None
    reason: str | None
    decided_at: datetime | None
