from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from app.auth.dependencies import AuthenticatedPrincipal, StaffPrincipal
from app.core.concurrency import IfMatch, check_version, set_etag
from app.core.pagination import Pagination, paginate
from app.core.schemas import Page
from app.db.session import SessionDep
from app.matches import repository, service
from app.matches.models import Match, MatchStatus
from app.matches.schemas import MatchCreate, MatchRead, MatchUpdate

router = APIRouter(prefix="/matches", tags=["matches"])


def _filters(
    request_id: Annotated[int | None, Query(ge=1)] = None,
    offer_id: Annotated[int | None, Query(ge=1)] = None,
    status: MatchStatus | None = None,
) -> repository.MatchFilters:
    return repository.MatchFilters(request_id=request_id, offer_id=offer_id, status=status)


Filters = Annotated[repository.MatchFilters, Depends(_filters)]


def _visible(match_id: int, principal: AuthenticatedPrincipal, session: SessionDep) -> Match:
    return service.get_visible(session, principal, match_id)


VisibleMatch = Annotated[Match, Depends(_visible)]


@router.get("", response_model=Page[MatchRead])
def list_matches(
    principal: AuthenticatedPrincipal, session: SessionDep, page: Pagination, filters: Filters
) -> Page[MatchRead]:
    """Staff see every match; States and providers see those proposed to them."""
    items, total = paginate(session, repository.matches_query(principal, filters), page)
    return Page(
        items=[MatchRead.model_validate(m) for m in items],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.get("/{match_id}", response_model=MatchRead)
def get_match(match: VisibleMatch, response: Response) -> MatchRead:
    set_etag(response, match.version)
    return MatchRead.model_validate(match)


@router.post("", response_model=MatchRead, status_code=status.HTTP_201_CREATED)
def create_match(
    actor: StaffPrincipal, data: MatchCreate, session: SessionDep, response: Response
) -> MatchRead:
    match = service.create(session, actor, data)
    set_etag(response, match.version)
    return MatchRead.model_validate(match)


@router.patch("/{match_id}", response_model=MatchRead)
def update_match(
    actor: StaffPrincipal,
    match: VisibleMatch,
    data: MatchUpdate,
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
) -> MatchRead:
    check_version(match.version, if_match, data.version)
    match = service.update(session, actor, match, data)
    set_etag(response, match.version)
    return MatchRead.model_validate(match)


@router.delete("/{match_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_match(actor: StaffPrincipal, match: VisibleMatch, session: SessionDep) -> None:
    service.delete(session, actor, match)
