"""The staff dashboard: what is in the repository and in review, drawn by region, theme and
period, and the button that runs matching."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, datetime

from babel.dates import format_date
from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.activities.models import Activity, ActivityStatus, activity_themes
from app.assistance_requests.models import AssistanceRequest, RequestStatus, request_themes
from app.db.session import SessionDep
from app.matches.models import Match, MatchStatus
from app.offers.models import Offer, OfferStatus
from app.pairing import service as matching_service
from app.pairing.schemas import MatchingRunCreate
from app.reference.models import Region, RegionKind, Theme, region_members
from app.web.i18n import negotiate, translations
from app.web.labels import N_
from app.web.sessions import StaffPagePrincipal
from app.web.staff.charts import BarChart, bar_chart
from app.web.staff.common import flash, page, see_other
from app.web.summaries import count

router = APIRouter()

TOP_THEMES = 10
PERIODS = {"quarter": 12, "month": 24}  # how many of the latest periods a chart shows
SERIES = (N_("Requests"), N_("Activities"))
NO_THEME = N_("No theme")
NO_REGION = N_("No region")


def _totals(session: Session) -> dict[str, int]:
    by_status = dict(
        session.execute(select(Match.status, func.count()).group_by(Match.status)).all()
    )
    return {
        "open_requests": count(
            session, select(AssistanceRequest).where(AssistanceRequest.status == RequestStatus.open)
        ),
        "active_offers": count(session, select(Offer).where(Offer.status == OfferStatus.active)),
        "suggested": by_status.get(MatchStatus.suggested, 0),
        "proposed": by_status.get(MatchStatus.proposed, 0),
        "agreed": by_status.get(MatchStatus.agreed, 0),
        "activities": count(
            session, select(Activity).where(Activity.status != ActivityStatus.cancelled)
        ),
    }


def _rows(session: Session, stmt: Select[int, str, datetime]) -> list[tuple[int, str, date]]:
    return [(id_, state, created.date()) for id_, state, created in session.execute(stmt)]


def _themes_of(session: Session, link: Select[int, str]) -> dict[int, list[str]]:
    found: defaultdict[int, list[str]] = defaultdict(list)
    for owner, code in session.execute(link):
        found[owner].append(code)
    return found


def _period_key(day: date, period: str) -> tuple[int, int]:
    return (day.year, (day.month - 1) // 3 + 1 if period == "quarter" else day.month)


def _periods(days: Iterable[date], period: str) -> list[tuple[int, int]]:
    """Every period from the first to the last with a record (at most the latest PERIODS)."""
    keys = sorted({_period_key(day, period) for day in days})
    if not keys:
        return []
    per_year = 4 if period == "quarter" else 12
    (first_year, first), (last_year, last) = keys[0], keys[-1]
    span = [
        (index // per_year, index % per_year + 1)
        for index in range(first_year * per_year + first - 1, last_year * per_year + last)
    ]
    return span[-PERIODS[period] :]


def _period_label(key: tuple[int, int], period: str, lang: str) -> str:
    year, number = key
    if period == "quarter":
        return format_date(date(year, (number - 1) * 3 + 1, 1), "QQQ y", locale=lang)
    return format_date(date(year, number, 1), "LLL y", locale=lang)


def charts(session: Session, lang: str, period: str) -> list[BarChart]:
    requests = _rows(
        session,
        select(AssistanceRequest.id, AssistanceRequest.state_iso3, AssistanceRequest.created_at)
        .where(AssistanceRequest.status != RequestStatus.draft)
        .order_by(AssistanceRequest.id),
    )
    activities = _rows(
        session,
        select(Activity.id, Activity.state_iso3, Activity.created_at)
        .where(Activity.status != ActivityStatus.cancelled)
        .order_by(Activity.id),
    )
    kinds = (requests, activities)
    gettext = translations(lang).gettext

    # By region: the State's UN M49 region.
    region_of = {
        iso3: region.label(lang)
        for iso3, region in session.execute(
            select(region_members.c.country_iso3, Region)
            .join(Region, Region.code == region_members.c.region_code)
            .where(Region.kind == RegionKind.m49_region)
        )
    }
    no_region = gettext(NO_REGION)
    by_region = [
        Counter(region_of.get(state, no_region) for _id, state, _day in rows) for rows in kinds
    ]
    regions = sorted(set(by_region[0]) | set(by_region[1]), key=lambda r: (r == no_region, r))
    region_data = [(name, [c[name] for c in by_region]) for name in regions]

    # By theme: a record counts once in each of its themes; the themes with most records.
    themes_of = (
        _themes_of(session, select(request_themes.c.request_id, request_themes.c.theme_code)),
        _themes_of(session, select(activity_themes.c.activity_id, activity_themes.c.theme_code)),
    )
    by_theme = [
        Counter(code for id_, _s, _d in rows for code in themes.get(id_, [""]))
        for rows, themes in zip(kinds, themes_of, strict=True)
    ]
    theme_codes = set(by_theme[0]) | set(by_theme[1])
    labels = {
        t.code: t.label(lang)
        for t in session.scalars(select(Theme).where(Theme.code.in_(theme_codes)))
    }
    top = sorted(theme_codes, key=lambda c: (-(by_theme[0][c] + by_theme[1][c]), c))[:TOP_THEMES]
    labels[""] = gettext(NO_THEME)
    theme_data = [(labels.get(code, code), [c[code] for c in by_theme]) for code in top]

    # Over time: when they were recorded.
    keys = _periods((day for rows in kinds for _i, _s, day in rows), period)
    by_period = [Counter(_period_key(day, period) for _i, _s, day in rows) for rows in kinds]
    time_data = [(_period_label(key, period, lang), [c[key] for c in by_period]) for key in keys]

    return [
        bar_chart(
            "region", N_("Requests and activities by region"), N_("Region"), SERIES, region_data
        ),
        bar_chart(
            "theme",
            N_("Requests and activities by theme (top 10)"),
            N_("Theme"),
            SERIES,
            theme_data,
        ),
        bar_chart(
            "time",
            N_("Requests and activities recorded per quarter")
            if period == "quarter"
            else N_("Requests and activities recorded per month"),
            N_("Period"),
            SERIES,
            time_data,
        ),
    ]


@router.get("", name="web_staff_home")
def home(
    request: Request,
    session: SessionDep,
    principal: StaffPagePrincipal,
    period: str | None = None,
) -> Response:
    period = period if period in PERIODS else "quarter"
    lang = negotiate(request)
    context = {
        "totals": _totals(session),
        "charts": charts(session, lang, period),
        "period": period,
    }
    return page(request, "staff/home.html", context)


@router.post("/matching/run", name="web_staff_run_matching")
def run_matching(request: Request, session: SessionDep, principal: StaffPagePrincipal) -> Response:
    """Score every open request against every active offer and store the best suggestions."""
    summary = matching_service.run(session, principal, MatchingRunCreate())
    flash(
        request,
        "matching_run",
        requests=summary.requests,
        offers=summary.offers,
        created=summary.created,
        updated=summary.updated,
        removed=summary.removed,
        without=len(summary.without_suggestion),
    )
    return see_other(request.app.url_path_for("web_staff_home"))
