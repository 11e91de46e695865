from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from app.auth.dependencies import StaffPrincipal
from app.core.i18n import ReaderLanguage
from app.core.schemas import ISO3, Code
from app.db.session import SessionDep
from app.pairing import explain, service
from app.pairing.schemas import (
    AssignmentCreate,
    AssignmentRead,
    DuplicationRead,
    EngagementRead,
    GapRead,
    MatchingRunCreate,
    MatchingRunRead,
    PairExplanationRead,
    ProactivePage,
)
from app.reference.filters import known_codes
from app.reference.models import Country, RegionKind, Theme

router = APIRouter(prefix="/matching", tags=["matching"])


@router.post("/run", response_model=MatchingRunRead)
def run_matching(
    actor: StaffPrincipal, session: SessionDep, data: MatchingRunCreate | None = None
) -> MatchingRunRead:
    """Score open requests against active offers and store the best pairs as suggestions."""
    return service.run(session, actor, data or MatchingRunCreate())


@router.post("/assignment", response_model=AssignmentRead)
def batch_assignment(
    actor: StaffPrincipal, session: SessionDep, data: AssignmentCreate | None = None
) -> AssignmentRead:
    """The suggestions that together score highest without exceeding any offer's places;
    a preview unless `apply` is true, which proposes them to the parties."""
    return service.assignment(session, actor, data or AssignmentCreate())


@router.get("/duplications", response_model=list[DuplicationRead])
def list_duplications(_staff: StaffPrincipal, session: SessionDep) -> list[DuplicationRead]:
    """Offers and activities of different providers for the same State and theme at once."""
    return [
        DuplicationRead(
            state=flag.state,
            theme=flag.theme,
            first=EngagementRead.model_validate(flag.first),
            second=EngagementRead.model_validate(flag.second),
            overlap_start=flag.overlap_start,
            overlap_end=flag.overlap_end,
        )
        for flag in service.duplications(session)
    ]


@router.get("/gaps", response_model=list[GapRead])
def list_gaps(
    _staff: StaffPrincipal,
    session: SessionDep,
    by: Annotated[
        RegionKind, Query(description="Which regions to count by")
    ] = RegionKind.m49_region,
) -> list[GapRead]:
    """Needs no offer could help with (open requests, unrequested supported recommendations),
    counted by theme and region, largest first."""
    return [GapRead.model_validate(row) for row in service.gaps(session, by)]


@router.get("/proactive", response_model=ProactivePage)
def list_proactive(
    _staff: StaffPrincipal,
    session: SessionDep,
    lang: ReaderLanguage,
    state: ISO3 | None = None,
    theme: Annotated[Code | None, Query(description="Only recommendations on this theme")] = None,
    k: Annotated[int, Query(ge=1, le=20, description="Offers per recommendation")] = 5,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
    _codes: Annotated[None, Depends(known_codes(state=Country, theme=Theme))] = None,
) -> ProactivePage:
    """Supported recommendations that no request names yet, each with the offers that could
    help implement it, so that staff can approach the State. Recommendations with no suitable
    offer are left out."""
    return service.proactive(
        session, state=state, theme=theme, k=k, limit=limit, offset=offset, lang=lang
    )


RecordId = Annotated[int, Query(ge=1, le=2**31 - 1)]


@router.get("/explain", response_model=PairExplanationRead)
def explain_pair(
    _staff: StaffPrincipal, session: SessionDep, request_id: RecordId, offer_id: RecordId
) -> PairExplanationRead:
    """Why a matching run would, or would not, suggest this request-offer pair now ("why
    not"): each hard constraint with pass or fail and the facts it rests on, each score
    component with its value and weight, the total against the threshold, and the pair's place
    among the request's suggestable offers."""
    return explain.explain(session, request_id, offer_id)
