"""An activity after agreement, carried by both parties on one page: its plan (title and
description), dates, status (planned -> under way -> completed, or cancelled), what it produced,
its short result and documents or links, which the beneficiary State and the providers keep up to
date; and how far each recommendation it advances is implemented, which the State reports. Every
change goes through the API's service (the same rules and audit) and shows in the history."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from app.activities import service as activities_service
from app.activities.models import NEXT_ACTIVITY_STATUSES, Activity, ActivityStatus
from app.activities.schemas import ActivityUpdate
from app.auth.models import Role
from app.auth.principal import Principal
from app.core.concurrency import check_version
from app.core.errors import DomainError
from app.db.session import SessionDep
from app.recommendations.models import ImplementationStatus
from app.web import forms, history, party_pages
from app.web.forms import FieldErrors, PostedForm
from app.web.security import verify_csrf
from app.web.sessions import require_page_roles
from app.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])
SignedInPagePrincipal = Annotated[Principal, Depends(require_page_roles(*Role))]
FIELDS = ("title", "description", "status", "period_start", "period_end", "outputs", "outcome")


def _editable(session: Session, principal: Principal, activity_id: int) -> Activity:
    activity = activities_service.get_visible(session, principal, activity_id)
    activities_service.check_can_edit(principal, activity)
    return activity


def _values_of(activity: Activity) -> dict[str, Any]:
    return {
        "title": activity.title,
        "description": activity.description,
        "status": activity.status.value,
        "period_start": activity.period_start.isoformat() if activity.period_start else "",
        "period_end": activity.period_end.isoformat() if activity.period_end else "",
        "outputs": activity.outputs or "",
        "outcome": activity.outcome or "",
        "links": "\n".join(activity.links or []),
        "version": activity.version,
    }


def _posted_values(form: Any) -> dict[str, Any]:
    return {
        "title": forms.text(form, "title", 300),
        "description": forms.text(form, "description"),
        "status": forms.text(form, "status", 20),
        "period_start": forms.text(form, "period_start", 20),
        "period_end": forms.text(form, "period_end", 20),
        "outputs": forms.text(form, "outputs"),
        "outcome": forms.text(form, "outcome"),
        "links": forms.text(form, "links"),
        "version": forms.version(form),
    }


def _form_page(
    request: Request,
    session: Session,
    principal: Principal,
    activity: Activity,
    values: dict[str, Any],
    *,
    errors: FieldErrors | None = None,
    conflict: bool = False,
    status_code: int = 200,
) -> Response:
    errors = errors or FieldErrors()
    context = {
        "item": activity,
        "values": values,
        "errors": errors,
        "other_errors": forms.error_summary(errors, (*FIELDS, "links")),
        "conflict": conflict,
        "statuses": [activity.status, *sorted(NEXT_ACTIVITY_STATUSES[activity.status])],
        "reports_implementation": principal.is_staff or principal.is_state(activity.state_iso3),
        "implementation_statuses": list(ImplementationStatus),
        "versions": history.versions(session, activities_service.ENTITY, activity.id),
        "vocabularies": party_pages.vocabularies(session),
    }
    return render(request, "activity_form.html", context, status_code=status_code)


@router.get("/activities/{activity_id}/edit", name="web_activity_edit")
def edit_activity(
    request: Request, activity_id: int, session: SessionDep, principal: SignedInPagePrincipal
) -> Response:
    activity = _editable(session, principal, activity_id)
    return _form_page(request, session, principal, activity, _values_of(activity))


@router.post("/activities/{activity_id}/edit", name="web_activity_update")
def update_activity(
    request: Request,
    activity_id: int,
    session: SessionDep,
    principal: SignedInPagePrincipal,
    form: PostedForm,
) -> Response:
    activity = _editable(session, principal, activity_id)
    values = _posted_values(form)
    page = partial(_form_page, request, session, principal, activity, values)
    try:
        check_version(activity.version, None, values["version"])
    except DomainError:
        values["version"] = activity.version
        return page(conflict=True, status_code=409)
    errors = FieldErrors()
    start, end = forms.parse_period(form, errors)
    links = [line.strip() for line in values["links"].splitlines() if line.strip()]
    status = values["status"]
    return party_pages.submit(
        errors,
        lambda: ActivityUpdate(
            title=values["title"],
            description=values["description"],
            status=ActivityStatus(status) if status in ActivityStatus.__members__ else None,
            period_start=start,
            period_end=end,
            outputs=values["outputs"] or None,
            outcome=values["outcome"] or None,
            links=links,
            version=values["version"],
        ),
        lambda data: activities_service.update(session, principal, activity, data),
        page,
        lambda saved: party_pages.see_other(request, "web_activity", activity_id=saved.id),
    )


@router.post("/activities/{activity_id}/implementation", name="web_activity_implementation")
def report_implementation(
    request: Request,
    activity_id: int,
    session: SessionDep,
    principal: SignedInPagePrincipal,
    form: PostedForm,
) -> Response:
    """How far each recommendation the activity advances is implemented (the State's word)."""
    activity = _editable(session, principal, activity_id)
    for rec in activity.recommendations:
        wanted = forms.text(form, f"implementation-{rec.id}", 40)
        if wanted in ImplementationStatus.__members__:
            activities_service.report_implementation(
                session, principal, activity, rec.id, ImplementationStatus(wanted)
            )
    return party_pages.see_other(request, "web_activity_edit", activity_id=activity.id)
