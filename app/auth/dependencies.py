"""Who is calling, and what role they need: dependencies visible in endpoint signatures."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.auth import service
from app.auth.models import Role
from app.auth.principal import ANONYMOUS, Principal
from app.core.errors import NotAuthenticated, PermissionDenied
from app.db.session import SessionDep

_bearer = HTTPBearer(auto_error=False, description="Token from `uprtc token create`")


def check_authorization_header(request: Request) -> None:
    """No header: the anonymous public. A header that is not `Bearer <token>` (empty, another
    scheme, no token) is a client's mistake: 401, never silently anonymous. Every API route
    has this check (app/main.py), also the public reads that never look at the caller."""
    header = request.headers.get("authorization")
    if header is None:
        return
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated(
            "The Authorization header must be 'Bearer <token>' with a token from "
            "`uprtc token create`"
        )


def get_principal(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    check_authorization_header(request)
    if credentials is None:
        return ANONYMOUS
    return service.authenticate(session, credentials.credentials)


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


def require_roles(*roles: Role) -> Callable[[Principal], Awaitable[Principal]]:
    allowed = ", ".join(r.value for r in roles)

    async def dependency(principal: CurrentPrincipal) -> Principal:
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
