from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, false, select, true
from sqlalchemy.orm import selectinload

from app.assistance_requests.models import AssistanceRequest
from app.auth.models import Role
from app.auth.principal import Principal
from app.matches.models import Match, MatchStatus
from app.offers.models import Offer

# Suggestions are internal to OHCHR until staff propose them to both parties.
SHOWN_TO_PARTIES = (MatchStatus.proposed, MatchStatus.agreed, MatchStatus.declined)


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
