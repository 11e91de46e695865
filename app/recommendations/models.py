from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.base import Base, UTCDateTime, VersionedMixin, str_enum
from app.db.links import CODE, ISO3, link_table
from app.reference.models import Country, GroupOfPersons, SdgGoal, Theme

__all__ = ["Country", "GroupOfPersons", "SdgGoal", "Theme"]


class Position(enum.StrEnum):
    supported = "supported"
    noted = "noted"
    # Provisional: taken from a Working Group report before the State's addendum says which.
    pending = "pending"


class ImplementationStatus(enum.StrEnum):
    unknown = "unknown"
    not_started = "not_started"
    in_progress = "in_progress"
    partially_implemented = "partially_implemented"
    fully_implemented = "fully_implemented"


class RecommendationSource(enum.StrEnum):
    manual = "manual"
    upr_info = "upr_info"
    uhri = "uhri"
    report_text = "report_text"


recommendation_recommending_states = link_table(
    "recommendation_recommending_states",
    "recommendation_id",
    "recommendations.id",
    "country_iso3",
    "countries.iso3",
    ISO3,
)


class TagSource(enum.StrEnum):
    """Where a recommendation's theme or group of persons came from."""

    machine = "machine"  # the tagger (matching.tagging), with its score and model version
    staff = "staff"  # set or corrected by OHCHR staff
    imported = "import"  # given by the imported source (UPR Info issues, UHRI labels)


def _tag_columns() -> list[sa.Column[Any]]:
    """Provenance of one theme (or group) of a recommendation: who gave it, the tagger's score
    and model version, and the staff member who confirmed it and when."""
    return [
        sa.Column(
            "source",
            str_enum(TagSource),
            nullable=False,
            default=TagSource.staff,
            server_default=TagSource.staff.value,
        ),
        sa.Column("score", sa.Float, nullable=True),
        sa.Column("model_version", sa.String(60), nullable=True),
        sa.Column("confirmed_by_id", sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("confirmed_at", UTCDateTime(), nullable=True),
    ]


recommendation_themes = link_table(
    "recommendation_themes",
    "recommendation_id",
    "recommendations.id",
    "theme_code",
    "themes.code",
    CODE,
    *_tag_columns(),
)
recommendation_groups = link_table(
    "recommendation_groups",
    "recommendation_id",
    "recommendations.id",
    "group_code",
    "groups_of_persons.code",
    CODE,
    *_tag_columns(),
)
recommendation_sdgs = link_table(
    "recommendation_sdgs",
    "recommendation_id",
    "recommendations.id",
    "sdg_code",
    "sdg_goals.code",
    CODE,
)


class _TagLink:
    recommendation_id: Mapped[int]
    source: Mapped[TagSource]
    score: Mapped[float | None]
    model_version: Mapped[str | None]
    confirmed_by_id: Mapped[int | None]
    confirmed_at: Mapped[datetime | None]

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class RecommendationTheme(_TagLink, Base):
    """A theme of a recommendation, with its provenance (`recommendation_themes`)."""

    __table__ = recommendation_themes
    theme_code: Mapped[str]

    @property
    def code(self) -> str:
        return self.theme_code


class RecommendationGroup(_TagLink, Base):
    """A group of persons of a recommendation, with its provenance (`recommendation_groups`)."""

    __table__ = recommendation_groups
    group_code: Mapped[str]

    @property
    def code(self) -> str:
        return self.group_code


class Recommendation(VersionedMixin, Base):
    __tablename__ = "recommendations"
    __table_args__ = (
        sa.UniqueConstraint("source", "external_id"),
        sa.CheckConstraint("cycle BETWEEN 1 AND 10", name="cycle_range"),
        sa.Index("ix_recommendations_state_position", "state_iso3", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    state_iso3: Mapped[str] = mapped_column(sa.ForeignKey("countries.iso3"))
    cycle: Mapped[int]
    session: Mapped[int | None] = mapped_column(index=True)
    document_symbol: Mapped[str | None] = mapped_column(sa.String(60))
    paragraph: Mapped[str | None] = mapped_column(sa.String(20))
    text: Mapped[str] = mapped_column(sa.Text)
    language: Mapped[str] = mapped_column(sa.ForeignKey("languages.code"), default="en")
    position: Mapped[Position] = mapped_column(str_enum(Position))
    implementation_status: Mapped[ImplementationStatus] = mapped_column(
        str_enum(ImplementationStatus), default=ImplementationStatus.unknown
    )
    source: Mapped[RecommendationSource] = mapped_column(
        str_enum(RecommendationSource), default=RecommendationSource.manual
    )
    external_id: Mapped[str | None] = mapped_column(sa.String(100))
    # Digest of the source record as last imported: a re-import of the same data changes nothing.
    content_hash: Mapped[str | None] = mapped_column(sa.String(64))

    recommending_states: Mapped[list[Country]] = relationship(
        secondary=recommendation_recommending_states, order_by=Country.iso3
    )
    # Staff confirmed or corrected the themes and groups (the curation): the tagger never
    # changes them again, and `uprtc tagger train` learns from them.
    tags_reviewed_at: Mapped[datetime | None]
    tags_reviewed_by: Mapped[str | None] = mapped_column(sa.String(200))  # the staff's name

    # Written through the links (with their provenance); `themes` / `groups` read them.
    theme_links: Mapped[list[RecommendationTheme]] = relationship(
        cascade="all, delete-orphan",
        order_by=recommendation_themes.c.theme_code,
        passive_deletes=True,
    )
    group_links: Mapped[list[RecommendationGroup]] = relationship(
        cascade="all, delete-orphan",
        order_by=recommendation_groups.c.group_code,
        passive_deletes=True,
    )
    themes: Mapped[list[Theme]] = relationship(
        secondary=recommendation_themes, order_by=Theme.code, viewonly=True
    )
    groups: Mapped[list[GroupOfPersons]] = relationship(
        secondary=recommendation_groups, order_by=GroupOfPersons.code, viewonly=True
    )
    sdgs: Mapped[list[SdgGoal]] = relationship(
        secondary=recommendation_sdgs, order_by=SdgGoal.sort_order
    )

    @property
    def recommending_state_codes(self) -> list[str]:
        return [c.iso3 for c in self.recommending_states]

    @property
    def theme_codes(self) -> list[str]:
        return sorted(link.theme_code for link in self.theme_links)

    @property
    def group_codes(self) -> list[str]:
        return sorted(link.group_code for link in self.group_links)

    @property
    def theme_tags(self) -> list[RecommendationTheme]:
        return sorted(self.theme_links, key=lambda link: link.theme_code)

    @property
    def group_tags(self) -> list[RecommendationGroup]:
        return sorted(self.group_links, key=lambda link: link.group_code)

    @property
    def sdg_codes(self) -> list[str]:
        return [g.code for g in self.sdgs]


def cycle_for_session(session: int) -> int:
    """UPR cycles: 1 = sessions 1-12, then 14 sessions a cycle (2 = 13-26, 3 = 27-40, 4 = 41-54)."""
    if session <= 12:
        return 1
    return 2 + (session - 13) // 14
