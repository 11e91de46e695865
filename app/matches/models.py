from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.assistance_requests.models import AssistanceRequest
from app.db.base import Base, JSONType, VersionedMixin, str_enum
from app.offers.models import Offer


class MatchStatus(enum.StrEnum):
    suggested = "suggested"
    proposed = "proposed"
    agreed = "agreed"
    declined = "declined"
    rejected = "rejected"


# Matches that hold one of an offer's places: proposed to the parties, or agreed.
HOLDING_CAPACITY = (MatchStatus.proposed, MatchStatus.agreed)
# Suggestions are internal to OHCHR until staff propose them to both parties.
SHOWN_TO_PARTIES = (MatchStatus.proposed, MatchStatus.agreed, MatchStatus.declined)


class PartyDecision(enum.StrEnum):
    pending = "pending"
    accepted = "accepted"
    declined = "declined"


class Party(enum.StrEnum):
    state = "state"
    provider = "provider"


class Match(VersionedMixin, Base):
    __tablename__ = "matches"
    __table_args__ = (
        sa.UniqueConstraint("request_id", "offer_id"),
        sa.CheckConstraint("score >= 0 AND score <= 1", name="score_range"),
        sa.Index("ix_matches_offer_id", "offer_id"),
        sa.Index("ix_matches_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # No cascade: a request or offer with match history is withdrawn or closed, not deleted.
    request_id: Mapped[int] = mapped_column(sa.ForeignKey("assistance_requests.id"))
    offer_id: Mapped[int] = mapped_column(sa.ForeignKey("offers.id"))
    score: Mapped[float] = mapped_column(default=0.0)
    score_components: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    explanation: Mapped[str] = mapped_column(sa.Text, default="")
    # The run's reasons as codes and parameters ([{"code", "params"}], matching.scoring.Reason),
    # worded in each reader's language by app/matches/reasons.py; empty for matches made by hand.
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    status: Mapped[MatchStatus] = mapped_column(
        str_enum(MatchStatus), default=MatchStatus.suggested
    )
    state_decision: Mapped[PartyDecision] = mapped_column(
        str_enum(PartyDecision, "state_decision"), default=PartyDecision.pending
    )
    provider_decision: Mapped[PartyDecision] = mapped_column(
        str_enum(PartyDecision, "provider_decision"), default=PartyDecision.pending
    )
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(sa.Text)
    decided_at: Mapped[datetime | None]

    request: Mapped[AssistanceRequest] = relationship()
    offer: Mapped[Offer] = relationship()

    @property
    def state_iso3(self) -> str:
        return self.request.state_iso3

    @property
    def request_title(self) -> str:
        return self.request.title

    @property
    def offer_title(self) -> str:
        return self.offer.title

    @property
    def provider_id(self) -> int:
        return self.offer.organization_id

    @property
    def provider_name(self) -> str:
        return self.offer.organization.name
