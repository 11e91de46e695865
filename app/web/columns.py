"""The columns of the public lists and of the parties' own lists: what each sorts by and what
its export holds (`app.web.listing`)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.activities.models import Activity
from app.assistance_requests.models import AssistanceRequest
from app.offers.models import Offer
from app.organizations.models import Organization
from app.recommendations.models import Recommendation
from app.reference.models import Theme
from app.web import labels
from app.web.labels import N_
from app.web.listing import Cells, Column, Listing, by, in_python, state_name
from app.web.summaries import ThemeCoverage

RECOMMENDATIONS: Listing[Recommendation] = Listing(
    "recommendations",
    N_("Recommendations"),
    [
        Column(
            "state",
            N_("State under review"),
            lambda r, c: c.state(r.state_iso3),
            state_name(Recommendation.state_iso3),
        ),
        Column(
            "cycle",
            N_("UPR cycle"),
            lambda r, _c: r.cycle,
            by(Recommendation.cycle, Recommendation.session),
        ),
        Column("session", N_("Session"), lambda r, _c: r.session, by(Recommendation.session)),
        Column(
            "document",
            N_("Document"),
            lambda r, _c: r.document_symbol,
            by(Recommendation.document_symbol, Recommendation.paragraph),
        ),
        Column("paragraph", N_("Paragraph"), lambda r, _c: r.paragraph),
        Column("text", N_("Recommendation"), lambda r, _c: r.text),
        Column(
            "recommended_by", N_("Recommended by"), lambda r, c: c.labels(r.recommending_states)
        ),
        Column(
            "position",
            N_("Position"),
            lambda r, c: c.choice(labels.POSITION, r.position),
            by(Recommendation.position),
        ),
        Column("themes", N_("Themes"), lambda r, c: c.labels(r.themes)),
        Column(
            "implementation",
            N_("Implementation"),
            lambda r, c: c.choice(labels.IMPLEMENTATION_STATUS, r.implementation_status),
        ),
    ],
    default=None,
    tiebreak=Recommendation.id,
)


def _coverage(offer: Offer, cells: Cells) -> str:
    if offer.is_global:
        return cells._("Anywhere in the world")
    return "; ".join(
        [*(cells.label(c) for c in offer.countries), *(cells.label(r) for r in offer.regions)]
    )


_PROVIDER_NAME = select(Organization.name).where(Organization.id == Offer.organization_id)

OFFERS: Listing[Offer] = Listing(
    "offers",
    N_("Offers of assistance"),
    [
        Column("title", N_("Title"), lambda o, _c: o.title, by(Offer.title)),
        Column(
            "provider",
            N_("Provider"),
            lambda o, _c: o.organization.name,
            by(_PROVIDER_NAME.scalar_subquery()),
        ),
        Column(
            "status",
            N_("Status"),
            lambda o, c: c.choice(labels.OFFER_STATUS, o.status),
            by(Offer.status),
        ),
        Column("coverage", N_("Can work in"), _coverage),
        Column("themes", N_("Themes"), lambda o, c: c.labels(o.themes)),
        Column("assistance", N_("Kinds of assistance"), lambda o, c: c.labels(o.assistance_types)),
        Column("languages", N_("Working languages"), lambda o, c: c.labels(o.languages)),
        Column("start", N_("From"), lambda o, _c: o.period_start, by(Offer.period_start)),
        Column("end", N_("Until"), lambda o, _c: o.period_end, by(Offer.period_end)),
        Column("capacity", N_("Capacity"), lambda o, _c: o.capacity),
        Column("updated", N_("Last changed"), lambda o, _c: o.updated_at, by(Offer.updated_at)),
        Column("description", N_("Description"), lambda o, _c: o.description),
    ],
    default=None,
    tiebreak=Offer.id,
)

REQUESTS: Listing[AssistanceRequest] = Listing(
    "requests",
    N_("Requests for assistance"),
    [
        Column("title", N_("Title"), lambda r, _c: r.title, by(AssistanceRequest.title)),
        Column(
            "state",
            N_("State"),
            lambda r, c: c.state(r.state_iso3),
            state_name(AssistanceRequest.state_iso3),
        ),
        Column(
            "status",
            N_("Status"),
            lambda r, c: c.choice(labels.REQUEST_STATUS, r.status),
            by(AssistanceRequest.status),
        ),
        Column(
            "published",
            N_("Published"),
            lambda r, c: c._("Published") if r.is_published else c._("Not published"),
        ),
        Column("themes", N_("Themes"), lambda r, c: c.labels(r.themes)),
        Column("assistance", N_("Kinds of assistance"), lambda r, c: c.labels(r.assistance_types)),
        Column("languages", N_("Working languages"), lambda r, c: c.labels(r.languages)),
        Column(
            "start", N_("From"), lambda r, _c: r.period_start, by(AssistanceRequest.period_start)
        ),
        Column("end", N_("Until"), lambda r, _c: r.period_end, by(AssistanceRequest.period_end)),
        Column(
            "updated",
            N_("Last changed"),
            lambda r, _c: r.updated_at,
            by(AssistanceRequest.updated_at),
        ),
        Column("description", N_("Description"), lambda r, _c: r.description),
    ],
    default=None,
    tiebreak=AssistanceRequest.id,
)

ACTIVITIES: Listing[Activity] = Listing(
    "activities",
    N_("Activities"),
    [
        Column("title", N_("Title"), lambda a, _c: a.title, by(Activity.title)),
        Column(
            "state",
            N_("State"),
            lambda a, c: c.state(a.state_iso3),
            state_name(Activity.state_iso3),
        ),
        Column(
            "status",
            N_("Status"),
            lambda a, c: c.choice(labels.ACTIVITY_STATUS, a.status),
            by(Activity.status),
        ),
        Column("providers", N_("Providers"), lambda a, _c: "; ".join(p.name for p in a.providers)),
        Column("themes", N_("Themes"), lambda a, c: c.labels(a.themes)),
        Column("start", N_("From"), lambda a, _c: a.period_start, by(Activity.period_start)),
        Column("end", N_("Until"), lambda a, _c: a.period_end, by(Activity.period_end)),
        Column("updated", N_("Last changed"), lambda a, _c: a.updated_at, by(Activity.updated_at)),
        Column("description", N_("Description"), lambda a, _c: a.description),
        Column("outcome", N_("Outcome"), lambda a, _c: a.outcome),
    ],
    default=None,
    tiebreak=Activity.id,
)

# The parties' own records on their home pages: the newest change first.
OWN_REQUESTS: Listing[AssistanceRequest] = Listing(
    "my-requests",
    N_("Requests for assistance"),
    REQUESTS.columns,
    default="-updated",
    tiebreak=AssistanceRequest.id,
)
OWN_OFFERS: Listing[Offer] = Listing(
    "my-offers",
    N_("Offers of assistance"),
    OFFERS.columns,
    default="-updated",
    tiebreak=Offer.id,
)


@dataclass(frozen=True)
class CoverageLine:
    """A theme of a State's page (`summaries.ThemeCoverage`), named in the page's language."""

    row: ThemeCoverage
    theme: str


def _help(line: CoverageLine, cells: Cells) -> str:
    if line.row.covered:
        return cells._("Covered")
    return cells._("No offer or activity yet") if line.row.gap else ""


# A State's coverage by theme: the page's own order (the most supported recommendations first,
# gaps before covered themes) unless a column is chosen.
COVERAGE: Listing[CoverageLine] = Listing(
    "coverage",
    N_("Coverage by theme"),
    [
        Column("theme", N_("Theme"), lambda t, _c: t.theme, in_python),
        Column(
            "recommendations",
            N_("Supported recommendations"),
            lambda t, _c: t.row.recommendations,
            in_python,
        ),
        Column("requests", N_("Requests"), lambda t, _c: t.row.requests, in_python),
        Column("offers", N_("Offers"), lambda t, _c: t.row.offers, in_python),
        Column("activities", N_("Activities"), lambda t, _c: t.row.activities, in_python),
        Column("help", N_("Help"), _help, in_python),
    ],
    default=None,
    tiebreak=Theme.code,  # unused: a list in Python keeps the page's order on ties
    page_size=200,  # one page: a State has a few dozen themes at most
)
