from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.auth.dependencies import StaffPrincipal
from app.db.session import SessionDep
from app.matching import service
from app.matching.schemas import (
    AssignmentCreate,
    AssignmentRead,
    DuplicationRead,
    EngagementRead,
    GapRead,
    MatchingRunCreate,
    MatchingRunRead,
)
from app.reference.models import RegionKind

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
