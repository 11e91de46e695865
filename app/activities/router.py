from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from app.activities import repository, service
from app.activities.models import Activity, ActivityStatus
from app.activities.schemas import ActivityCreate, ActivityRead, ActivityUpdate
from app.auth.dependencies import AuthenticatedPrincipal, CurrentPrincipal, RequestAuthor
from app.core.concurrency import IfMatch, check_version, versioned
from app.core.pagination import Pagination, page_of
from app.core.schemas import Page
from app.db.session import SessionDep
from app.reference.filters import known_codes
from app.reference.models import Country, Theme

router = APIRouter(prefix="/activities", tags=["activities"])


async def _filters(
    state: Annotated[str | None, Query(max_length=3, description="Beneficiary State")] = None,
    status: ActivityStatus | None = None,
    theme: Annotated[str | None, Query(max_length=60)] = None,
    provider_id: Annotated[int | None, Query(ge=1)] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    _codes: Annotated[None, Depends(known_codes(state=Country, theme=Theme))] = None,
) -> repository.ActivityFilters:
    return repository.ActivityFilters(
        state=state, status=status, theme=theme, provider_id=provider_id, q=q
    )


Filters = Annotated[repository.ActivityFilters, Depends(_filters)]


def _visible(activity_id: int, session: SessionDep, principal: CurrentPrincipal) -> Activity:
    return service.get_visible(session, principal, activity_id)


VisibleActivity = Annotated[Activity, Depends(_visible)]


def _editable(editor: AuthenticatedPrincipal, activity: VisibleActivity) -> Activity:
    """The beneficiary State, the activity's providers, or staff (404 or 403 otherwise)."""
    service.check_can_edit(editor, activity)
    return activity


EditableActivity = Annotated[Activity, Depends(_editable)]


@router.get("", response_model=Page[ActivityRead])
def list_activities(
    principal: CurrentPrincipal, session: SessionDep, page: Pagination, filters: Filters
) -> Page[ActivityRead]:
    return page_of(session, repository.activities_query(principal, filters), page, ActivityRead)


@router.get("/{activity_id}", response_model=ActivityRead)
def get_activity(activity: VisibleActivity, response: Response) -> ActivityRead:
    return versioned(response, activity, ActivityRead)


@router.post("", response_model=ActivityRead, status_code=status.HTTP_201_CREATED)
def create_activity(
    author: RequestAuthor, data: ActivityCreate, session: SessionDep, response: Response
) -> ActivityRead:
    activity = service.create(session, author, data)
    return versioned(response, activity, ActivityRead)


@router.patch("/{activity_id}", response_model=ActivityRead)
def update_activity(
    editor: AuthenticatedPrincipal,
    activity: EditableActivity,
    data: ActivityUpdate,
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
) -> ActivityRead:
    """The beneficiary State and staff change any field; the activity's providers change how
    it goes (plan, dates, status, outputs, result, links, funding). Status: planned -> ongoing
    -> completed, or cancelled (409 for another step)."""
    check_version(activity.version, if_match, data.version)
    activity = service.update(session, editor, activity, data)
    return versioned(response, activity, ActivityRead)


@router.delete("/{activity_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_activity(author: RequestAuthor, activity: EditableActivity, session: SessionDep) -> None:
    service.delete(session, author, activity)
