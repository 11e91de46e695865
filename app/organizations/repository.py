from __future__ import annotations

from sqlalchemy import Select, or_, select

from app.organizations.models import Organization, OrganizationType


def organizations_query(
    q: str | None, type_: OrganizationType | None, country: str | None
) -> Select[Organization]:
    stmt = select(Organization).order_by(Organization.name)
    if q:
        stmt = stmt.where(
            or_(Organization.name.ilike(f"%{q}%"), Organization.acronym.ilike(f"%{q}%"))
        )
    if type_ is not None:
        stmt = stmt.where(Organization.type == type_)
    if country:
        stmt = stmt.where(Organization.country_iso3 == country.upper())
    return stmt
