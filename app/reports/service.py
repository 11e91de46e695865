"""The annual report on the repository (Human Rights Council resolution 54/28, para 14).

One function builds one plain `AnnualReport` (tables and a short narrative); every format
(`app.reports.render`) is drawn from that object, so the figures are the same in all of them.

Which records a year counts (also stated in the report itself, `SCOPE`):
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

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from app.activities.models import LIVE_ACTIVITY_STATUSES, Activity, ActivityStatus
from app.assistance_requests.models import (
    LIVE_REQUEST_STATUSES,
    AssistanceRequest,
    RequestStatus,
)
from app.core.errors import InvalidInput
from app.db.base import utcnow
from app.matches.models import Match, MatchStatus
from app.offers.models import LIVE_OFFER_STATUSES, Offer, OfferStatus
from app.organizations.models import OrganizationType
from app.pairing import service as matching
from app.recommendations.models import Position
from app.reference.models import RegionKind
from app.reports import repository
from app.reports.schemas import AnnualReport, CellValue, Table
from matching.duplication import UNKNOWN_REGION, UNTAGGED, DuplicationFlag, Engagement, GapRow

FIRST_YEAR = 2008
"""The first UPR session."""

UNASSIGNED = "Unassigned"
NO_THEME = "(no theme)"
NO_PROVIDER = "(no provider named)"
ALL_REGIONS = "All regions"

PROVIDER_TYPES: dict[OrganizationType, str] = {
    OrganizationType.state: "State",
    OrganizationType.un_entity: "UN entity",
    OrganizationType.regional_org: "Regional organisation",
    OrganizationType.nhri: "National human rights institution",
    OrganizationType.cso: "Civil society organisation",
    OrganizationType.academic: "Academia",
    OrganizationType.private: "Private sector",
    OrganizationType.other: "Other",
}

TABLE_NAMES = (
    "summary",
    "recommendations",
    "coverage",
    "by_status",
    "by_region",
    "by_theme",
    "by_provider_type",
    "time_to_agreement",
    "unmet_demand",
    "duplication",
    "duplication_details",
    "published_requests",
    "published_activities",
)
"""The report's tables, in order (sheets of the XLSX, files of the CSV ZIP)."""

