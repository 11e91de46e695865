from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from app.core.schemas import VersionedRead, WriteSchema
from app.matches.models import MatchStatus, PartyDecision

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


class MatchRead(VersionedRead):
    id: int
    request_id: int
    offer_id: int
    score: float
    score_components: dict[str, float]
    explanation: str
    status: MatchStatus
    state_decision: PartyDecision
    provider_decision: PartyDecision
    decided_by_id: int | None
    reason: str | None
    decided_at: datetime | None
