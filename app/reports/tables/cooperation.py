"""The year's requests, offers, matches and activities by status, region, theme and provider,
and the time from request to agreed match."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from app.activities.models import ActivityStatus
from app.assistance_requests.models import RequestStatus
from app.core.i18n import N_
from app.matches.models import MatchStatus
from app.offers.models import Offer, OfferStatus
from app.organizations.models import OrganizationType
from app.reports.cells import median
from app.reports.labels import ALL_REGIONS, Labels, region_order
from app.reports.schemas import CellValue, Table
from app.reports.scope import YearRecords

NO_PROVIDER = N_("(no provider named)")

PROVIDER_TYPES: dict[OrganizationType, str] = {
    OrganizationType.state: N_("State"),
    OrganizationType.un_entity: N_("UN entity"),
    OrganizationType.regional_org: N_("Regional organisation"),
    OrganizationType.nhri: N_("National human rights institution"),
    OrganizationType.cso: N_("Civil society organisation"),
    OrganizationType.academic: N_("Academia"),
    OrganizationType.private: N_("Private sector"),
    OrganizationType.other: N_("Other"),
}


RECORD_KINDS = (N_("Assistance requests"), N_("Offers"), N_("Matches"), N_("Activities"))


def status_table(records: YearRecords) -> Table:
    rows: list[list[CellValue]] = []
    kinds: list[tuple[str, Iterable[str], Iterable[object]]] = [
        (N_("Assistance requests"), RequestStatus, (r.status for r in records.requests)),
        (N_("Offers"), OfferStatus, (o.status for o in records.offers)),
        (N_("Matches"), MatchStatus, (m.status for m in records.matches)),
        (N_("Activities"), ActivityStatus, (a.status for a in records.activities)),
    ]
    for kind, statuses, found in kinds:
        counts = Counter(found)
        rows.extend([kind, str(status), counts[status]] for status in statuses)
    return Table(
        name="by_status",
        title=N_("Requests, offers, matches and activities by status"),
        note=N_("Records of the year (see the scope), by their current status."),
        columns=[N_("Record"), N_("Status"), N_("Count")],
        rows=rows,
    )


def region_table(records: YearRecords, labels: Labels, members: dict[str, frozenset[str]]) -> Table:
    """`members`: the States of each region or group an offer may name."""
    counts = _tally(
        ([labels.region(r.state_iso3)] for r in records.requests),
        (_offer_regions(o, labels, members) for o in records.offers),
        ([labels.region(m.request.state_iso3)] for m in records.matches),
        ([labels.region(a.state_iso3)] for a in records.activities),
    )
    regions = sorted(set(labels.regions()) | set(counts), key=region_order)
    return Table(
        name="by_region",
        title=N_("Requests, offers, matches and activities by region"),
        note=N_(
            "By the M49 region of the State concerned. An offer counts in every region where "
            "it can work (the countries, regions and groups it names; a global offer in all)."
        ),
        columns=[
            N_("Region"),
            N_("Assistance requests"),
            N_("Offers"),
            N_("Matches"),
            N_("Activities"),
        ],
        rows=[[region, *counts[region]] for region in regions],
    )


def _offer_regions(offer: Offer, labels: Labels, members: dict[str, frozenset[str]]) -> set[str]:
    """M49 regions where an offer can work: its countries, the members of the regions and
    groups it names; a global offer everywhere."""
    if offer.is_global:
        return set(labels.region_of.values())
    states = {c.iso3 for c in offer.countries}
    for region in offer.regions:
        states |= members.get(region.code, frozenset())
    return {labels.region(iso3) for iso3 in states}


def theme_table(records: YearRecords, labels: Labels) -> Table:
    counts = _tally(
        (labels.themes(r.theme_codes) for r in records.requests),
        (labels.themes(o.theme_codes) for o in records.offers),
        (labels.themes(m.request.theme_codes) for m in records.matches),
        (labels.themes(a.theme_codes) for a in records.activities),
    )
    ordered = sorted(counts.items(), key=lambda kv: (-sum(kv[1]), kv[0]))
    return Table(
        name="by_theme",
        title=N_("Requests, offers, matches and activities by theme"),
        note=N_(
            "A record counts once in each of its themes, so a column adds up to more than "
            "the number of records. Matches take the themes of their request."
        ),
        columns=[
            N_("Theme"),
            N_("Assistance requests"),
            N_("Offers"),
            N_("Matches"),
            N_("Activities"),
        ],
        rows=[[theme, *values] for theme, values in ordered],
    )


def provider_type_table(records: YearRecords) -> Table:
    counts = _tally(
        ([PROVIDER_TYPES[o.organization.type]] for o in records.offers),
        ([PROVIDER_TYPES[m.offer.organization.type]] for m in records.matches),
        (
            {PROVIDER_TYPES[org.type] for org in a.providers} or {NO_PROVIDER}
            for a in records.activities
        ),
    )
    listed = list(PROVIDER_TYPES.values()) + ([NO_PROVIDER] if NO_PROVIDER in counts else [])
    return Table(
        name="by_provider_type",
        title=N_("Offers, matches and activities by type of provider"),
        note=N_(
            "An activity with providers of several types counts once for each type; "
            "matches take the type of the offer's provider."
        ),
        columns=[N_("Provider type"), N_("Offers"), N_("Matches"), N_("Activities")],
        rows=[[label, *counts[label]] for label in listed],
    )


def _tally(*columns: Iterable[Iterable[str]]) -> defaultdict[str, list[int]]:
    """Key -> one count per column: how many of the column's records fall under the key. A
    record may fall under several keys (its themes, the regions where an offer can work)."""
    counts: defaultdict[str, list[int]] = defaultdict(lambda: [0] * len(columns))
    for column, keys_of_records in enumerate(columns):
        for keys in keys_of_records:
            for key in keys:
                counts[key][column] += 1
    return counts


def agreement_table(records: YearRecords, labels: Labels) -> Table:
    by_region: defaultdict[str, list[float]] = defaultdict(list)
    for agreement in records.agreements:
        by_region[labels.region(agreement.match.request.state_iso3)].append(agreement.days)
    rows: list[list[CellValue]] = [
        [region, len(days), median(days)]
        for region, days in sorted(by_region.items(), key=lambda kv: region_order(kv[0]))
    ]
    every = [agreement.days for agreement in records.agreements]
    rows.append([ALL_REGIONS, len(every), median(every)])
    return Table(
        name="time_to_agreement",
        title=N_("Time from request to agreed match"),
        note=N_(
            "Matches agreed (both parties accepted) in %(year)s: days from the "
            "request's entry in the repository to the agreement, median by region of the "
            "requesting State."
        )
        % {"year": records.year.year},
        columns=[N_("Region"), N_("Agreed matches"), N_("Median days")],
        rows=rows,
    )
