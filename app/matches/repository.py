from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, Select, and_, false, func, select, true
from sqlalchemy.orm import Session, selectinload

from app.assistance_requests import repository as requests_repository
from app.assistance_requests.models import AssistanceRequest, request_themes
from app.auth.models import Role
from app.auth.principal import Principal
from app.matches.models import HOLDING_CAPACITY, SHOWN_TO_PARTIES, Match, MatchStatus
from app.offers.models import Offer, offer_themes
from app.organizations.models import Organization


def visible_to(principal: Principal) -> ColumnElement[bool]:
    if principal.is_staff:
        return true()
    shown = Match.status.in_(SHOWN_TO_PARTIES)
    if principal.role == Role.state:
        own = select(AssistanceRequest.id).where(
            AssistanceRequest.state_iso3 == principal.state_iso3
        )
        return and_(shown, Match.request_id.in_(own))
    if principal.role == Role.provider:
        own = select(Offer.id).where(Offer.organization_id == principal.organization_id)
        return and_(shown, Match.offer_id.in_(own))
    return false()


@dataclass(frozen=True)
class MatchFilters:
    request_id: int | None = None
    offer_id: int | None = None
    status: MatchStatus | None = None
    state: str | None = None  # the requesting State (ISO3)
    theme: str | None = None  # a theme of the request or of the offer
    provider_id: int | None = None  # the offer's organization
    min_score: float | None = None
    max_score: float | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None
    sort: str = "score"  # a key of MATCH_SORTS


def _requesting_state() -> ScalarSelect[str]:
    return (
        select(AssistanceRequest.state_iso3)
        .where(AssistanceRequest.id == Match.request_id)
        .scalar_subquery()
    )


def _provider_name() -> ScalarSelect[str]:
    return (
        select(Organization.name)
        .join(Offer, Offer.organization_id == Organization.id)
        .where(Offer.id == Match.offer_id)
        .scalar_subquery()
    )


# Orders of a list of matches; ties go to the lower id.
MATCH_SORTS: dict[str, Callable[[], tuple[ColumnElement[Any], ...]]] = {
    "score": lambda: (Match.score.desc(),),
    "score_asc": lambda: (Match.score.asc(),),
    "newest": lambda: (Match.created_at.desc(),),
    "oldest": lambda: (Match.created_at.asc(),),
    "state": lambda: (_requesting_state().asc(), Match.score.desc()),
    "provider": lambda: (_provider_name().asc(), Match.score.desc()),
}


def matches_query(principal: Principal, f: MatchFilters) -> Select[Match]:
    order = MATCH_SORTS.get(f.sort, MATCH_SORTS["score"])()
    stmt = (
        select(Match)
        .where(visible_to(principal))
        .options(
            selectinload(Match.request),
            selectinload(Match.offer).selectinload(Offer.organization),
        )
        .order_by(*order, Match.id)
    )
    if f.request_id is not None:
        stmt = stmt.where(Match.request_id == f.request_id)
    if f.offer_id is not None:
        stmt = stmt.where(Match.offer_id == f.offer_id)
    if f.status is not None:
        stmt = stmt.where(Match.status == f.status)
    return _narrowed(stmt, f)


def _narrowed(stmt: Select[Match], f: MatchFilters) -> Select[Match]:
    """The filters staff use to work through a long review queue."""
    if f.state is not None:
        stmt = stmt.where(_requesting_state() == f.state)
    if f.theme is not None:
        on_request = select(request_themes.c.request_id).where(
            request_themes.c.theme_code == f.theme
        )
        on_offer = select(offer_themes.c.offer_id).where(offer_themes.c.theme_code == f.theme)
        stmt = stmt.where(Match.request_id.in_(on_request) | Match.offer_id.in_(on_offer))
    if f.provider_id is not None:
        stmt = stmt.where(
            Match.offer_id.in_(select(Offer.id).where(Offer.organization_id == f.provider_id))
        )
    if f.min_score is not None:
        stmt = stmt.where(Match.score >= f.min_score)
    if f.max_score is not None:
        stmt = stmt.where(Match.score <= f.max_score)
    if f.created_after is not None:
        stmt = stmt.where(Match.created_at >= f.created_after)
    if f.created_before is not None:
        stmt = stmt.where(Match.created_at < f.created_before)
    return stmt


def places_taken(session: Session, offer_id: int | None = None) -> dict[int, int]:
    """offer id -> matches holding one of its places (for one offer, or all)."""
    stmt = select(Match.offer_id, func.count()).where(Match.status.in_(HOLDING_CAPACITY))
    if offer_id is not None:
        stmt = stmt.where(Match.offer_id == offer_id)
    rows = session.execute(stmt.group_by(Match.offer_id))
    return dict(rows.all())


def places_agreed(session: Session, offer_id: int) -> int:
    """The offer's places taken for good: its agreed matches."""
    stmt = select(func.count()).where(
        Match.offer_id == offer_id, Match.status == MatchStatus.agreed
    )
    return session.scalar(stmt) or 0


def open_proposals(
    session: Session, *, request_id: int | None = None, offer_id: int | None = None
) -> list[Match]:
    """The proposed matches of a request or an offer, locked (PostgreSQL) and read afresh."""
    stmt = select(Match).where(Match.status == MatchStatus.proposed).order_by(Match.id)
    if request_id is not None:
        stmt = stmt.where(Match.request_id == request_id)
    if offer_id is not None:
        stmt = stmt.where(Match.offer_id == offer_id)
    stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return list(session.scalars(stmt))


def requests_proposed_to(principal: Principal) -> ColumnElement[bool]:
    """The requests of the matches shown to this provider: it answers them, so it reads them."""
    shown = (
        select(Match.request_id)
        .join(Offer, Offer.id == Match.offer_id)
        .where(
            Offer.organization_id == principal.organization_id,
            Match.status.in_(SHOWN_TO_PARTIES),
        )
    )
    return AssistanceRequest.id.in_(shown)


requests_repository.grant_provider_access(requests_proposed_to)
