from __future__ import annotations

import enum
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.base import Base, VersionedMixin, str_enum
from app.db.links import CODE, link_table
from app.recommendations.models import Recommendation
from app.reference.models import AssistanceType, Language, Theme


class RequestStatus(enum.StrEnum):
    draft = "draft"
    open = "open"
    matched = "matched"
    in_progress = "in_progress"
    completed = "completed"
    withdrawn = "withdrawn"


# A State sets these itself; "matched" and "in_progress" follow from the matching workflow.
STATE_SETTABLE_STATUSES = frozenset(
    {RequestStatus.draft, RequestStatus.open, RequestStatus.withdrawn, RequestStatus.completed}
)
LIVE_REQUEST_STATUSES = frozenset(
    {RequestStatus.open, RequestStatus.matched, RequestStatus.in_progress}
)
"""A request still being worked on: the annual report keeps its open-ended period open."""


request_recommendations = link_table(
    "request_recommendations",
    "request_id",
    "assistance_requests.id",
    "recommendation_id",
    "recommendations.id",
    sa.Integer(),
)
request_themes = link_table(
    "request_themes", "request_id", "assistance_requests.id", "theme_code", "themes.code", CODE
)
request_assistance_types = link_table(
    "request_assistance_types",
    "request_id",
    "assistance_requests.id",
    "assistance_type_code",
    "assistance_types.code",
    CODE,
)
request_languages = link_table(
    "request_languages",
    "request_id",
    "assistance_requests.id",
    "language_code",
    "languages.code",
    CODE,
)


class ThemeSource(enum.StrEnum):
    """Where a request's theme came from."""

    state = "state"  # the State named it
    text = "text"  # the tagger inferred it from the request's title and description
    recommendation = "recommendation"  # a linked recommendation: its themes, or its text


class RequestThemeOrigin(Base):
    """A theme inferred for a request, and from what: kept whether or not the State confirmed it
    (confirmed themes are `request_themes`), recomputed when the text or the links change."""

    __tablename__ = "request_theme_origins"

    request_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assistance_requests.id", ondelete="CASCADE"), primary_key=True
    )
    theme_code: Mapped[str] = mapped_column(CODE, sa.ForeignKey("themes.code"), primary_key=True)
    source: Mapped[ThemeSource] = mapped_column(str_enum(ThemeSource), primary_key=True)
    # The tagger's score; None for a theme a linked recommendation carries itself.
    score: Mapped[float | None]

    theme: Mapped[Theme] = relationship(lazy="joined")


class AssistanceRequest(VersionedMixin, Base):
    __tablename__ = "assistance_requests"
    __table_args__ = (
        sa.CheckConstraint(
            "period_end IS NULL OR period_start IS NULL OR period_end >= period_start",
            name="period_order",
        ),
        sa.Index("ix_assistance_requests_state_status", "state_iso3", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    state_iso3: Mapped[str] = mapped_column(sa.ForeignKey("countries.iso3"))
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    period_start: Mapped[date | None]
    period_end: Mapped[date | None]
    consent_to_publish: Mapped[bool] = mapped_column(default=False)
    status: Mapped[RequestStatus] = mapped_column(
        str_enum(RequestStatus), default=RequestStatus.draft
    )
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    recommendations: Mapped[list[Recommendation]] = relationship(
        secondary=request_recommendations, order_by=Recommendation.id
    )
    themes: Mapped[list[Theme]] = relationship(secondary=request_themes, order_by=Theme.code)
    assistance_types: Mapped[list[AssistanceType]] = relationship(
        secondary=request_assistance_types, order_by=AssistanceType.code
    )
    languages: Mapped[list[Language]] = relationship(
        secondary=request_languages, order_by=Language.code
    )
    theme_origins: Mapped[list[RequestThemeOrigin]] = relationship(
        cascade="all, delete-orphan",
        order_by=(RequestThemeOrigin.theme_code, RequestThemeOrigin.source),
    )

    @property
    def recommendation_ids(self) -> list[int]:
        return [r.id for r in self.recommendations]

    @property
    def theme_codes(self) -> list[str]:
        return [t.code for t in self.themes]

    def _best_origins(self) -> dict[str, RequestThemeOrigin]:
        """Per theme, its best evidence: a linked recommendation's own theme, then the tagger
        on a linked recommendation's text, then on the request's own text (best score first)."""
        rank = {ThemeSource.state: 0, ThemeSource.recommendation: 1, ThemeSource.text: 2}

        def strength(origin: RequestThemeOrigin) -> tuple[int, bool, float]:
            return (rank[origin.source], origin.score is not None, -(origin.score or 0.0))

        best: dict[str, RequestThemeOrigin] = {}
        for origin in sorted(self.theme_origins, key=strength):
            best.setdefault(origin.theme_code, origin)
        return best

    @property
    def theme_sources(self) -> list[dict[str, object]]:
        """Every theme of the request, confirmed or inferred, with where it came from."""
        confirmed = set(self.theme_codes)
        best = self._best_origins()
        out: list[dict[str, object]] = []
        for code in sorted(confirmed | set(best)):
            found = best.get(code)
            out.append(
                {
                    "theme": code,
                    "source": found.source if found is not None else ThemeSource.state,
                    "confirmed": code in confirmed,
                    "score": found.score if found is not None else None,
                }
            )
        return out

    @property
    def unconfirmed_origins(self) -> list[RequestThemeOrigin]:
        """The inferred themes the State has not confirmed, one per theme, by theme code."""
        confirmed = set(self.theme_codes)
        best = self._best_origins()
        return [best[code] for code in sorted(best) if code not in confirmed]

    @property
    def assistance_type_codes(self) -> list[str]:
        return [t.code for t in self.assistance_types]

    @property
    def language_codes(self) -> list[str]:
        return [lang.code for lang in self.languages]

    @property
    def is_published(self) -> bool:
        return self.consent_to_publish and self.status != RequestStatus.draft
