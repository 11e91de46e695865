from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from app.assistance_requests import repository, service
from app.assistance_requests.dependencies import EditableRequest, VisibleRequest
from app.assistance_requests.models import RequestStatus
from app.assistance_requests.schemas import RequestCreate, RequestRead, RequestUpdate
from app.auth.dependencies import CurrentPrincipal, RequestAuthor
from app.core.concurrency import IfMatch, check_version, versioned
from app.core.pagination import Pagination, page_of
from app.core.schemas import Page
from app.db.session import SessionDep
from app.reference.filters import known_codes
from app.reference.models import AssistanceType, Country, Language, Theme

router = APIRouter(prefix="/requests", tags=["assistance requests"])


async def _filters(
    state: Annotated[str | None, Query(max_length=3, description="Requesting State")] = None,
    status: RequestStatus | None = None,
    theme: Annotated[str | None, Query(max_length=60)] = None,
    assistance_type: Annotated[str | None, Query(max_length=60)] = None,
    language: Annotated[str | None, Query(max_length=60)] = None,
    recommendation_id: Annotated[int | None, Query(ge=1)] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="Title or description contains")
    ] = None,
    _codes: Annotated[
        None,
        Depends(
            known_codes(
                state=Country, theme=Theme, assistance_type=AssistanceType, language=Language
            )
        ),
    ] = None,
) -> repository.RequestFilters:
    return repository.RequestFilters(
        state=state,
        status=status,
        theme=theme,
        assistance_type=assistance_type,
        language=language,
        recommendation_id=recommendation_id,
        q=q,
    )


Filters = Annotated[repository.RequestFilters, Depends(_filters)]


@router.get("", response_model=Page[RequestRead])
def list_requests(
    principal: CurrentPrincipal, session: SessionDep, page: Pagination, filters: Filters
) -> Page[RequestRead]:
    """Requests the caller may see: the public sees only those the State consented to publish."""
    return page_of(session, repository.requests_query(principal, filters), page, RequestRead)


@router.get("/{request_id}", response_model=RequestRead)
def get_request(request: VisibleRequest, response: Response) -> RequestRead:
    return versioned(response, request, RequestRead)


@router.post("", response_model=RequestRead, status_code=status.HTTP_201_CREATED)
def create_request(
    author: RequestAuthor, data: RequestCreate, session: SessionDep, response: Response
) -> RequestRead:
    request = service.create(session, author, data)
    return versioned(response, request, RequestRead)


@router.patch("/{request_id}", response_model=RequestRead)
def update_request(
    author: RequestAuthor,
    request: EditableRequest,
    data: RequestUpdate,
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
) -> RequestRead:
    check_version(request.version, if_match, data.version)
    request = service.update(session, author, request, data)
    return versioned(response, request, RequestRead)


@router.delete("/{request_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_request(author: RequestAuthor, request: EditableRequest, session: SessionDep) -> None:
    service.delete(session, author, request)
