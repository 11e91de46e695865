from __future__ import annotations

import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, VersionedMixin, str_enum


class OrganizationType(enum.StrEnum):
    state = "state"
    un_entity = "un_entity"
    regional_org = "regional_org"
    nhri = "nhri"
    cso = "cso"
    academic = "academic"
    private = "private"
    other = "other"


class Organization(VersionedMixin, Base):
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(300), unique=True)
    acronym: Mapped[str | None] = mapped_column(sa.String(40))
    type: Mapped[OrganizationType] = mapped_column(str_enum(OrganizationType))
    country_iso3: Mapped[str | None] = mapped_column(sa.ForeignKey("countries.iso3"))
    website: Mapped[str | None] = mapped_column(sa.String(500))
    description: Mapped[str | None] = mapped_column(sa.Text)
    is_demo: Mapped[bool] = mapped_column(default=False)
