from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from app.core.schemas import ISO3, LongText, ReadSchema, Title, VersionedRead, WriteSchema
from app.organizations.models import OrganizationType

Acronym = Annotated[str, StringConstraints(max_length=40)]
Url = Annotated[str, StringConstraints(max_length=500, pattern=r"^https?://\S+$")]


class OrganizationBase(WriteSchema):
    acronym: Acronym | None = None
    country: ISO3 | None = Field(
        None, description="ISO3 of the country the organization is based in"
    )
    website: Url | None = None
    description: LongText | None = None


class OrganizationCreate(OrganizationBase):
    name: Title
    type: OrganizationType


class OrganizationUpdate(OrganizationBase):
    name: Title | None = None
    type: OrganizationType | None = None
    version: int | None = Field(None, description="The version you read (or send If-Match)")


class OrganizationRead(VersionedRead):
    id: int
    name: str
    acronym: str | None
    type: OrganizationType
    country: str | None = Field(validation_alias="country_iso3")
    website: str | None
    description: str | None
    is_demo: bool


class OrganizationRef(ReadSchema):
    id: int
    name: str
    type: OrganizationType
