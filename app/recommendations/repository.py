from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.base import ExecutableOption

from app.db import text_search
from app.recommendations.models import (
    Country,
    GroupOfPersons,
    ImplementationStatus,
    Position,
    Recommendation,
    RecommendationSource,
    SdgGoal,
    Theme,
)

LOAD_ALL: tuple[ExecutableOption, ...] = (
    selectinload(Recommendation.recommending_states),
    selectinload(Recommendation.themes),
    selectinload(Recommendation.groups),
    selectinload(Recommendation.theme_links),
    selectinload(Recommendation.group_links),
    selectinload(Recommendation.sdgs),
)
# What the API's `RecommendationRead` reads (the themes and groups from their links).
LOAD_READ: tuple[ExecutableOption, ...] = (
    selectinload(Recommendation.recommending_states),
    selectinload(Recommendation.theme_links),
    selectinload(Recommendation.group_links),
    selectinload(Recommendation.sdgs),
)
# What a list of recommendations on the pages shows: the States and the themes.
LOAD_LISTED: tuple[ExecutableOption, ...] = (
    selectinload(Recommendation.recommending_states),
    selectinload(Recommendation.themes),
)


@dataclass(frozen=True)
class RecommendationFilters:
    state: str | None = None
    cycle: int | None = None
    session: int | None = None
    position: Position | None = None
    theme: str | None = None
    group: str | None = None
    sdg: str | None = None
    recommending_state: str | None = None
    implementation_status: ImplementationStatus | None = None
    source: RecommendationSource | None = None
    q: str | None = None
    # True: staff confirmed or corrected the themes and groups; False: not yet (the curation)
    reviewed: bool | None = None


def recommendations_query(f: RecommendationFilters) -> Select[Recommendation]:
    stmt = select(Recommendation).options(*LOAD_ALL).order_by(Recommendation.id)
    equal = {
        Recommendation.state_iso3: f.state.upper() if f.state else None,
        Recommendation.cycle: f.cycle,
        Recommendation.session: f.session,
        Recommendation.position: f.position,
        Recommendation.implementation_status: f.implementation_status,
        Recommendation.source: f.source,
    }
    for column, value in equal.items():
        if value is not None:
            stmt = stmt.where(column == value)
    if f.theme:
        stmt = stmt.where(Recommendation.themes.any(Theme.code == f.theme))
    if f.group:
        stmt = stmt.where(Recommendation.groups.any(GroupOfPersons.code == f.group))
    if f.sdg:
        stmt = stmt.where(Recommendation.sdgs.any(SdgGoal.code == f.sdg))
    if f.recommending_state:
        iso3 = f.recommending_state.upper()
        stmt = stmt.where(Recommendation.recommending_states.any(Country.iso3 == iso3))
    if f.reviewed is not None:
        reviewed = Recommendation.tags_reviewed_at
        stmt = stmt.where(reviewed.is_not(None) if f.reviewed else reviewed.is_(None))
    if f.q:
        stmt = stmt.where(text_search.contains(Recommendation.text, f.q))
    return stmt


def get(session: Session, recommendation_id: int) -> Recommendation | None:
    return session.scalar(
        select(Recommendation).options(*LOAD_ALL).where(Recommendation.id == recommendation_id)
    )


def reviewed_examples(session: Session) -> list[tuple[str, str, list[str], list[str]]]:
    """(text, language, themes, groups) of every recommendation whose themes and groups staff
    confirmed or corrected: what `uprtc tagger train` learns from besides the shipped data."""
    stmt = (
        select(Recommendation)
        .options(selectinload(Recommendation.theme_links), selectinload(Recommendation.group_links))
        .where(Recommendation.tags_reviewed_at.is_not(None))
        .order_by(Recommendation.id)
    )
    return [
        (rec.text, rec.language, rec.theme_codes, rec.group_codes) for rec in session.scalars(stmt)
    ]
