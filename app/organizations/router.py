from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from app.auth.dependencies import AuthenticatedPrincipal, StaffPrincipal
from app.core.concurrency import IfMatch, check_version, versioned
from app.core.pagination import Pagination, page_of
from app.core.schemas import Page
from app.db.session import SessionDep
from app.organizations import repository, service
from app.organizations.dependencies import EditableOrganization, ExistingOrganization
from app.organizations.models import OrganizationType
from app.organizations.schemas import OrganizationCreate, OrganizationRead, OrganizationUpdate
from app.reference.filters import known_codes
from app.reference.models import Country

router = APIRouter(prefix="/organizations", tags=["organizations"])


@router.get("", response_model=Page[OrganizationRead])
def list_organizations(
    session: SessionDep,
    page: Pagination,
    q: Annotated[str | None, Query(max_length=200)] = None,
    type: OrganizationType | None = None,
    country: Annotated[str | None, Query(max_length=3)] = None,
    _codes: Annotated[None, Depends(known_codes(country=Country))] = None,
) -> Page[OrganizationRead]:
    return page_of(
        session, repository.organizations_query(q, type, country), page, OrganizationRead
    )


@router.get("/{organization_id}", response_model=OrganizationRead)
def get_organization(organization: ExistingOrganization, response: Response) -> OrganizationRead:
    return versioned(response, organization, OrganizationRead)


@router.post("", response_model=OrganizationRead, status_code=status.HTTP_201_CREATED)
def create_organization(
    actor: StaffPrincipal, data: OrganizationCreate, session: SessionDep, response: Response
) -> OrganizationRead:
    organization = service.create(session, actor, data)
    return versioned(response, organization, OrganizationRead)


@router.patch("/{organization_id}", response_model=OrganizationRead)
def update_organization(
    actor: AuthenticatedPrincipal,
    organization: EditableOrganization,
    data: OrganizationUpdate,
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
) -> OrganizationRead:
    check_version(organization.version, if_match, data.version)
    organization = service.update(session, actor, organization, data)
    return versioned(response, organization, OrganizationRead)


@router.delete("/{organization_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_organization(
    actor: StaffPrincipal, organization: ExistingOrganization, session: SessionDep
) -> None:
    service.delete(session, actor, organization)
