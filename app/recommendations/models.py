from __future__ import annotations

import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.base import Base, VersionedMixin, str_enum
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
recommendation_themes = link_table(
    "recommendation_themes",
    "recommendation_id",
    "recommendations.id",
    "theme_code",
    "themes.code",
    CODE,
)
recommendation_groups = link_table(
    "recommendation_groups",
    "recommendation_id",
    "recommendations.id",
    "group_code",
    "groups_of_persons.code",
    CODE,
)
recommendation_sdgs = link_table(
    "recommendation_sdgs",
    "recommendation_id",
    "recommendations.id",
    "sdg_code",
    "sdg_goals.code",
    CODE,
)


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
    themes: Mapped[list[Theme]] = relationship(secondary=recommendation_themes, order_by=Theme.code)
    groups: Mapped[list[GroupOfPersons]] = relationship(
        secondary=recommendation_groups, order_by=GroupOfPersons.code
    )
    sdgs: Mapped[list[SdgGoal]] = relationship(
        secondary=recommendation_sdgs, order_by=SdgGoal.sort_order
    )

    @property
    def recommending_state_codes(self) -> list[str]:
        return [c.iso3 for c in self.recommending_states]

    @property
    def theme_codes(self) -> list[str]:
        return [t.code for t in self.themes]

    @property
    def group_codes(self) -> list[str]:
        return [g.code for g in self.groups]

    @property
    def sdg_codes(self) -> list[str]:
        return [g.code for g in self.sdgs]


def cycle_for_session(session: int) -> int:
    """UPR cycles: 1 = sessions 1-12, then 14 sessions a cycle (2 = 13-26, 3 = 27-40, 4 = 41-54)."""
    if session <= 12:
        return 1
    return 2 + (session - 13) // 14
