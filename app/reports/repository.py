"""Queries for the annual report. Recommendations can be many (a full UHRI import): they are
counted in SQL. Requests, offers, matches and activities are few enough to load and count in
Python, where the year rule is applied once (`app.reports.scope`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Subquery, case, exists, func, select
from sqlalchemy.orm import Session, selectinload

from app.activities.models import Activity, ActivityStatus, activity_recommendations
from app.assistance_requests.models import AssistanceRequest, RequestStatus, request_recommendations
from app.audit.models import AuditEntry
from app.matches import service as matches_service
from app.matches.models import Match
from app.offers.models import Offer
from app.organizations.models import Organization
from app.recommendations.models import Position, Recommendation
from app.reference.models import (
    LANGUAGE_COLUMNS,
    Country,
    Region,
    RegionKind,
    Theme,
    region_members,
)

# Requests and activities that count as covering a recommendation.
COVERING_REQUEST_EXCLUDED = (RequestStatus.draft, RequestStatus.withdrawn)
COVERING_ACTIVITY_EXCLUDED = (ActivityStatus.cancelled,)


def _m49_region_of_state() -> Subquery:
    return (
        select(region_members.c.country_iso3.label("iso3"), Region.label_en.label("region"))
        .join(Region, Region.code == region_members.c.region_code)
        .where(Region.kind == RegionKind.m49_region)
        .subquery()
    )


def region_of_states(session: Session) -> dict[str, str]:
    """ISO3 -> English name of its M49 region (Africa, Americas, Asia, Europe, Oceania)."""
    m49 = _m49_region_of_state()
    return dict(session.execute(select(m49.c.iso3, m49.c.region)).all())


def region_members_of(session: Session) -> dict[str, frozenset[str]]:
    """Region code (any kind: M49, HRC group, UN group) -> ISO3 codes of its members."""
    members: defaultdict[str, set[str]] = defaultdict(set)
    for code, iso3 in session.execute(
        select(region_members.c.region_code, region_members.c.country_iso3)
    ):
        members[code].add(iso3)
    return {code: frozenset(found) for code, found in members.items()}


def _label(model: type[Theme] | type[Country] | type[Region], lang: str) -> ColumnElement[str]:
    """The label column in `lang`, English where it is missing."""
    column = getattr(model, f"label_{lang}", None) if lang in LANGUAGE_COLUMNS else None
    if column is None or lang == "en":
        return model.label_en.expression
    return func.coalesce(func.nullif(column, ""), model.label_en)


def theme_labels(session: Session, lang: str = "en") -> dict[str, str]:
    return dict(session.execute(select(Theme.code, _label(Theme, lang))).all())


def country_names(session: Session, lang: str = "en") -> dict[str, str]:
    return dict(session.execute(select(Country.iso3, _label(Country, lang))).all())


def translated_names(session: Session, lang: str) -> dict[str, str]:
    """English label -> label in `lang`, of the regions and groups, themes and countries: what
    the report's rows name (its tables are counted under the English names)."""
    found: dict[str, str] = {}
    for model in (Region, Theme, Country):
        found.update(session.execute(select(model.label_en, _label(model, lang))).all())
    return found


def organization_names(session: Session) -> dict[int, str]:
    return dict(session.execute(select(Organization.id, Organization.name)).all())


@dataclass(frozen=True)
class StockRow:
    region: str | None
    cycle: int
    position: Position
    count: int


def recommendation_stock(session: Session, until: datetime) -> list[StockRow]:
    """Recommendations in the repository before `until`, by M49 region, cycle and position."""
    m49 = _m49_region_of_state()
    rows = session.execute(
        select(m49.c.region, Recommendation.cycle, Recommendation.position, func.count())
        .select_from(Recommendation)
        .outerjoin(m49, m49.c.iso3 == Recommendation.state_iso3)
        .where(Recommendation.created_at < until)
        .group_by(m49.c.region, Recommendation.cycle, Recommendation.position)
    )
    return [
        StockRow(region, cycle, Position(position), count)
        for region, cycle, position, count in rows
    ]


@dataclass(frozen=True)
class CoverageRow:
    region: str | None
    supported: int
    by_request: int
    by_activity: int
    either: int


def supported_coverage(session: Session, until: datetime) -> list[CoverageRow]:
    """Supported recommendations in the repository before `until`, by M49 region, and how many
    of them a request (past draft, not withdrawn) or an activity (not cancelled) created before
    `until` names."""
    m49 = _m49_region_of_state()
    by_request = exists(
        select(request_recommendations.c.recommendation_id)
        .join(AssistanceRequest, AssistanceRequest.id == request_recommendations.c.request_id)
        .where(
            request_recommendations.c.recommendation_id == Recommendation.id,
            AssistanceRequest.status.not_in(COVERING_REQUEST_EXCLUDED),
            AssistanceRequest.created_at < until,
        )
    )
    by_activity = exists(
        select(activity_recommendations.c.recommendation_id)
        .join(Activity, Activity.id == activity_recommendations.c.activity_id)
        .where(
            activity_recommendations.c.recommendation_id == Recommendation.id,
            Activity.status.not_in(COVERING_ACTIVITY_EXCLUDED),
            Activity.created_at < until,
        )
    )

    def count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    rows = session.execute(
        select(
            m49.c.region,
            func.count(),
            count_if(by_request),
            count_if(by_activity),
            count_if(by_request | by_activity),
        )
        .select_from(Recommendation)
        .outerjoin(m49, m49.c.iso3 == Recommendation.state_iso3)
        .where(Recommendation.position == Position.supported, Recommendation.created_at < until)
        .group_by(m49.c.region)
    )
    return [CoverageRow(*row) for row in rows]


def requests_until(session: Session, until: datetime) -> Sequence[AssistanceRequest]:
    return session.scalars(
        select(AssistanceRequest)
        .where(AssistanceRequest.created_at < until)
        .options(selectinload(AssistanceRequest.themes))
        .order_by(AssistanceRequest.id)
    ).all()


def offers_until(session: Session, until: datetime) -> Sequence[Offer]:
    return session.scalars(
        select(Offer)
        .where(Offer.created_at < until)
        .options(
            selectinload(Offer.organization),
            selectinload(Offer.themes),
            selectinload(Offer.countries),
            selectinload(Offer.regions),
        )
        .order_by(Offer.id)
    ).all()


def matches_until(session: Session, until: datetime) -> Sequence[Match]:
    return session.scalars(
        select(Match)
        .where(Match.created_at < until)
        .options(
            selectinload(Match.request).selectinload(AssistanceRequest.themes),
            selectinload(Match.offer).selectinload(Offer.organization),
        )
        .order_by(Match.id)
    ).all()


def activities_until(session: Session, until: datetime) -> Sequence[Activity]:
    return session.scalars(
        select(Activity)
        .where(Activity.created_at < until)
        .options(selectinload(Activity.providers), selectinload(Activity.themes))
        .order_by(Activity.id)
    ).all()


def agreement_times(session: Session) -> dict[int, datetime]:
    """Match id -> when it was agreed (both parties accepted), from the audit log: a match's own
    `decided_at` moves again with any later review step, the audit entry does not."""
    rows = session.execute(
        select(AuditEntry.entity_id, func.min(AuditEntry.at))
        .where(AuditEntry.entity_type == matches_service.ENTITY, AuditEntry.action == "agree")
        .group_by(AuditEntry.entity_id)
    )
    return {int(entity_id): at for entity_id, at in rows if entity_id.isdigit()}


def activity_consent(session: Session) -> dict[int, bool]:
    return dict(session.execute(select(Activity.id, Activity.consent_to_publish)).all())
