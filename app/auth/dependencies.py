"""Who is calling, and what role they need: dependencies visible in endpoint signatures."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.auth import service
from app.auth.models import Role
from app.auth.principal import ANONYMOUS, Principal
from app.core.errors import NotAuthenticated, PermissionDenied
from app.db.session import SessionDep

_bearer = HTTPBearer(auto_error=False, description="Token from `uprtc token create`")


def get_principal(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None:
        return ANONYMOUS
    return service.authenticate(session, credentials.credentials)


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


def require_roles(*roles: Role) -> Callable[[Principal], Principal]:
    allowed = ", ".join(r.value for r in roles)

    def dependency(principal: CurrentPrincipal) -> Principal:
        if not principal.is_authenticated:
            raise NotAuthenticated()
        if principal.role not in roles:
            raise PermissionDenied(f"This action needs one of the roles: {allowed}")
        return principal

    return dependency


AuthenticatedPrincipal = Annotated[Principal, Depends(require_roles(*Role))]
StaffPrincipal = Annotated[Principal, Depends(require_roles(Role.admin, Role.staff))]
RequestAuthor = Annotated[Principal, Depends(require_roles(Role.admin, Role.staff, Role.state))]
OfferAuthor = Annotated[Principal, Depends(require_roles(Role.admin, Role.staff, Role.provider))]
