from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from app.auth.dependencies import StaffPrincipal
from app.core.concurrency import IfMatch, check_version, versioned
from app.core.pagination import Pagination
from app.core.schemas import SearchPage
from app.core.semantic import SemanticDep
from app.db.session import SessionDep
from app.recommendations import repository, search, service
from app.recommendations.models import ImplementationStatus, Position, RecommendationSource
from app.recommendations.schemas import (
    RecommendationCreate,
    RecommendationRead,
    RecommendationTagsConfirm,
    RecommendationTagsUpdate,
    RecommendationUpdate,
)
from app.reference.concepts import concepts_read
from app.reference.filters import known_codes
from app.reference.models import Country, GroupOfPersons, SdgGoal, Theme

router = APIRouter(prefix="/recommendations", tags=["recommendations"])


async def _filters(
    state: Annotated[str | None, Query(max_length=3, description="State under review")] = None,
    cycle: Annotated[int | None, Query(ge=1, le=10)] = None,
    session: Annotated[int | None, Query(ge=1, le=100)] = None,
    position: Position | None = None,
    theme: Annotated[str | None, Query(max_length=60)] = None,
    group: Annotated[str | None, Query(max_length=60)] = None,
    sdg: Annotated[str | None, Query(max_length=60)] = None,
    recommending_state: Annotated[str | None, Query(max_length=3)] = None,
    implementation_status: ImplementationStatus | None = None,
    source: RecommendationSource | None = None,
    q: Annotated[str | None, Query(max_length=200, description="Text contains")] = None,
    reviewed: Annotated[
        bool | None,
        Query(description="Staff have confirmed or corrected the themes and groups (or not yet)"),
    ] = None,
    _codes: Annotated[
        None,
        Depends(
            known_codes(
                state=Country,
                theme=Theme,
                group=GroupOfPersons,
                sdg=SdgGoal,
                recommending_state=Country,
            )
        ),
    ] = None,
) -> repository.RecommendationFilters:
    return repository.RecommendationFilters(
        state=state,
        cycle=cycle,
        session=session,
        position=position,
        theme=theme,
        group=group,
        sdg=sdg,
        recommending_state=recommending_state,
        implementation_status=implementation_status,
        source=source,
        q=q,
        reviewed=reviewed,
    )


Filters = Annotated[repository.RecommendationFilters, Depends(_filters)]


@router.get("", response_model=SearchPage[RecommendationRead])
def list_recommendations(
    session: SessionDep,
    page: Pagination,
    filters: Filters,
    semantic: SemanticDep,
    after: Annotated[
        int | None,
        Query(
            ge=0,
            le=2**31,
            description="Keyset paging: the rows after this id (`next_after` of the last page)",
        ),
    ] = None,
) -> SearchPage[RecommendationRead]:
    """With `q`: first the recommendations closest in meaning to `q`, in any UN language
    (at most 20), then every other one whose text contains `q`, by id. `total` stops at 1,000
    (`total_capped`); deep pages: `after=next_after`."""
    found = search.search(
        session, filters, page, after=after, semantic=semantic, load=repository.LOAD_READ
    )
    return SearchPage[RecommendationRead](
        items=[RecommendationRead.model_validate(r) for r in found.items],
        total=found.total,
        limit=page.limit,
        offset=page.offset,
        total_capped=found.total_capped,
        next_after=found.next_after,
        concepts=concepts_read(found.concepts),
    )


@router.get("/{recommendation_id}", response_model=RecommendationRead)
def get_recommendation(
    recommendation_id: int, session: SessionDep, response: Response
) -> RecommendationRead:
    rec = service.get(session, recommendation_id)
    return versioned(response, rec, RecommendationRead)


@router.post("", response_model=RecommendationRead, status_code=status.HTTP_201_CREATED)
def create_recommendation(
    actor: StaffPrincipal, data: RecommendationCreate, session: SessionDep, response: Response
) -> RecommendationRead:
    rec = service.create(session, actor, data)
    return versioned(response, rec, RecommendationRead)


@router.patch("/{recommendation_id}", response_model=RecommendationRead)
def update_recommendation(
    actor: StaffPrincipal,
    recommendation_id: int,
    data: RecommendationUpdate,
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
) -> RecommendationRead:
    rec = service.get(session, recommendation_id)
    check_version(rec.version, if_match, data.version)
    rec = service.update(session, actor, rec, data)
    return versioned(response, rec, RecommendationRead)


@router.post("/{recommendation_id}/tags/confirm", response_model=RecommendationRead)
def confirm_recommendation_tags(
    actor: StaffPrincipal,
    recommendation_id: int,
    data: RecommendationTagsConfirm,
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
) -> RecommendationRead:
    """Staff confirm the themes and groups as they are (machine or imported): the tagger never
    changes them again, and `uprtc tagger train` learns from them."""
    rec = service.get(session, recommendation_id)
    check_version(rec.version, if_match, data.version)
    rec = service.confirm_tags(session, actor, rec)
    return versioned(response, rec, RecommendationRead)


@router.put("/{recommendation_id}/tags", response_model=RecommendationRead)
def correct_recommendation_tags(
    actor: StaffPrincipal,
    recommendation_id: int,
    data: RecommendationTagsUpdate,
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
) -> RecommendationRead:
    """Staff correct the themes and groups (both lists; empty is allowed): kept codes are
    confirmed, added ones are the staff's. A correction is never overwritten by the tagger."""
    rec = service.get(session, recommendation_id)
    check_version(rec.version, if_match, data.version)
    rec = service.correct_tags(session, actor, rec, data)
    return versioned(response, rec, RecommendationRead)


@router.delete("/{recommendation_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_recommendation(
    actor: StaffPrincipal, recommendation_id: int, session: SessionDep
) -> None:
    service.delete(session, actor, service.get(session, recommendation_id))
