"""The scope of the annual report: which records a year counts.

The rules (also stated in the report itself, `SCOPE`):
- recommendations: the stock in the repository at the end of the year (entered before 1 January
  of the next year), whatever their session;
- requests, offers and activities: entered by the end of the year and either entered during it
  or with a declared period (`period_start`-`period_end`) that overlaps it. A period with no end
  stays open while the record is live (a request open, matched or in progress; an offer active
  or paused; an activity planned or ongoing), otherwise it ends where it starts; a period with no
  start starts when the record was entered;
- matches: entered or decided during the year;
- statuses are the current ones (the repository keeps the history in the audit log only);
- unmet demand and coverage by offers are as at the moment the report is generated (offers'
  past coverage is not kept); duplication flags are those whose overlap falls in the year.

Privacy: every count includes every record; rows that describe one request or activity (its
title, its State) appear only where the State consented to publish it, and a request past draft.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Protocol, TypeVar

from sqlalchemy.orm import Session

from app.activities.models import LIVE_ACTIVITY_STATUSES, Activity
from app.assistance_requests.models import LIVE_REQUEST_STATUSES, AssistanceRequest
from app.core.i18n import N_
from app.matches.models import Match, MatchStatus
from app.offers.models import LIVE_OFFER_STATUSES, Offer
from app.pairing import service as matching
from app.reference.models import RegionKind
from app.reports import repository
from matching.duplication import DuplicationFlag, GapRow

FIRST_YEAR = 2008
"""The first UPR session."""

SCOPE = [
    N_("Recommendations: the stock in the repository at the end of the year."),
    N_(
        "Requests, offers and activities: entered during the year, or entered earlier with a "
        "declared period that overlaps the year (a period with no end stays open only while the "
        "record is "
        "live: a request open, matched or in progress, an offer active or paused, an activity "
        "planned or ongoing)."
    ),
    N_("Matches: entered or decided during the year."),
    N_("Statuses are those at the time the report is generated."),
    N_(
        "Unmet demand is as at the time the report is generated; duplication flags are those whose "
        "overlap falls in the year."
    ),
    N_(
        "Counts include every record; details about an individual request or activity appear only "
        "where the State consented to publish them."
    ),
]


@dataclass(frozen=True)
class Year:
    year: int

    @property
    def first(self) -> date:
        return date(self.year, 1, 1)

    @property
    def last(self) -> date:
        return date(self.year, 12, 31)

    @property
    def until(self) -> datetime:
        """The first instant after the year (UTC), the exclusive bound of 'by year end'."""
        return datetime(self.year + 1, 1, 1, tzinfo=UTC)

    def contains(self, moment: datetime | None) -> bool:
        return moment is not None and moment.astimezone(UTC).date().year == self.year

    def overlaps(self, start: date | None, end: date | None) -> bool:
        """A bound of None leaves the period open on that side."""
        return (start is None or start <= self.last) and (end is None or end >= self.first)

    def holds(self, created: datetime, start: date | None, end: date | None, *, live: bool) -> bool:
        """The year rule for requests, offers and activities (see the module docstring)."""
        entered = created.astimezone(UTC).date()
        if entered > self.last:
            return False
        if entered >= self.first:
            return True
        if start is None and end is None:
            return False
        begin = start or entered
        return self.overlaps(begin, end if end is not None else (None if live else begin))


@dataclass(frozen=True)
class Agreement:
    """A match agreed during the year, at the moment the audit log records."""

    match: Match
    at: datetime

    @property
    def days(self) -> float:
        """From the request's entry in the repository to the agreement."""
        return (self.at - self.match.request.created_at).total_seconds() / 86_400


@dataclass(frozen=True)
class YearRecords:
    """Everything a year's report counts, chosen by the rules of the module docstring."""

    year: Year
    stock: Sequence[repository.StockRow]
    coverage: Sequence[repository.CoverageRow]
    requests: list[AssistanceRequest]
    offers: list[Offer]
    matches: list[Match]
    agreements: list[Agreement]
    activities: list[Activity]
    gaps: Sequence[GapRow]
    flags: list[DuplicationFlag]

    @property
    def published_requests(self) -> list[AssistanceRequest]:
        return [r for r in self.requests if r.is_published]

    @property
    def published_activities(self) -> list[Activity]:
        return [a for a in self.activities if a.consent_to_publish]


def select_year(session: Session, year: Year) -> YearRecords:
    matches = repository.matches_until(session, year.until)
    return YearRecords(
        year=year,
        stock=repository.recommendation_stock(session, year.until),
        coverage=repository.supported_coverage(session, year.until),
        requests=_held(year, repository.requests_until(session, year.until), LIVE_REQUEST_STATUSES),
        offers=_held(year, repository.offers_until(session, year.until), LIVE_OFFER_STATUSES),
        matches=[m for m in matches if year.contains(m.created_at) or year.contains(m.decided_at)],
        agreements=_agreements(session, year, matches),
        activities=_held(
            year, repository.activities_until(session, year.until), LIVE_ACTIVITY_STATUSES
        ),
        gaps=matching.gaps(session, RegionKind.m49_region),
        flags=[
            flag
            for flag in matching.duplications(session)
            if year.overlaps(flag.overlap_start, flag.overlap_end)
        ],
    )


class _Dated(Protocol):
    """A request, an offer or an activity: what the year rule reads of it."""

    @property
    def created_at(self) -> datetime: ...
    @property
    def period_start(self) -> date | None: ...
    @property
    def period_end(self) -> date | None: ...
    @property
    def status(self) -> enum.StrEnum: ...


_Record = TypeVar("_Record", bound=_Dated)


def _held(year: Year, records: Iterable[_Record], live: frozenset[enum.StrEnum]) -> list[_Record]:
    return [
        r
        for r in records
        if year.holds(r.created_at, r.period_start, r.period_end, live=r.status in live)
    ]


def _agreements(session: Session, year: Year, matches: Sequence[Match]) -> list[Agreement]:
    agreed_at = repository.agreement_times(session)
    return [
        Agreement(match, when)
        for match in matches
        if match.status == MatchStatus.agreed
        and (when := agreed_at.get(match.id, match.decided_at)) is not None
        and year.contains(when)
    ]
