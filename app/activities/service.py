"""Rules for technical cooperation activities (agreed matches or reported directly)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.activities import notices, repository
from app.activities.models import NEXT_ACTIVITY_STATUSES, Activity, ActivityStatus
from app.activities.schemas import ActivityCreate, ActivityRead, ActivityUpdate
from app.audit import service as audit
from app.auth.ownership import state_written_for
from app.auth.principal import Principal
from app.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.core.periods import check_period
from app.recommendations.models import ImplementationStatus, Recommendation
from app.recommendations.schemas import RecommendationRead
from app.reference import service as reference
from app.reference.models import Theme

ENTITY = "activity"


def get_visible(session: Session, principal: Principal, activity_id: int) -> Activity:
    activity = repository.get_visible(session, principal, activity_id)
    if activity is None:
        raise NotFound(f"no activity with id {activity_id}")
    return activity


# What a provider of the activity may change: how it goes. Which recommendations it serves,
# its themes, its providers and its publication are the beneficiary State's (or OHCHR's).
PROVIDER_FIELDS = frozenset(
    {
        "title",
        "description",
        "period_start",
        "period_end",
        "status",
        "outcome",
        "outputs",
        "links",
        "funding_amount",
        "funding_currency",
    }
)


def is_provider_of(principal: Principal, activity: Activity) -> bool:
    return any(principal.is_provider(org_id) for org_id in activity.provider_ids)


def check_can_edit(principal: Principal, activity: Activity) -> None:
    """The activity is carried by both parties: its beneficiary State and its providers (and
    OHCHR staff)."""
    if (
        principal.is_staff
        or principal.is_state(activity.state_iso3)
        or is_provider_of(principal, activity)
    ):
        return
    raise PermissionDenied(
        "Only the beneficiary State, the activity's providers or OHCHR staff may change it"
    )


def _check_fields(actor: Principal, activity: Activity, changes: dict[str, Any]) -> None:
    if actor.is_staff or actor.is_state(activity.state_iso3):
        return
    refused = sorted(set(changes) - PROVIDER_FIELDS)
    if refused:
        raise PermissionDenied(
            f"a provider may not change {', '.join(refused)}: the beneficiary State or OHCHR "
            "staff do"
        )


def _check_status(activity: Activity, changes: dict[str, Any]) -> None:
    wanted = changes.get("status")
    if wanted is None or wanted == activity.status:
        return
    if wanted not in NEXT_ACTIVITY_STATUSES[activity.status]:
        allowed = ", ".join(sorted(NEXT_ACTIVITY_STATUSES[activity.status]))
        raise Conflict(
            f"a {activity.status.value} activity cannot become {wanted.value}; it can become: "
            f"{allowed}",
            field="status",
        )


def _recommendations(session: Session, state: str, ids: list[int]) -> list[Recommendation]:
    unique = list(dict.fromkeys(ids))
    found = {r.id: r for r in (session.get(Recommendation, i) for i in unique) if r is not None}
    missing = [i for i in unique if i not in found]
    if missing:
        raise InvalidInput(f"no recommendation with id {missing}", field="recommendation_ids")
    wrong = [i for i in unique if found[i].state_iso3 != state]
    if wrong:
        raise InvalidInput(
            f"recommendations {wrong} were not addressed to the beneficiary State {state}",
            field="recommendation_ids",
        )
    return [found[i] for i in unique]


def _check_providers(actor: Principal, activity: Activity, changes: dict[str, Any]) -> None:
    """Who delivers an activity is not the beneficiary State's to say: the providers come from
    the agreed match (both parties accepted) or are set by OHCHR staff, who confirm them with the
    providers. Otherwise a State could put any organization's name on a public activity and on
    that organization's track record in matching."""
    if actor.is_staff or "provider_ids" not in changes:
        return
    wanted = set(changes["provider_ids"] or [])
    if wanted != {p.id for p in activity.providers}:
        raise InvalidInput(
            "a State may not name an activity's providers: they come from the agreed match, "
            "or OHCHR staff set them once the providers confirm",
            field="provider_ids",
        )


def _apply(session: Session, activity: Activity, changes: dict[str, Any]) -> None:
    if "provider_ids" in changes:
        ids = list(dict.fromkeys(changes.pop("provider_ids") or []))
        found = repository.get_organizations(session, ids)
        missing = [i for i in ids if i not in found]
        if missing:
            raise InvalidInput(f"no organization with id {missing}", field="provider_ids")
        activity.providers = [found[i] for i in ids]
    if "recommendation_ids" in changes:
        ids = changes.pop("recommendation_ids") or []
        activity.recommendations = _recommendations(session, activity.state_iso3, ids)
    if "themes" in changes:
        activity.themes = reference.resolve(session, Theme, changes.pop("themes") or [], "themes")
    for key, value in changes.items():
        if value is not None or key in {"period_start", "period_end", "outcome", "outputs"}:
            setattr(activity, key, value)
    check_period(activity)


def create(
    session: Session, actor: Principal, data: ActivityCreate, *, match_id: int | None = None
) -> Activity:
    """An activity reported directly, or (with `match_id`) the one an agreed match creates: only
    the agreement links an activity to a match, so no client can bind one to a match."""
    state = state_written_for(
        session, actor, data.state, doing="reports activities", role_of_state="beneficiary"
    )
    activity = Activity(
        state_iso3=state, match_id=match_id, created_by_id=actor.user_id, description=""
    )
    changes = data.model_dump(exclude_unset=True, exclude={"state"})
    if match_id is None:
        _check_providers(actor, activity, changes)
    _apply(session, activity, changes)
    audit.created(session, actor, ENTITY, activity, ActivityRead)
    return activity


def update(
    session: Session, actor: Principal, activity: Activity, data: ActivityUpdate
) -> Activity:
    before = notices.plan_of(activity)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    _check_fields(actor, activity, changes)
    _check_status(activity, changes)
    _check_providers(actor, activity, changes)
    with audit.changing(session, actor, ENTITY, activity, ActivityRead):
        _apply(session, activity, changes)
    notices.changed(session, actor, activity, before)
    return activity


def cancel(session: Session, actor: Principal, activity: Activity) -> Activity:
    """The activity will not take place (its match was rejected before it started)."""
    with audit.changing(session, actor, ENTITY, activity, ActivityRead, action="cancel"):
        activity.status = ActivityStatus.cancelled
    return activity


def delete(session: Session, actor: Principal, activity: Activity) -> None:
    audit.deleted(session, actor, ENTITY, activity, ActivityRead)


def report_implementation(
    session: Session,
    actor: Principal,
    activity: Activity,
    recommendation_id: int,
    status: ImplementationStatus,
) -> Recommendation:
    """The beneficiary State (or staff) says how far a recommendation the activity advanced is
    implemented; audited on the recommendation."""
    if not (actor.is_staff or actor.is_state(activity.state_iso3)):
        raise PermissionDenied("Only the beneficiary State or OHCHR staff report implementation")
    rec = next((r for r in activity.recommendations if r.id == recommendation_id), None)
    if rec is None:
        raise InvalidInput(
            f"recommendation {recommendation_id} is not one this activity advances",
            field="recommendation_ids",
        )
    if rec.implementation_status != status:
        with audit.changing(session, actor, "recommendation", rec, RecommendationRead):
            rec.implementation_status = status
    return rec
