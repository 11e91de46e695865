from __future__ import annotations

from sqlalchemy.orm import Session

from app.audit import service as audit
from app.auth.principal import Principal
from app.core.errors import NotFound
from app.core.referrers import refuse_if_referenced
from app.organizations.models import Organization
from app.organizations.schemas import OrganizationCreate, OrganizationRead, OrganizationUpdate
from app.reference import service as reference
from app.reference.models import Country

ENTITY = "organization"


def get(session: Session, organization_id: int) -> Organization:
    organization = session.get(Organization, organization_id)
    if organization is None:
        raise NotFound(f"no organization with id {organization_id}")
    return organization


def _check_country(session: Session, iso3: str | None) -> None:
    if iso3 is not None:
        reference.resolve_one(session, Country, iso3, "country")


def create(session: Session, actor: Principal, data: OrganizationCreate) -> Organization:
    _check_country(session, data.country)
    fields = data.model_dump(exclude={"country"})
    organization = Organization(**fields, country_iso3=data.country)
    audit.created(session, actor, ENTITY, organization, OrganizationRead)
    return organization


def update(
    session: Session, actor: Principal, organization: Organization, data: OrganizationUpdate
) -> Organization:
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    with audit.changing(session, actor, ENTITY, organization, OrganizationRead):
        if "country" in changes:
            _check_country(session, changes["country"])
            organization.country_iso3 = changes.pop("country")
        for key, value in changes.items():
            if value is None and key in {"name", "type"}:
                continue
            setattr(organization, key, value)
    return organization


def delete(session: Session, actor: Principal, organization: Organization) -> None:
    refuse_if_referenced(
        session, organization, f"organization {organization.id}", "remove those first"
    )
    audit.deleted(session, actor, ENTITY, organization, OrganizationRead)
