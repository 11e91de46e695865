from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, false, func, select, true
from sqlalchemy.orm import Session, selectinload

from app.assistance_requests import repository as requests_repository
from app.assistance_requests.models import AssistanceRequest
from app.auth.models import Role
from app.auth.principal import Principal
from app.matches.models import HOLDING_CAPACITY, SHOWN_TO_PARTIES, Match, MatchStatus
from app.offers.models import Offer


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


def matches_query(principal: Principal, f: MatchFilters) -> Select[Match]:
    stmt = (
        select(Match)
        .where(visible_to(principal))
        .options(
            selectinload(Match.request),
            selectinload(Match.offer).selectinload(Offer.organization),
        )
        .order_by(Match.score.desc(), Match.id)
    )
    if f.request_id is not None:
        stmt = stmt.where(Match.request_id == f.request_id)
    if f.offer_id is not None:
        stmt = stmt.where(Match.offer_id == f.offer_id)
    if f.status is not None:
        stmt = stmt.where(Match.status == f.status)
    return stmt


def places_taken(session: Session, offer_id: int | None = None) -> dict[int, int]:
    """offer id -> matches holding one of its places (for one offer, or all)."""
    stmt = select(Match.offer_id, func.count()).where(Match.status.in_(HOLDING_CAPACITY))
    if offer_id is not None:
        stmt = stmt.where(Match.offer_id == offer_id)
    rows = session.execute(stmt.group_by(Match.offer_id))
    return dict(rows.all())


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
