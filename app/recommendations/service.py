from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.audit import service as audit
from app.auth.principal import Principal
from app.core.errors import NotFound
from app.core.referrers import refuse_if_referenced
from app.recommendations import repository
from app.recommendations.models import Recommendation, cycle_for_session
from app.recommendations.schemas import (
    RecommendationCreate,
    RecommendationRead,
    RecommendationUpdate,
)
from app.reference import service as reference
from app.reference.models import Country, GroupOfPersons, Language, SdgGoal, Theme

ENTITY = "recommendation"


def get(session: Session, recommendation_id: int) -> Recommendation:
    recommendation = repository.get(session, recommendation_id)
    if recommendation is None:
        raise NotFound(f"no recommendation with id {recommendation_id}")
    return recommendation


def _apply(session: Session, rec: Recommendation, changes: dict[str, Any]) -> None:
    """Set plain fields and resolve every code list; unknown codes raise a 422."""
    if "state" in changes:
        rec.state_iso3 = reference.resolve_one(session, Country, changes.pop("state"), "state").iso3
    if "language" in changes:
        code = changes.pop("language") or "en"
        rec.language = reference.resolve_one(session, Language, code, "language").code
    links = {
        "recommending_states": Country,
        "themes": Theme,
        "groups": GroupOfPersons,
        "sdgs": SdgGoal,
    }
    for field, model in links.items():
        if field in changes:
            setattr(rec, field, reference.resolve(session, model, changes.pop(field) or [], field))
    for key, value in changes.items():
        if value is not None:
            setattr(rec, key, value)
    if rec.session is not None and changes.get("cycle") is None:
        rec.cycle = cycle_for_session(rec.session)


def create(session: Session, actor: Principal, data: RecommendationCreate) -> Recommendation:
    rec = Recommendation(language="en")
    _apply(session, rec, data.model_dump(exclude_unset=True))
    rec.source = data.source
    audit.created(session, actor, ENTITY, rec, RecommendationRead)
    return rec


def update(
    session: Session, actor: Principal, rec: Recommendation, data: RecommendationUpdate
) -> Recommendation:
    with audit.changing(session, actor, ENTITY, rec, RecommendationRead):
        _apply(session, rec, data.model_dump(exclude_unset=True, exclude={"version"}))
    return rec


def delete(session: Session, actor: Principal, rec: Recommendation) -> None:
    refuse_if_referenced(session, rec, f"recommendation {rec.id}", "unlink it first")
    audit.deleted(session, actor, ENTITY, rec, RecommendationRead)
