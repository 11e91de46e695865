"""Reference data: countries, regions and groups, and the controlled vocabularies."""

from __future__ import annotations

import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.base import Base, str_enum

LANGUAGE_COLUMNS = ("en", "fr", "es", "ru", "zh", "ar")


class UNStatus(enum.StrEnum):
    member = "member"
    observer = "observer"
    other = "other"


class RegionKind(enum.StrEnum):
    m49_region = "m49_region"
    m49_subregion = "m49_subregion"
    m49_intermediate_region = "m49_intermediate_region"
    hrc_group = "hrc_group"
    un_group = "un_group"


region_members = sa.Table(
    "region_members",
    Base.metadata,
    sa.Column("region_code", sa.ForeignKey("regions.code", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "country_iso3", sa.ForeignKey("countries.iso3", ondelete="CASCADE"), primary_key=True
    ),
    sa.Index("ix_region_members_country_iso3", "country_iso3"),
)


country_languages = sa.Table(
    "country_languages",
    Base.metadata,
    sa.Column(
        "country_iso3", sa.ForeignKey("countries.iso3", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("language_code", sa.ForeignKey("languages.code"), primary_key=True),
)


class MultilingualLabels:
    """Six-language labels; English is required, the rest are filled where a source exists."""

    label_en: Mapped[str] = mapped_column(sa.String(300))
    label_fr: Mapped[str | None] = mapped_column(sa.String(300))
    label_es: Mapped[str | None] = mapped_column(sa.String(300))
    label_ru: Mapped[str | None] = mapped_column(sa.String(300))
    label_zh: Mapped[str | None] = mapped_column(sa.String(300))
    label_ar: Mapped[str | None] = mapped_column(sa.String(300))

    def label(self, language: str = "en") -> str:
        value = getattr(self, f"label_{language}", None) if language in LANGUAGE_COLUMNS else None
        return value or self.label_en

    @property
    def labels(self) -> dict[str, str]:
        return {
            lang: value
            for lang in LANGUAGE_COLUMNS
            if (value := getattr(self, f"label_{lang}", None))
        }


class Country(MultilingualLabels, Base):
    __tablename__ = "countries"

    iso3: Mapped[str] = mapped_column(sa.String(3), primary_key=True)
    iso2: Mapped[str | None] = mapped_column(sa.String(2))
    m49: Mapped[str | None] = mapped_column(sa.String(3))
    un_status: Mapped[UNStatus] = mapped_column(str_enum(UNStatus), default=UNStatus.other)

    regions: Mapped[list[Region]] = relationship(
        secondary=region_members, back_populates="countries", order_by="Region.code"
    )
    # Working languages used there (CLDR, see seed_data/state_languages.csv), most spoken first.
    languages: Mapped[list[Language]] = relationship(
        secondary=country_languages, order_by="Language.sort_order"
    )

    @property
    def name(self) -> str:
        return self.label_en

    @property
    def language_codes(self) -> list[str]:
        return [lang.code for lang in self.languages]

    @property
    def region_codes(self) -> list[str]:
        return [r.code for r in self.regions]


class Region(MultilingualLabels, Base):
    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    kind: Mapped[RegionKind] = mapped_column(str_enum(RegionKind))
    parent_code: Mapped[str | None] = mapped_column(sa.ForeignKey("regions.code"))

    countries: Mapped[list[Country]] = relationship(
        secondary=region_members, back_populates="regions", order_by="Country.iso3"
    )

    @property
    def name(self) -> str:
        return self.label_en

    @property
    def member_iso3(self) -> list[str]:
        return [c.iso3 for c in self.countries]


class _Vocabulary(MultilingualLabels):
    code: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    sort_order: Mapped[int] = mapped_column(default=0)


class Theme(_Vocabulary, Base):
    __tablename__ = "themes"


class GroupOfPersons(_Vocabulary, Base):
    __tablename__ = "groups_of_persons"


class SdgGoal(_Vocabulary, Base):
    __tablename__ = "sdg_goals"


class AssistanceType(_Vocabulary, Base):
    __tablename__ = "assistance_types"

    description_en: Mapped[str | None] = mapped_column(sa.Text)


class Language(_Vocabulary, Base):
    """Working languages (ISO 639-1 codes); the six UN languages and a few more."""

    __tablename__ = "languages"
