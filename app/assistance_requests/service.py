"""Rules for States' assistance requests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from app.assistance_requests import repository
from app.assistance_requests import themes as inferred_themes
from app.assistance_requests.models import (
    STATE_SETTABLE_STATUSES,
    AssistanceRequest,
    RequestStatus,
)
from app.assistance_requests.schemas import RequestCreate, RequestRead, RequestUpdate
from app.audit import service as audit
from app.auth.models import Role
from app.auth.ownership import state_written_for
from app.auth.principal import Principal
from app.core.errors import InvalidInput, NotFound, PermissionDenied
from app.core.periods import check_period
from app.core.referrers import refuse_if_referenced
from app.recommendations.models import Position, Recommendation
from app.reference import service as reference
from app.reference.models import AssistanceType, Language, Theme

ENTITY = "assistance_request"


# What withdrawing a request ends in the matching workflow above this domain (app/matches
# registers it when it is imported, as the app and the command line do): its proposals.
RequestWithdrawn = Callable[[Session, Principal, AssistanceRequest], None]
_on_withdrawn: list[RequestWithdrawn] = []


def when_withdrawn(hook: RequestWithdrawn) -> None:
    """`hook(session, actor, request)` runs in the transaction that withdraws the request."""
    _on_withdrawn.append(hook)


def get_visible(session: Session, principal: Principal, request_id: int) -> AssistanceRequest:
    request = repository.get_visible(session, principal, request_id)
    if request is None:
        raise NotFound(f"no assistance request with id {request_id}")
    return request


def check_can_edit(principal: Principal, request: AssistanceRequest) -> None:
    if principal.is_staff or principal.is_state(request.state_iso3):
        return
    raise PermissionDenied("Only the requesting State or OHCHR staff may change this request")


def linkable_recommendations(
    session: Session, state_iso3: str, ids: list[int]
) -> list[Recommendation]:
    """A request may link only supported recommendations addressed to the requesting State."""
    unique = list(dict.fromkeys(ids))
    found = repository.get_recommendations(session, unique)
    missing = [i for i in unique if i not in found]
    if missing:
        raise InvalidInput(f"no recommendation with id {missing}", field="recommendation_ids")
    for rec in found.values():
        if rec.state_iso3 != state_iso3:
            raise InvalidInput(
                f"recommendation {rec.id} was addressed to {rec.state_iso3}, not to the "
                f"requesting State {state_iso3}",
                field="recommendation_ids",
            )
        if rec.position != Position.supported:
            raise InvalidInput(
                f"recommendation {rec.id} was {rec.position.value}, not supported: only "
                "supported recommendations are eligible for assistance requests",
                field="recommendation_ids",
            )
    return [found[i] for i in unique]


def recommended_themes(recommendations: list[Recommendation]) -> list[str]:
    """The themes a request takes from its recommendations when it names none: their confirmed
    themes (staff's, imported, or the tagger's once confirmed); the tagger's unconfirmed guesses
    stay inferred (`theme_sources`)."""
    return sorted(
        {
            link.theme_code
            for r in recommendations
            for link in r.theme_links
            if inferred_themes.trusted(link)
        }
    )


def _apply(session: Session, request: AssistanceRequest, changes: dict[str, Any]) -> None:
    reinfer = request.id is None or bool(inferred_themes.INPUTS & changes.keys())
    if "recommendation_ids" in changes:
        ids = changes.pop("recommendation_ids") or []
        request.recommendations = linkable_recommendations(session, request.state_iso3, ids)
        if changes.get("themes") is None and not request.themes:
            trusted = recommended_themes(request.recommendations)
            request.themes = reference.resolve(session, Theme, trusted, "themes")
    for field, model in (
        ("themes", Theme),
        ("assistance_types", AssistanceType),
        ("languages", Language),
    ):
        if field in changes:
            codes = changes.pop(field) or []
            setattr(request, field, reference.resolve(session, model, codes, field))
    for key, value in changes.items():
        if value is not None or key.startswith("period_"):
            setattr(request, key, value)
    check_period(request)
    if reinfer:
        inferred_themes.refresh(session, request)


def create(session: Session, actor: Principal, data: RequestCreate) -> AssistanceRequest:
    state = state_written_for(
        session, actor, data.state, doing="files requests", role_of_state="requesting"
    )
    # Empty collections from the start: a new request has none, and reading them for the
    # audit's snapshot would otherwise ask the database (one query each).
    request = AssistanceRequest(
        state_iso3=state,
        created_by_id=actor.user_id,
        description="",
        recommendations=[],
        themes=[],
        assistance_types=[],
        languages=[],
        theme_origins=[],
    )
    _apply(session, request, data.model_dump(exclude_unset=True, exclude={"state"}))
    request.status = data.status
    audit.created(session, actor, ENTITY, request, RequestRead)
    return request


def update(
    session: Session, actor: Principal, request: AssistanceRequest, data: RequestUpdate
) -> AssistanceRequest:
    if (
        data.status is not None
        and actor.role == Role.state
        and data.status not in STATE_SETTABLE_STATUSES
        and data.status != request.status
    ):
        allowed = ", ".join(sorted(s.value for s in STATE_SETTABLE_STATUSES))
        raise PermissionDenied(
            f"A State may set the status to {allowed}; '{data.status.value}' follows from the "
            "matching workflow"
        )
    withdrawing = (
        data.status == RequestStatus.withdrawn and request.status != RequestStatus.withdrawn
    )
    with audit.changing(session, actor, ENTITY, request, RequestRead):
        _apply(session, request, data.model_dump(exclude_unset=True, exclude={"version"}))
    if withdrawing:
        for hook in _on_withdrawn:
            hook(session, actor, request)
    return request


def mark_matched(session: Session, actor: Principal, request: AssistanceRequest) -> None:
    """An open request one of whose matches both parties agreed to is matched."""
    if request.status != RequestStatus.open:
        return
    with audit.changing(session, actor, ENTITY, request, RequestRead):
        request.status = RequestStatus.matched


def delete(session: Session, actor: Principal, request: AssistanceRequest) -> None:
    if not actor.is_staff and request.status != RequestStatus.draft:
        raise PermissionDenied(
            "Only drafts can be deleted by the State; withdraw the request instead"
        )
    refuse_if_referenced(
        session, request, f"assistance request {request.id}", "withdraw it instead"
    )
    audit.deleted(session, actor, ENTITY, request, RequestRead)