SCOPE = [
    "Recommendations: the stock in the repository at the end of the year.",
    "Requests, offers and activities: entered during the year, or entered earlier with a declared "
    "period that overlaps the year (a period with no end stays open only while the record is "
    "live: a request open, matched or in progress, an offer active or paused, an activity "
    "planned or ongoing).",
    "Matches: entered or decided during the year.",
    "Statuses are those at the time the report is generated.",
    "Unmet demand is as at the time the report is generated; duplication flags are those whose "
    "overlap falls in the year.",
    "Counts include every record; details about an individual request or activity appear only "
    "where the State consented to publish them.",
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
        finish = end if end is not None else (None if live else begin)
        return begin <= self.last and (finish is None or finish >= self.first)


def build_annual_report(
    session: Session, year: int, *, now: datetime | None = None
) -> AnnualReport:
    now = now or utcnow()
    if year < FIRST_YEAR:
        raise InvalidInput(f"the UPR began in {FIRST_YEAR}: no report for {year}", field="year")
    if year > now.year:
        raise InvalidInput(f"the year {year} has not begun", field="year")
    return _Builder(session, Year(year), now).build()


class _Builder:
    def __init__(self, session: Session, year: Year, now: datetime) -> None:
        self.session = session
        self.year = year
        self.now = now
        self.region_of = repository.region_of_states(session)
        self.theme_label = repository.theme_labels(session)
        self.country = repository.country_names(session)
        until = year.until
        self.requests = [
            r
            for r in repository.requests_until(session, until)
            if year.holds(
                r.created_at, r.period_start, r.period_end, live=r.status in LIVE_REQUEST_STATUSES
            )
        ]
        self.offers = [
            o
            for o in repository.offers_until(session, until)
            if year.holds(
                o.created_at, o.period_start, o.period_end, live=o.status in LIVE_OFFER_STATUSES
            )
        ]
        all_matches = repository.matches_until(session, until)
        self.matches = [
            m for m in all_matches if year.contains(m.created_at) or year.contains(m.decided_at)
        ]
        agreed_at = repository.agreement_times(session)
        self.agreed: list[tuple[Match, datetime]] = [
            (m, when)
            for m in all_matches
            if m.status == MatchStatus.agreed
            and (when := agreed_at.get(m.id, m.decided_at)) is not None
            and year.contains(when)
        ]
        self.activities = [
            a
            for a in repository.activities_until(session, until)
            if year.holds(
                a.created_at, a.period_start, a.period_end, live=a.status in LIVE_ACTIVITY_STATUSES
            )
        ]

    # --- helpers ----------------------------------------------------------------------------
    def region(self, iso3: str) -> str:
        return self.region_of.get(iso3, UNASSIGNED)

    def regions(self) -> list[str]:
        return sorted(set(self.region_of.values()))

    def themes(self, codes: Iterable[str]) -> list[str]:
        labels = [self.theme_label.get(code, code) for code in codes]
        return labels or [NO_THEME]

    def offer_regions(self, offer: Offer, members: dict[str, frozenset[str]]) -> set[str]:
        """M49 regions where an offer can work: its countries, the members of the regions and
        groups it names; a global offer everywhere."""
        if offer.is_global:
            return set(self.region_of.values())
        states = {c.iso3 for c in offer.countries}
        for region in offer.regions:
            states |= members.get(region.code, frozenset())
        return {self.region(iso3) for iso3 in states}

    # --- tables -----------------------------------------------------------------------------
    def build(self) -> AnnualReport:
        stock = repository.recommendation_stock(self.session, self.year.until)
        coverage = repository.supported_coverage(self.session, self.year.until)
        gaps = matching.gaps(self.session, RegionKind.m49_region)
        flags = [f for f in matching.duplications(self.session) if self._overlaps_year(f)]
        tables = [
            self.recommendations_table(stock),
            self.coverage_table(coverage),
            self.status_table(),
            self.region_table(),
            self.theme_table(),
            self.provider_type_table(),
            self.agreement_table(),
            self.unmet_demand_table(gaps),
            self.duplication_table(flags),
            self.duplication_details_table(flags),
            self.published_requests_table(),
            self.published_activities_table(),
        ]
        figures = self.figures(stock, coverage, gaps, flags)
        summary = Table(
            name="summary",
            title="Key figures",
            note=f"For {self.year.year}; see each table for how its figures are counted.",
            columns=["Figure", "Value"],
            rows=[[label, value] for label, value in figures.items()],
        )
        return AnnualReport(
            title=(
                "Technical cooperation for implementing UPR recommendations: "
                f"annual report {self.year.year}"
            ),
            year=self.year.year,
            period_start=self.year.first,
            period_end=self.year.last,
            generated_at=self.now,
            scope=SCOPE,
            narrative=self.narrative(figures, gaps),
            tables=[summary, *tables],
        )

    def recommendations_table(self, stock: Sequence[repository.StockRow]) -> Table:
        cells: defaultdict[tuple[str, int], Counter[Position]] = defaultdict(Counter)
        for row in stock:
            cells[(row.region or UNASSIGNED, row.cycle)][row.position] += row.count
        rows: list[list[CellValue]] = [
            [
                region,
                cycle,
                sum(counts.values()),
                counts[Position.supported],
                counts[Position.noted],
                counts[Position.pending],
            ]
            for (region, cycle), counts in sorted(cells.items(), key=_region_key)
        ]
        return Table(
            name="recommendations",
            title="Recommendations in the repository by cycle and region",
            note=(
                f"Stock at the end of {self.year.year}, by the M49 region of the State under "
                "review. Pending: taken from a Working Group report before the State's position."
            ),
            columns=["Region", "Cycle", "Recommendations", "Supported", "Noted", "Pending"],
            rows=rows,
        )

    def coverage_table(self, coverage: Sequence[repository.CoverageRow]) -> Table:
        merged: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        for row in coverage:
            cell = merged[row.region or UNASSIGNED]
            for i, value in enumerate((row.supported, row.by_request, row.by_activity, row.either)):
                cell[i] += value
        rows: list[list[CellValue]] = []
        for region, values in sorted(merged.items(), key=lambda kv: _region_order(kv[0])):
            rows.append([region, *values, _share(values[3], values[0])])
        totals = [sum(values[i] for values in merged.values()) for i in range(4)]
        rows.append([ALL_REGIONS, *totals, _share(totals[3], totals[0])])
        return Table(
            name="coverage",
            title="Supported recommendations covered by a request or an activity",
            note=(
                f"Supported recommendations in the repository at the end of {self.year.year}, "
                "and those named by an assistance request (past draft, not withdrawn) or an "
                "activity (not cancelled) entered by then."
            ),
            columns=[
                "Region",
                "Supported recommendations",
                "Covered by a request",
                "Covered by an activity",
                "Covered by either",
                "Share covered (%)",
            ],
            rows=rows,
        )

    def status_table(self) -> Table:
        rows: list[list[CellValue]] = []
        kinds: list[tuple[str, Iterable[str], Iterable[object]]] = [
            ("Assistance requests", RequestStatus, (r.status for r in self.requests)),
            ("Offers", OfferStatus, (o.status for o in self.offers)),
            ("Matches", MatchStatus, (m.status for m in self.matches)),
            ("Activities", ActivityStatus, (a.status for a in self.activities)),
        ]
        for kind, statuses, found in kinds:
            counts = Counter(found)
            rows.extend([kind, str(status), counts[status]] for status in statuses)
        return Table(
            name="by_status",
            title="Requests, offers, matches and activities by status",
            note="Records of the year (see the scope), by their current status.",
            columns=["Record", "Status", "Count"],
            rows=rows,
        )

    def region_table(self) -> Table:
        members = repository.region_members_of(self.session)
        counts: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        for request in self.requests:
            counts[self.region(request.state_iso3)][0] += 1
        for offer in self.offers:
            for region in self.offer_regions(offer, members):
                counts[region][1] += 1
        for match in self.matches:
            counts[self.region(match.request.state_iso3)][2] += 1
        for activity in self.activities:
            counts[self.region(activity.state_iso3)][3] += 1
        regions = sorted(set(self.regions()) | set(counts), key=_region_order)
        return Table(
            name="by_region",
            title="Requests, offers, matches and activities by region",
            note=(
                "By the M49 region of the State concerned. An offer counts in every region where "
                "it can work (the countries, regions and groups it names; a global offer in all)."
            ),
            columns=["Region", "Assistance requests", "Offers", "Matches", "Activities"],
            rows=[[region, *counts[region]] for region in regions],
        )

    def theme_table(self) -> Table:
        counts: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        for request in self.requests:
            for theme in self.themes(request.theme_codes):
                counts[theme][0] += 1
        for offer in self.offers:
            for theme in self.themes(offer.theme_codes):
                counts[theme][1] += 1
        for match in self.matches:
            for theme in self.themes(match.request.theme_codes):
                counts[theme][2] += 1
        for activity in self.activities:
            for theme in self.themes(activity.theme_codes):
                counts[theme][3] += 1
        ordered = sorted(counts.items(), key=lambda kv: (-sum(kv[1]), kv[0]))
        return Table(
            name="by_theme",
            title="Requests, offers, matches and activities by theme",
            note=(
                "A record counts once in each of its themes, so a column adds up to more than "
                "the number of records. Matches take the themes of their request."
            ),
            columns=["Theme", "Assistance requests", "Offers", "Matches", "Activities"],
            rows=[[theme, *values] for theme, values in ordered],
        )

    def provider_type_table(self) -> Table:
        counts: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for offer in self.offers:
            counts[PROVIDER_TYPES[offer.organization.type]][0] += 1
        for match in self.matches:
            counts[PROVIDER_TYPES[match.offer.organization.type]][1] += 1
        for activity in self.activities:
            types = {PROVIDER_TYPES[org.type] for org in activity.providers} or {NO_PROVIDER}
            for label in types:
                counts[label][2] += 1
        labels = list(PROVIDER_TYPES.values()) + ([NO_PROVIDER] if NO_PROVIDER in counts else [])
        return Table(
            name="by_provider_type",
            title="Offers, matches and activities by type of provider",
            note=(
                "An activity with providers of several types counts once for each type; "
                "matches take the type of the offer's provider."
            ),
            columns=["Provider type", "Offers", "Matches", "Activities"],
            rows=[[label, *counts[label]] for label in labels],
        )

    def agreement_days(self) -> list[tuple[str, float]]:
        return [
            (
                self.region(match.request.state_iso3),
                (when - match.request.created_at).total_seconds() / 86_400,
            )
            for match, when in self.agreed
        ]

    def agreement_table(self) -> Table:
        by_region: defaultdict[str, list[float]] = defaultdict(list)
        days = self.agreement_days()
        for region, value in days:
            by_region[region].append(value)
        rows: list[list[CellValue]] = [
            [region, len(values), _median(values)]
            for region, values in sorted(by_region.items(), key=lambda kv: _region_order(kv[0]))
        ]
        rows.append([ALL_REGIONS, len(days), _median([value for _, value in days])])
        return Table(
            name="time_to_agreement",
            title="Time from request to agreed match",
            note=(
                f"Matches agreed (both parties accepted) in {self.year.year}: days from the "
                "request's entry in the repository to the agreement, median by region of the "
                "requesting State."
            ),
            columns=["Region", "Agreed matches", "Median days"],
            rows=rows,
        )

    def unmet_demand_table(self, gaps: Sequence[GapRow]) -> Table:
        return Table(
            name="unmet_demand",
            title="Unmet demand by theme and region",
            note=(
                "Open requests and supported recommendations no request names yet, that no "
                "active offer with places left could serve (none covers the State on any of the "
                "need's themes), as at the time the report is generated. A need counts once in "
                "each of its themes."
            ),
            columns=["Theme", "Region", "Needs", "Assistance requests", "Recommendations"],
            rows=[
                [
                    self.gap_theme(row.theme),
                    UNASSIGNED if row.region == UNKNOWN_REGION else row.region,
                    row.needs,
                    row.requests,
                    row.recommendations,
                ]
                for row in gaps
            ],
        )

    def gap_theme(self, code: str) -> str:
        return NO_THEME if code == UNTAGGED else self.theme_label.get(code, code)

    def _overlaps_year(self, flag: DuplicationFlag) -> bool:
        start, end = flag.overlap_start, flag.overlap_end
        return (start is None or start <= self.year.last) and (
            end is None or end >= self.year.first
        )

    def duplication_table(self, flags: Sequence[DuplicationFlag]) -> Table:
        counts = Counter(
            (self.region(flag.state), self.theme_label.get(flag.theme, flag.theme))
            for flag in flags
        )
        ordered = sorted(counts.items(), key=lambda kv: (-kv[1], _region_order(kv[0][0]), kv[0]))
        return Table(
            name="duplication",
            title="Possible duplication by region and theme",
            note=(
                "Active offers naming the State and planned or ongoing activities of different "
                "providers for the same State and theme, whose periods overlap during the year."
            ),
            columns=["Region", "Theme", "Flags"],
            rows=[[region, theme, count] for (region, theme), count in ordered],
        )

    def duplication_details_table(self, flags: Sequence[DuplicationFlag]) -> Table:
        consent = repository.activity_consent(self.session)
        names = repository.organization_names(self.session)

        def published(item: Engagement) -> bool:
            return item.kind == "offer" or consent.get(item.id, False)

        def label(item: Engagement) -> str:
            provider = names.get(item.provider_id)
            return f"{item.kind} {item.id}" + (f" ({provider})" if provider else "")

        rows: list[list[CellValue]] = [
            [
                self.country.get(flag.state, flag.state),
                self.theme_label.get(flag.theme, flag.theme),
                label(flag.first),
                label(flag.second),
                _iso(flag.overlap_start),
                _iso(flag.overlap_end),
            ]
            for flag in flags
            if published(flag.first) and published(flag.second)
        ]
        return Table(
            name="duplication_details",
            title="Possible duplication: published engagements",
            note=(
                "The flags above whose activities the State consented to publish (offers are "
                "public while active); the others are counted above but not described."
            ),
            columns=["State", "Theme", "First", "Second", "Overlap from", "Overlap to"],
            rows=rows,
        )

    def published_requests_table(self) -> Table:
        rows: list[list[CellValue]] = [
            [
                self.country.get(r.state_iso3, r.state_iso3),
                r.title,
                str(r.status),
                "; ".join(self.themes(r.theme_codes)),
                _iso(r.created_at.astimezone(UTC).date()),
            ]
            for r in self._published_requests()
        ]
        return Table(
            name="published_requests",
            title="Assistance requests published with the State's consent",
            note="Requests of the year past draft whose State consented to publish them.",
            columns=["State", "Title", "Status", "Themes", "Entered"],
            rows=rows,
        )

    def _published_requests(self) -> list[AssistanceRequest]:
        return sorted(
            (r for r in self.requests if r.is_published),
            key=lambda r: (self.country.get(r.state_iso3, r.state_iso3), r.id),
        )

    def published_activities_table(self) -> Table:
        rows: list[list[CellValue]] = [
            [
                self.country.get(a.state_iso3, a.state_iso3),
                a.title,
                str(a.status),
                "; ".join(org.name for org in a.providers),
                _iso(a.period_start),
                _iso(a.period_end),
                "; ".join(self.themes(a.theme_codes)),
            ]
            for a in self._published_activities()
        ]
        return Table(
            name="published_activities",
            title="Activities published with the State's consent",
            note="Activities of the year whose State consented to publish them.",
            columns=["State", "Title", "Status", "Providers", "Start", "End", "Themes"],
            rows=rows,
        )

    def _published_activities(self) -> list[Activity]:
        return sorted(
            (a for a in self.activities if a.consent_to_publish),
            key=lambda a: (self.country.get(a.state_iso3, a.state_iso3), a.id),
        )

    # --- key figures and narrative ----------------------------------------------------------
    def figures(
        self,
        stock: Sequence[repository.StockRow],
        coverage: Sequence[repository.CoverageRow],
        gaps: Sequence[GapRow],
        flags: Sequence[DuplicationFlag],
    ) -> dict[str, CellValue]:
        supported = sum(row.supported for row in coverage)
        covered = sum(row.either for row in coverage)
        return {
            "Recommendations in the repository at year end": sum(row.count for row in stock),
            "Supported recommendations at year end": supported,
            "Assistance requests": len(self.requests),
            "Offers": len(self.offers),
            "Matches": len(self.matches),
            "Matches agreed in the year": len(self.agreed),
            "Activities": len(self.activities),
            "Supported recommendations covered by a request or an activity": covered,
            "Share of supported recommendations covered (%)": _share(covered, supported),
            "Median days from request to agreed match": _median(
                [days for _, days in self.agreement_days()]
            ),
            "Themes with unmet demand": len({row.theme for row in gaps}),
            "Possible duplication flags": len(flags),
            "Requests published with consent": len(self._published_requests()),
            "Activities published with consent": len(self._published_activities()),
        }

    def narrative(self, figures: dict[str, CellValue], gaps: Sequence[GapRow]) -> list[str]:
        y = self.year.year
        f = figures
        text = [
            f"At the end of {y} the repository held "
            f"{_n(f['Recommendations in the repository at year end'], 'UPR recommendation')}, "
            f"{_num(f['Supported recommendations at year end'])} of them supported by the State "
            "under review.",
            f"In {y}, the repository recorded {_n(f['Assistance requests'], 'assistance request')}"
            f", {_n(f['Offers'], 'offer')} of technical cooperation, {_n(f['Matches'], 'match')} "
            f"and {_n(f['Activities'], 'activity')}.",
        ]
        share = f["Share of supported recommendations covered (%)"]
        if share is not None:
            text.append(
                f"{_num(f['Supported recommendations covered by a request or an activity'])} "
                f"supported recommendations ({share}%) are covered by at least one assistance "
                "request or activity."
            )
        agreed = f["Matches agreed in the year"]
        if agreed:
            text.append(
                f"{_n(agreed, 'match')} {'was' if agreed == 1 else 'were'} agreed in "
                f"{y}; the median time from a State's request to the agreed match was "
                f"{f['Median days from request to agreed match']} days."
            )
        else:
            text.append(f"No match was agreed in {y}.")
        by_theme: Counter[str] = Counter()
        for row in gaps:
            by_theme[self.gap_theme(row.theme)] += row.needs
        top = sorted(by_theme.items(), key=lambda kv: (-kv[1], kv[0]))[:2]
        if top:
            listed = " and ".join(f"{theme} ({_n(n, 'need')})" for theme, n in top)
            text.append(
                f"Unmet demand, needs that no current offer could serve, is largest for {listed}."
            )
        else:
            text.append("Every open need has at least one offer that could serve it.")
        flags = f["Possible duplication flags"]
        text.append(
            f"{_n(flags, 'possible duplication')} (different providers for the same State and "
            f"theme at the same time) {'was' if flags == 1 else 'were'} flagged for review."
            if flags
            else "No duplication between providers was flagged."
        )
        requests = _n(f["Requests published with consent"], "request")
        activities = _n(f["Activities published with consent"], "activity")
        text.append(
            "Counts include every record; details about individual States are given only where "
            f"the State consented to publish them ({requests} and {activities})."
        )
        return text


# --- small helpers ------------------------------------------------------------------------------
def _region_order(region: str) -> tuple[int, str]:
    return (region in (UNASSIGNED, ALL_REGIONS), region)


def _region_key(item: tuple[tuple[str, int], object]) -> tuple[tuple[int, str], int]:
    (region, cycle), _ = item
    return (_region_order(region), cycle)


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _median(values: Sequence[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _num(value: CellValue) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def _n(value: CellValue, singular: str, plural: str | None = None) -> str:
    if plural is None:
        if singular.endswith("y"):
            plural = singular[:-1] + "ies"
        elif singular.endswith(("ch", "sh", "s", "x")):
            plural = singular + "es"
        else:
            plural = singular + "s"
    return f"{_num(value)} {singular if value == 1 else plural}"
