from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, or_, select, true
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.sql.base import ExecutableOption

from app.auth.models import Role
from app.auth.principal import Principal
from app.offers.models import Offer, OfferStatus
from app.reference.models import (
    AssistanceType,
    Country,
    Language,
    Region,
    Theme,
    region_members,
)

LOAD_ALL: tuple[ExecutableOption, ...] = (
    joinedload(Offer.organization),
    selectinload(Offer.themes),
    selectinload(Offer.assistance_types),
    selectinload(Offer.languages),
    selectinload(Offer.countries),
    selectinload(Offer.regions),
)


def visible_to(principal: Principal) -> ColumnElement[bool]:
    """Active offers are public; drafts, paused and closed ones only to their provider and staff."""
    if principal.is_staff:
        return true()
    if principal.role == Role.provider:
        return or_(
            Offer.status == OfferStatus.active,
            Offer.organization_id == principal.organization_id,
        )
    return Offer.status == OfferStatus.active


@dataclass(frozen=True)
class OfferFilters:
    organization_id: int | None = None
    status: OfferStatus | None = None
    theme: str | None = None
    assistance_type: str | None = None
    language: str | None = None
    country: str | None = None
    region: str | None = None
    covers: str | None = None
    q: str | None = None


def offers_query(principal: Principal, f: OfferFilters) -> Select[Offer]:
    stmt = select(Offer).options(*LOAD_ALL).where(visible_to(principal)).order_by(Offer.id)
    if f.organization_id is not None:
        stmt = stmt.where(Offer.organization_id == f.organization_id)
    if f.status is not None:
        stmt = stmt.where(Offer.status == f.status)
    if f.theme:
        stmt = stmt.where(Offer.themes.any(Theme.code == f.theme))
    if f.assistance_type:
        stmt = stmt.where(Offer.assistance_types.any(AssistanceType.code == f.assistance_type))
    if f.language:
        stmt = stmt.where(Offer.languages.any(Language.code == f.language))
    if f.country:
        stmt = stmt.where(Offer.countries.any(Country.iso3 == f.country.upper()))
    if f.region:
        stmt = stmt.where(Offer.regions.any(Region.code == f.region))
    if f.covers:
        stmt = stmt.where(covering(f.covers.upper()))
    if f.q:
        pattern = f"%{f.q}%"
        stmt = stmt.where(or_(Offer.title.ilike(pattern), Offer.description.ilike(pattern)))
    return stmt


def covering(country: str) -> ColumnElement[bool]:
    """SQL twin of matching.coverage.covers (tests check they agree for every country)."""
    memberships = select(region_members.c.region_code).where(
        region_members.c.country_iso3 == country
    )
    return or_(
        Offer.is_global.is_(True),
        Offer.countries.any(Country.iso3 == country),
        Offer.regions.any(Region.code.in_(memberships)),
    )


def visible_condition(principal: Principal, offer_id: int) -> ColumnElement[bool]:
    """True when the offer exists and the caller may see it: a condition to check inside
    another statement (the one counting the offer's matches), not a statement of its own."""
    return select(Offer.id).where(Offer.id == offer_id, visible_to(principal)).exists()


def get_visible(session: Session, principal: Principal, offer_id: int) -> Offer | None:
    return session.scalar(
        select(Offer).options(*LOAD_ALL).where(Offer.id == offer_id, visible_to(principal))
    )
