from __future__ import annotations

import enum
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.base import Base, VersionedMixin, str_enum
from app.db.links import CODE, ISO3, link_table
from app.organizations.models import Organization
from app.reference.models import AssistanceType, Country, Language, Region, Theme


class OfferStatus(enum.StrEnum):
    draft = "draft"
    active = "active"
    paused = "paused"
    closed = "closed"


LIVE_OFFER_STATUSES = frozenset({OfferStatus.active, OfferStatus.paused})
"""An offer still available: the annual report keeps its open-ended period open."""


offer_themes = link_table(
    "offer_themes", "offer_id", "offers.id", "theme_code", "themes.code", CODE
)
offer_assistance_types = link_table(
    "offer_assistance_types",
    "offer_id",
    "offers.id",
    "assistance_type_code",
    "assistance_types.code",
    CODE,
)
offer_languages = link_table(
    "offer_languages", "offer_id", "offers.id", "language_code", "languages.code", CODE
)
offer_countries = link_table(
    "offer_countries", "offer_id", "offers.id", "country_iso3", "countries.iso3", ISO3
)
offer_regions = link_table(
    "offer_regions", "offer_id", "offers.id", "region_code", "regions.code", sa.String(40)
)


class Offer(VersionedMixin, Base):
    __tablename__ = "offers"
    __table_args__ = (
        sa.CheckConstraint("capacity >= 0", name="capacity_non_negative"),
        sa.CheckConstraint(
            "period_end IS NULL OR period_start IS NULL OR period_end >= period_start",
            name="period_order",
        ),
        sa.Index("ix_offers_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    is_global: Mapped[bool] = mapped_column(default=False)
    capacity: Mapped[int] = mapped_column(default=1)
    period_start: Mapped[date | None]
    period_end: Mapped[date | None]
    status: Mapped[OfferStatus] = mapped_column(str_enum(OfferStatus), default=OfferStatus.draft)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    organization: Mapped[Organization] = relationship()
    themes: Mapped[list[Theme]] = relationship(secondary=offer_themes, order_by=Theme.code)
    assistance_types: Mapped[list[AssistanceType]] = relationship(
        secondary=offer_assistance_types, order_by=AssistanceType.code
    )
    languages: Mapped[list[Language]] = relationship(
        secondary=offer_languages, order_by=Language.code
    )
    countries: Mapped[list[Country]] = relationship(
        secondary=offer_countries, order_by=Country.iso3
    )
    regions: Mapped[list[Region]] = relationship(secondary=offer_regions, order_by=Region.code)

    @property
    def theme_codes(self) -> list[str]:
        return [t.code for t in self.themes]

    @property
    def assistance_type_codes(self) -> list[str]:
        return [t.code for t in self.assistance_types]

    @property
    def language_codes(self) -> list[str]:
        return [lang.code for lang in self.languages]

    @property
    def country_codes(self) -> list[str]:
        return [c.iso3 for c in self.countries]

    @property
    def region_codes(self) -> list[str]:
        return [r.code for r in self.regions]
