from __future__ import annotations

from sqlalchemy.orm import Session

from app.audit import service as audit
from app.auth.principal import Principal
from app.core.errors import NotFound
from app.core.records import touch
from app.core.references import refuse_if_referenced
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
    session.add(organization)
    session.flush()
    audit.record(
        session,
        actor,
        "create",
        ENTITY,
        organization.id,
        None,
        audit.snapshot(OrganizationRead, organization),
    )
    return organization


def update(
    session: Session, actor: Principal, organization: Organization, data: OrganizationUpdate
) -> Organization:
    before = audit.snapshot(OrganizationRead, organization)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    if "country" in changes:
        _check_country(session, changes["country"])
        organization.country_iso3 = changes.pop("country")
    for key, value in changes.items():
        if value is None and key in {"name", "type"}:
            continue
        setattr(organization, key, value)
    touch(organization)
    session.flush()
    audit.record(
        session,
        actor,
        "update",
        ENTITY,
        organization.id,
        before,
        audit.snapshot(OrganizationRead, organization),
    )
    return organization


def delete(session: Session, actor: Principal, organization: Organization) -> None:
    from app.activities.models import activity_providers
    from app.auth.models import User
    from app.offers.models import Offer

    refuse_if_referenced(
        session,
        f"organization {organization.id}",
        [
            ("offers", Offer, Offer.organization_id == organization.id),
            ("users", User, User.organization_id == organization.id),
            (
                "activities",
                activity_providers,
                activity_providers.c.organization_id == organization.id,
            ),
        ],
        "remove those first",
    )
    before = audit.snapshot(OrganizationRead, organization)
    session.delete(organization)
    session.flush()
    audit.record(session, actor, "delete", ENTITY, organization.id, before, None)
