from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, false, or_, select, true
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.base import ExecutableOption

from app.assistance_requests.models import AssistanceRequest, RequestStatus
from app.auth.models import Role
from app.auth.principal import Principal
from app.recommendations.models import Recommendation
from app.reference.models import AssistanceType, Language, Theme

LOAD_ALL: tuple[ExecutableOption, ...] = (
    selectinload(AssistanceRequest.recommendations),
    selectinload(AssistanceRequest.themes),
    selectinload(AssistanceRequest.theme_origins),
    selectinload(AssistanceRequest.assistance_types),
    selectinload(AssistanceRequest.languages),
)


def published() -> ColumnElement[bool]:
    return and_(
        AssistanceRequest.consent_to_publish.is_(True),
        AssistanceRequest.status != RequestStatus.draft,
    )


ProviderAccess = Callable[[Principal], ColumnElement[bool]]
# What else a provider may see is decided by the workflow above this domain: the requests that
# staff proposed to it (app/matches registers that rule when it is imported, as the app and the
# command line do), so that this domain never imports the workflow that pairs it with offers.
_provider_access: list[ProviderAccess] = []


def grant_provider_access(rule: ProviderAccess) -> None:
    """Let providers also see the requests that `rule(principal)` selects."""
    _provider_access.append(rule)


def visible_to(principal: Principal) -> ColumnElement[bool]:
    """Who sees which request: the one rule that lists, search and reads all share."""
    if principal.is_staff:
        return true()
    if principal.role == Role.state:
        return or_(AssistanceRequest.state_iso3 == principal.state_iso3, published())
    if principal.role == Role.provider:
        return or_(published(), *(rule(principal) for rule in _provider_access), false())
    return published()


@dataclass(frozen=True)
class RequestFilters:
    state: str | None = None
    status: RequestStatus | None = None
    theme: str | None = None
    assistance_type: str | None = None
    language: str | None = None
    recommendation_id: int | None = None
    q: str | None = None


def requests_query(principal: Principal, f: RequestFilters) -> Select[AssistanceRequest]:
    stmt = (
        select(AssistanceRequest)
        .options(*LOAD_ALL)
        .where(visible_to(principal))
        .order_by(AssistanceRequest.id)
    )
    if f.state:
        stmt = stmt.where(AssistanceRequest.state_iso3 == f.state.upper())
    if f.status is not None:
        stmt = stmt.where(AssistanceRequest.status == f.status)
    if f.theme:
        stmt = stmt.where(AssistanceRequest.themes.any(Theme.code == f.theme))
    if f.assistance_type:
        stmt = stmt.where(
            AssistanceRequest.assistance_types.any(AssistanceType.code == f.assistance_type)
        )
    if f.language:
        stmt = stmt.where(AssistanceRequest.languages.any(Language.code == f.language))
    if f.recommendation_id is not None:
        stmt = stmt.where(
            AssistanceRequest.recommendations.any(Recommendation.id == f.recommendation_id)
        )
    if f.q:
        pattern = f"%{f.q}%"
        stmt = stmt.where(
            or_(
                AssistanceRequest.title.ilike(pattern),
                AssistanceRequest.description.ilike(pattern),
            )
        )
    return stmt


def get_visible(
    session: Session, principal: Principal, request_id: int
) -> AssistanceRequest | None:
    return session.scalar(
        select(AssistanceRequest)
        .options(*LOAD_ALL)
        .where(AssistanceRequest.id == request_id, visible_to(principal))
    )


def visible_condition(principal: Principal, request_id: int) -> ColumnElement[bool]:
    """True when the request exists and the caller may see it: a condition to check inside
    another statement (the one counting the request's matches), not a statement of its own."""
    return (
        select(AssistanceRequest.id)
        .where(AssistanceRequest.id == request_id, visible_to(principal))
        .exists()
    )


def get_recommendations(session: Session, ids: list[int]) -> dict[int, Recommendation]:
    if not ids:
        return {}
    stmt = (
        select(Recommendation)
        .options(selectinload(Recommendation.themes), selectinload(Recommendation.theme_links))
        .where(Recommendation.id.in_(ids))
    )
    return {r.id: r for r in session.scalars(stmt)}
