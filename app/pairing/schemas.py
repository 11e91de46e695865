from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StrictBool

from app.core.schemas import IdList, ReadSchema, WriteSchema


class MatchingRunCreate(WriteSchema):
    request_ids: IdList | None = Field(
        None, description="Only these open requests (default: every open request)"
    )
    top_k: Annotated[int, Field(ge=1, le=50)] = Field(
        10, description="Suggestions kept per request, best first"
    )


class MatchingRunRead(BaseModel):
    requests: int = Field(description="Open requests matched")
    offers: int = Field(description="Active offers considered")
    created: int = Field(description="New suggestions")
    updated: int = Field(description="Suggestions whose score or explanation changed")
    unchanged: int
    removed: int = Field(description="Earlier suggestions that no longer qualify")
    in_review: int = Field(
        description="Pairs found again that staff already proposed, agreed or saw declined"
    )
    without_suggestion: list[int] = Field(description="Requests with no suitable offer")
    seconds: float


class AssignmentCreate(WriteSchema):
    request_limit: Annotated[int, Field(ge=1, le=10)] = Field(
        1, description="Offers proposed to each request at most"
    )
    # Strict: an action is taken on `true` alone, never on "yes", 1 or "true".
    apply: StrictBool = Field(
        False, description="Propose the chosen matches to the parties (default: preview only)"
    )


class AssignedPairRead(BaseModel):
    match_id: int
    request_id: int
    offer_id: int
    score: float


class AssignmentRead(BaseModel):
    pairs: list[AssignedPairRead]
    total_score: float
    unassigned_requests: list[int] = Field(
        description="Requests with suggestions that got no offer (capacity ran out)"
    )
    applied: bool


class EngagementRead(ReadSchema):
    kind: Literal["offer", "activity"]
    id: int
    provider_id: int
    start: date | None
    end: date | None


class DuplicationRead(BaseModel):
    state: str
    theme: str
    first: EngagementRead
    second: EngagementRead
    overlap_start: date | None
    overlap_end: date | None


class GapRead(ReadSchema):
    theme: str
    region: str
    needs: int
    recommendations: int
    requests: int
    example_ids: list[int]


class ProactiveOfferRead(BaseModel):
    offer_id: int
    offer_title: str
    provider_name: str
    score: float
    components: dict[str, float]
    explanation: str = Field(description="The reasons in the Accept-Language of the request")
    reasons: list[dict[str, Any]] = Field(
        default_factory=list, description="The reasons as codes and parameters"
    )


class ProactiveRecommendationRead(BaseModel):
    recommendation_id: int
    state: str
    text: str
    themes: list[str]
    offers: list[ProactiveOfferRead] = Field(description="Best first")


class ProactivePage(BaseModel):
    items: list[ProactiveRecommendationRead]
    limit: int
    offset: int
    has_more: bool


class ConstraintRead(BaseModel):
    name: Literal[
        "request_open", "active", "coverage", "period", "capacity", "provider", "not_rejected"
    ] = Field(
        description="request_open: a run matches open requests only; active: the offer is "
        "active; coverage: it covers the requesting State; period: the periods overlap; "
        "capacity: it has places left; provider: the provider is not the requesting State; "
        "not_rejected: staff did not reject this pair before"
    )
    passed: bool
    facts: dict[str, Any] = Field(description="What the outcome rests on (codes, dates, counts)")


class ComponentRead(BaseModel):
    name: str = Field(description="A score component (see matching.scoring.WEIGHTS)")
    value: float = Field(description="0 to 1")
    weight: float
    contribution: float = Field(description="value times weight, its part of the total")
    facts: dict[str, Any]


class PairExplanationRead(BaseModel):
    """Why a matching run would or would not suggest this pair now."""

    request_id: int
    offer_id: int
    request_status: str
    offer_status: str
    request_themes_inferred: bool = Field(
        description="The request has no confirmed theme: the themes inferred from its text and "
        "linked recommendations were used"
    )
    constraints: list[ConstraintRead] = Field(description="Hard constraints: all must pass")
    components: list[ComponentRead] = Field(description="Weightiest first")
    total: float = Field(description="The weighted sum of the components")
    threshold: float
    relevant: bool = Field(description="The pair shares a theme, or its texts are similar enough")
    reaches_threshold: bool
    position: int | None = Field(
        description="Place among the request's suggestable offers (1: best); null when the "
        "pair is not suggestable"
    )
    top_k: int = Field(description="Suggestions a run keeps per request")
    would_be_suggested: bool = Field(
        description="Every constraint passes, the total reaches the threshold, the pair is "
        "relevant and within the top_k"
    )
    match_id: int | None = Field(description="The match of this pair, if one exists")
    match_status: str | None
