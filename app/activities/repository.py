from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, or_, select, true
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.base import ExecutableOption

from app.activities.models import Activity, ActivityStatus
from app.auth.models import Role
from app.auth.principal import Principal
from app.organizations.models import Organization
from app.recommendations.models import Recommendation
from app.reference.models import Theme

LOAD_ALL: tuple[ExecutableOption, ...] = (
    selectinload(Activity.providers),
    selectinload(Activity.recommendations),
    selectinload(Activity.themes),
)


def visible_to(principal: Principal) -> ColumnElement[bool]:
    published = Activity.consent_to_publish.is_(True)
    if principal.is_staff:
        return true()
    if principal.role == Role.state:
        return or_(published, Activity.state_iso3 == principal.state_iso3)
    if principal.role == Role.provider:
        return or_(published, Activity.providers.any(Organization.id == principal.organization_id))
    return published


@dataclass(frozen=True)
class ActivityFilters:
    state: str | None = None
    status: ActivityStatus | None = None
    theme: str | None = None
    provider_id: int | None = None
    recommendation_id: int | None = None
    q: str | None = None


def activities_query(principal: Principal, f: ActivityFilters) -> Select[Activity]:
    stmt = select(Activity).options(*LOAD_ALL).where(visible_to(principal)).order_by(Activity.id)
    if f.state:
        stmt = stmt.where(Activity.state_iso3 == f.state.upper())
    if f.status is not None:
        stmt = stmt.where(Activity.status == f.status)
    if f.theme:
        stmt = stmt.where(Activity.themes.any(Theme.code == f.theme))
    if f.provider_id is not None:
        stmt = stmt.where(Activity.providers.any(Organization.id == f.provider_id))
    if f.recommendation_id is not None:
        stmt = stmt.where(Activity.recommendations.any(Recommendation.id == f.recommendation_id))
    if f.q:
        pattern = f"%{f.q}%"
        stmt = stmt.where(or_(Activity.title.ilike(pattern), Activity.description.ilike(pattern)))
    return stmt


def get_visible(session: Session, principal: Principal, activity_id: int) -> Activity | None:
    return session.scalar(
        select(Activity).options(*LOAD_ALL).where(Activity.id == activity_id, visible_to(principal))
    )


def get_organizations(session: Session, ids: list[int]) -> dict[int, Organization]:
    if not ids:
        return {}
    return {o.id: o for o in session.scalars(select(Organization).where(Organization.id.in_(ids)))}


def of_match(session: Session, match_id: int) -> Activity | None:
    """The activity that the agreement of this match created, if any."""
    return session.scalar(select(Activity).where(Activity.match_id == match_id))
