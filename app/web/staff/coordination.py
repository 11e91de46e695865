"""Coordination pages: the batch assignment (preview, then propose), duplicated engagements and
the gaps no offer could fill, from the same service functions as /api/v1/matching."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.activities.models import Activity
from app.assistance_requests.models import AssistanceRequest
from app.auth.principal import Principal
from app.db.session import SessionDep
from app.matches.models import Match
from app.offers.models import Offer
from app.pairing import service as matching_service
from app.pairing.schemas import AssignmentCreate, AssignmentRead
from app.recommendations.models import Recommendation
from app.reference import repository as reference_repository
from app.reference.models import Country, Region, RegionKind, Theme
from app.web.i18n import negotiate, translations
from app.web.labels import N_
from app.web.listing import Column, Listing, in_python
from app.web.params import enum_value, int_value
from app.web.sessions import StaffPagePrincipal
from app.web.staff.common import ENGAGEMENT_KIND, flash, page, see_other
from matching.duplication import UNKNOWN_REGION, UNTAGGED, DuplicationFlag, Engagement, GapRow

router = APIRouter()

REQUEST_LIMITS = range(1, 11)  # AssignmentCreate.request_limit


# --- batch assignment -----------------------------------------------------------------------
def _preview(session: Session, principal: Principal, request_limit: int) -> AssignmentRead:
    return matching_service.assignment(
        session, principal, AssignmentCreate(request_limit=request_limit, apply=False)
    )


def _assignment_page(
    request: Request,
    session: Session,
    result: AssignmentRead,
    request_limit: int,
    *,
    changed: bool = False,
    status_code: int = 200,
) -> Response:
    ids = [p.match_id for p in result.pairs]
    matches = {
        m.id: m
        for m in session.scalars(
            select(Match)
            .where(Match.id.in_(ids))
            .options(
                selectinload(Match.request),
                selectinload(Match.offer).selectinload(Offer.organization),
            )
        )
    }
    unassigned = (
        list(
            session.scalars(
                select(AssistanceRequest)
                .where(AssistanceRequest.id.in_(result.unassigned_requests))
                .order_by(AssistanceRequest.id)
            )
        )
        if result.unassigned_requests
        else []
    )
    states = {m.state_iso3 for m in matches.values()} | {r.state_iso3 for r in unassigned}
    context = {
        "pairs": [matches[i] for i in ids if i in matches],
        "total_score": result.total_score,
        "unassigned": unassigned,
        "countries": reference_repository.get_by_keys(session, Country, states),
        "request_limit": request_limit,
        "request_limits": REQUEST_LIMITS,
        "changed": changed,
    }
    return page(request, "staff/assignment.html", context, status_code=status_code)


@router.get("/assignment", name="web_staff_assignment")
def assignment(
    request: Request,
    session: SessionDep,
    principal: StaffPagePrincipal,
    request_limit: str | None = None,
) -> Response:
    """A preview: nothing changes until the "propose these" button is pressed."""
    limit = int_value(request_limit, REQUEST_LIMITS.start, REQUEST_LIMITS.stop - 1) or 1
    return _assignment_page(request, session, _preview(session, principal, limit), limit)


@router.post("/assignment", name="web_staff_assignment_apply")
def apply_assignment(
    request: Request,
    session: SessionDep,
    principal: StaffPagePrincipal,
    request_limit: Annotated[int, Form(ge=1, le=10)] = 1,
    match_ids: Annotated[list[int] | None, Form()] = None,
) -> Response:
    """Propose the previewed pairs. When the suggestions changed since the preview (another
    run, another reviewer), nothing is proposed and the new preview is shown instead."""
    preview = _preview(session, principal, request_limit)
    if sorted(p.match_id for p in preview.pairs) != sorted(match_ids or []):
        return _assignment_page(
            request, session, preview, request_limit, changed=True, status_code=409
        )
    result = matching_service.assignment(
        session, principal, AssignmentCreate(request_limit=request_limit, apply=True)
    )
    flash(request, "assignment_applied", proposed=len(result.pairs))
    return see_other(request.app.url_path_for("web_staff_assignment"))


# --- duplications and gaps ------------------------------------------------------------------
@dataclass(frozen=True)
class DuplicationLine:
    """One possible duplication in the page's language: its State and theme named, each
    engagement as "kind: title (providers)"."""

    flag: DuplicationFlag
    state: str
    theme: str
    first: str
    second: str

    @property
    def overlap_start(self) -> date | None:
        return self.flag.overlap_start

    @property
    def overlap_end(self) -> date | None:
        return self.flag.overlap_end


DUPLICATIONS: Listing[DuplicationLine] = Listing(
    "duplications",
    N_("Duplications"),
    [
        Column("state", N_("State"), lambda d, _c: d.state, in_python),
        Column("theme", N_("Theme"), lambda d, _c: d.theme, in_python),
        Column("first", N_("First"), lambda d, _c: d.first, in_python),
        Column("second", N_("Second"), lambda d, _c: d.second, in_python),
        Column("overlap", N_("Overlap starts"), lambda d, _c: d.overlap_start, in_python),
        Column("overlap_end", N_("Overlap ends"), lambda d, _c: d.overlap_end, in_python),
    ],
    default=None,  # the service's order
    tiebreak=Theme.code,  # unused: a list in Python keeps the service's order on ties
    page_size=50,
)


@router.get("/duplications", name="web_staff_duplications")
def duplications(request: Request, session: SessionDep, principal: StaffPagePrincipal) -> Response:
    flags = matching_service.duplications(session)
    offer_ids = {e.id for f in flags for e in (f.first, f.second) if e.kind == "offer"}
    activity_ids = {e.id for f in flags for e in (f.first, f.second) if e.kind == "activity"}
    offers = {
        o.id: o
        for o in session.scalars(
            select(Offer).where(Offer.id.in_(offer_ids)).options(selectinload(Offer.organization))
        )
    }
    activities = {
        a.id: a
        for a in session.scalars(
            select(Activity)
            .where(Activity.id.in_(activity_ids))
            .options(selectinload(Activity.providers))
        )
    }
    engagements: dict[tuple[str, int], dict[str, Any]] = {}
    for offer in offers.values():
        engagements[("offer", offer.id)] = {
            "title": offer.title,
            "providers": [offer.organization.name],
            "route": "web_offer",
            "params": {"offer_id": offer.id},
        }
    for activity in activities.values():
        engagements[("activity", activity.id)] = {
            "title": activity.title,
            "providers": [org.name for org in activity.providers],
            "route": "web_activity",
            "params": {"activity_id": activity.id},
        }
    lang = negotiate(request)
    names = reference_repository.labels(
        session, {f.state for f in flags} | {f.theme for f in flags}, lang
    )
    _ = translations(lang).gettext

    def named(item: Engagement) -> str:
        kind = _(ENGAGEMENT_KIND[item.kind])
        found = engagements.get((item.kind, item.id))
        if found is None:
            return f"{kind}: {item.id}"
        providers = ", ".join(found["providers"])
        return f"{kind}: {found['title']}" + (f" ({providers})" if providers else "")

    lines = [
        DuplicationLine(
            flag=flag,
            state=names.get(flag.state, flag.state),
            theme=names.get(flag.theme, flag.theme),
            first=named(flag.first),
            second=named(flag.second),
        )
        for flag in flags
    ]
    shown = DUPLICATIONS.show_rows(request, session, lines)
    if isinstance(shown, Response):
        return shown
    context = {**shown.context(), "lines": shown.items, "engagements": engagements}
    return page(request, "staff/duplications.html", context)


@dataclass(frozen=True)
class GapLine:
    """One row of the gaps in the page's language: its theme and region named, its examples
    as the page lists them (kind, title or text, State)."""

    row: GapRow
    theme: str
    region: str
    examples: tuple[str, ...]


GAPS: Listing[GapLine] = Listing(
    "gaps",
    N_("Gaps"),
    [
        Column("theme", N_("Theme"), lambda g, _c: g.theme, in_python),
        Column("region", N_("Region"), lambda g, _c: g.region, in_python),
        Column("needs", N_("Needs"), lambda g, _c: g.row.needs, in_python),
        Column("requests", N_("Requests"), lambda g, _c: g.row.requests, in_python),
        Column(
            "recommendations",
            N_("Recommendations"),
            lambda g, _c: g.row.recommendations,
            in_python,
        ),
        Column("examples", N_("Examples"), lambda g, _c: "\n".join(g.examples)),
    ],
    default=None,  # the service's order: the most needs first
    tiebreak=Theme.code,  # unused: a list in Python keeps the service's order on ties
    page_size=50,
)


def _gap_lines(
    rows: list[GapRow],
    lang: str,
    themes: dict[str, Theme],
    regions: dict[str, Region],
    requests: dict[int, AssistanceRequest],
    recommendations: dict[int, Recommendation],
    countries: dict[str, Country],
) -> list[GapLine]:
    _ = translations(lang).gettext

    def state(iso3: str) -> str:
        return countries[iso3].label(lang) if iso3 in countries else iso3

    lines = []
    for row in rows:
        theme = themes.get(row.theme)
        region = regions.get(row.region)
        examples = []
        for id_ in row.example_ids[: row.requests]:
            request = requests.get(id_)
            text = (
                f"{request.title} ({state(request.state_iso3)})"
                if request
                else _("Request %(id)s") % {"id": id_}
            )
            examples.append(f"{_('Request')}: {text}")
        for id_ in row.example_ids[row.requests :]:
            recommendation = recommendations.get(id_)
            text = (
                f"{recommendation.text} ({state(recommendation.state_iso3)})"
                if recommendation
                else _("Recommendation %(id)s") % {"id": id_}
            )
            examples.append(f"{_('Recommendation')}: {text}")
        lines.append(
            GapLine(
                row=row,
                theme=_("No theme")
                if row.theme == UNTAGGED
                else (theme.label(lang) if theme else row.theme),
                region=_("No region")
                if row.region == UNKNOWN_REGION
                else (region.label(lang) if region else row.region),
                examples=tuple(examples),
            )
        )
    return lines


@router.get("/gaps", name="web_staff_gaps")
def gaps(
    request: Request, session: SessionDep, principal: StaffPagePrincipal, by: str | None = None
) -> Response:
    kind = enum_value(RegionKind, by) or RegionKind.m49_region
    rows = matching_service.gaps(session, kind)
    # The service names regions by their English label; the page shows them in its language.
    regions = {r.label_en: r for r in session.scalars(select(Region).where(Region.kind == kind))}
    request_ids = {i for r in rows for i in r.example_ids[: r.requests]}
    recommendation_ids = {i for r in rows for i in r.example_ids[r.requests :]}
    examples_requests = {
        r.id: r
        for r in session.scalars(
            select(AssistanceRequest).where(AssistanceRequest.id.in_(request_ids))
        )
    }
    examples_recommendations = {
        r.id: r
        for r in session.scalars(
            select(Recommendation).where(Recommendation.id.in_(recommendation_ids))
        )
    }
    states = {r.state_iso3 for r in examples_requests.values()}
    states |= {r.state_iso3 for r in examples_recommendations.values()}
    countries = reference_repository.get_by_keys(session, Country, states)
    themes = reference_repository.get_by_keys(session, Theme, {r.theme for r in rows})
    lines = _gap_lines(
        rows,
        negotiate(request),
        themes,
        regions,
        examples_requests,
        examples_recommendations,
        countries,
    )
    shown = GAPS.show_rows(request, session, lines)
    if isinstance(shown, Response):
        return shown
    context = {
        **shown.context(),
        "rows": shown.items,
        "example_requests": examples_requests,
        "example_recommendations": examples_recommendations,
        "countries": countries,
        "by": kind,
        "region_kinds": list(RegionKind),
    }
    return page(request, "staff/gaps.html", context)
