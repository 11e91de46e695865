from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.base import Base, JSONType, VersionedMixin, str_enum
from app.db.links import CODE, link_table
from app.organizations.models import Organization
from app.recommendations.models import Recommendation
from app.reference.models import Theme


class ActivityStatus(enum.StrEnum):
    planned = "planned"
    ongoing = "ongoing"
    completed = "completed"
    cancelled = "cancelled"


LIVE_ACTIVITY_STATUSES = frozenset({ActivityStatus.planned, ActivityStatus.ongoing})
"""An activity not yet over: the annual report keeps its open-ended period open."""

NEXT_ACTIVITY_STATUSES = {
    ActivityStatus.planned: frozenset({ActivityStatus.ongoing, ActivityStatus.cancelled}),
    ActivityStatus.ongoing: frozenset({ActivityStatus.completed, ActivityStatus.cancelled}),
    ActivityStatus.completed: frozenset({ActivityStatus.ongoing}),  # reopened: it went on
    ActivityStatus.cancelled: frozenset({ActivityStatus.planned}),  # it will take place after all
}
"""Where an activity may go from each status: planned -> under way -> completed, or cancelled."""


activity_providers = link_table(
    "activity_providers",
    "activity_id",
    "activities.id",
    "organization_id",
    "organizations.id",
    sa.Integer(),
)
activity_recommendations = link_table(
    "activity_recommendations",
    "activity_id",
    "activities.id",
    "recommendation_id",
    "recommendations.id",
    sa.Integer(),
)
activity_themes = link_table(
    "activity_themes", "activity_id", "activities.id", "theme_code", "themes.code", CODE
)


class Activity(VersionedMixin, Base):
    __tablename__ = "activities"
    __table_args__ = (
        sa.CheckConstraint(
            "period_end IS NULL OR period_start IS NULL OR period_end >= period_start",
            name="period_order",
        ),
        sa.CheckConstraint(
            "funding_amount IS NULL OR funding_amount >= 0", name="funding_positive"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    state_iso3: Mapped[str] = mapped_column(sa.ForeignKey("countries.iso3"), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    match_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("matches.id", ondelete="SET NULL"), unique=True
    )
    period_start: Mapped[date | None]
    period_end: Mapped[date | None]
    funding_amount: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 2))
    funding_currency: Mapped[str | None] = mapped_column(sa.String(3))
    outcome: Mapped[str | None] = mapped_column(sa.Text)
    outputs: Mapped[str | None] = mapped_column(sa.Text)
    # Documents or pages about the activity (reports, agendas, publications): web addresses.
    links: Mapped[list[str]] = mapped_column(JSONType, default=list)
    status: Mapped[ActivityStatus] = mapped_column(
        str_enum(ActivityStatus), default=ActivityStatus.planned
    )
    consent_to_publish: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    providers: Mapped[list[Organization]] = relationship(
        secondary=activity_providers, order_by=Organization.id
    )
    recommendations: Mapped[list[Recommendation]] = relationship(
        secondary=activity_recommendations, order_by=Recommendation.id
    )
    themes: Mapped[list[Theme]] = relationship(secondary=activity_themes, order_by=Theme.code)

    @property
    def provider_ids(self) -> list[int]:
        return [o.id for o in self.providers]

    @property
    def recommendation_ids(self) -> list[int]:
        return [r.id for r in self.recommendations]

    @property
    def theme_codes(self) -> list[str]:
        return [t.code for t in self.themes]
