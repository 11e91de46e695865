from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from app.auth.dependencies import AuthenticatedPrincipal
from app.core.errors import PermissionDenied
from app.db.session import SessionDep
from app.organizations import service
from app.organizations.models import Organization


def _existing(organization_id: int, session: SessionDep) -> Organization:
    return service.get(session, organization_id)


ExistingOrganization = Annotated[Organization, Depends(_existing)]


def _editable(
    principal: AuthenticatedPrincipal, organization: ExistingOrganization
) -> Organization:
    if principal.is_staff or principal.is_provider(organization.id):
        return organization
    raise PermissionDenied("Only OHCHR staff or the organization's own provider may edit it")


EditableOrganization = Annotated[Organization, Depends(_editable)]
