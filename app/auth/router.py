from __future__ import annotations

from fastapi import APIRouter

from app.auth.dependencies import CurrentPrincipal
from app.auth.models import Role
from app.core.schemas import ReadSchema

router = APIRouter(tags=["auth"])


class PrincipalRead(ReadSchema):
    authenticated: bool
    name: str
    role: Role | None
    state: str | None
    organization_id: int | None


@router.get("/me", response_model=PrincipalRead)
def me(principal: CurrentPrincipal) -> PrincipalRead:
    """Who the bearer token belongs to (anonymous without one)."""
    return PrincipalRead(
        authenticated=principal.is_authenticated,
        name=principal.name,
        role=principal.role,
        state=principal.state_iso3,
        organization_id=principal.organization_id,
    )
