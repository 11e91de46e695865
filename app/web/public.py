"""Public pages: what anyone may see, and (signed in) what the user's role adds.

Every list comes from the API's repository query functions with the page's Principal, so the
visibility rules (`visible_to`) are those of the API: an unpublished request never appears to
the public, and a signed-in State also sees its own."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from app.activities import repository as activities_repository
from app.activities import service as activities_service
from app.activities.models import ActivityStatus, activity_recommendations, activity_themes
from app.assistance_requests import repository as requests_repository
from app.assistance_requests import service as requests_service
from app.assistance_requests.models import RequestStatus, request_recommendations, request_themes
from app.auth.models import Role
from app.auth.principal import Principal
from app.core.errors import NotFound
from app.core.pagination import PageParams, paginate
from app.core.semantic import SemanticDep
from app.db.session import SessionDep
from app.matches.repository import places_taken
from app.offers import repository as offers_repository
from app.offers import search as offers_search
from app.offers import service as offers_service
from app.offers.models import OfferStatus, offer_themes
from app.recommendations import repository as recommendations_repository
from app.recommendations import search as recommendations_search
from app.recommendations import service as recommendations_service
from app.recommendations.models import Position, recommendation_themes
from app.reference import cache as reference_cache
from app.reference import repository as reference_repository
from app.reference.cache import LabelRow
from app.reference.concepts import labelled as concepts_labelled
from app.reference.models import AssistanceType, Country, Language, SdgGoal, Theme, UNStatus
from app.web import columns
from app.web.i18n import negotiate
from app.web.listing import EXPORT_FORMATS, Listing, Shown
from app.web.params import (
    PAGE_SIZE,
    enum_value,
    int_value,
    iso3_value,
    page_count,
    page_value,
    text_value,
)
from app.web.security import verify_csrf
from app.web.sessions import WebPrincipal
from app.web.staff import curation
from app.web.summaries import count, count_links, theme_coverage
from app.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])

# UPR cycles and their years (sessions 1-12, 13-26, 27-40, 41-54).
CYCLES = [
    (number, years.replace("-", "\u2013"))  # an en dash between years
    for number, years in ((1, "2008-2011"), (2, "2012-2016"), (3, "2017-2022"), (4, "2022-2027"))
]
LINKED_LIMIT = 100


def _wants_results_only(request: Request) -> bool:
    """An htmx request that replaces only the results (live filtering); a history restore
    wants the whole page."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-Target") == "results"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def _list_page(request: Request, page: str, results: str, context: dict[str, Any]) -> Response:
    response = render(request, results if _wants_results_only(request) else page, context)
    response.headers.append("Vary", "HX-Request, HX-Target")
    return response


# --- reference data, labelled in the page's language ---------------------------------------
def _countries(session: Session, codes: set[str]) -> dict[str, LabelRow]:
    return reference_cache.countries_by_iso3(session, codes)


def _country_options(session: Session) -> tuple[LabelRow, ...]:
    return reference_cache.countries(session, UNStatus.member.value)


def _themes(session: Session) -> tuple[LabelRow, ...]:
    return reference_cache.vocabulary(session, Theme)


def _searching(request: Request, q: str | None) -> bool:
    """A text search shown best first: `q` given, and neither a column order nor an export
    asked for (those go through the listing, in the order asked)."""
    params = request.query_params
    return bool(q) and not params.get("sort") and params.get("export") not in EXPORT_FORMATS


def _shown(
    request: Request, listing: Listing[Any], items: list[Any], total: int, page: str | None
) -> Shown[Any]:
    number = page_value(page)[0]
    return Shown(
        items,
        total,
        number,
        page_count(total),
        listing.sorting(request.query_params),
        listing.columns,
    )


# --- pages ---------------------------------------------------------------------------------
@router.get("/", name="web_home")
def home(request: Request, session: SessionDep, principal: WebPrincipal) -> Response:
    totals = {
        "recommendations": count(
            session,
            recommendations_repository.recommendations_query(
                recommendations_repository.RecommendationFilters(position=Position.supported)
            ),
        ),
        "requests": count(
            session,
            requests_repository.requests_query(principal, requests_repository.RequestFilters()),
        ),
        "offers": count(
            session,
            offers_repository.offers_query(
                principal, offers_repository.OfferFilters(status=OfferStatus.active)
            ),
        ),
        "activities": count(
            session,
            activities_repository.activities_query(
                principal, activities_repository.ActivityFilters()
            ),
        ),
    }
    return render(request, "public/home.html", {"totals": totals})


@router.get("/recommendations", name="web_recommendations")
def recommendations(
    request: Request,
    session: SessionDep,
    principal: WebPrincipal,
    semantic: SemanticDep,
    state: str | None = None,
    cycle: str | None = None,
    theme: str | None = None,
    position: str | None = None,
    sdg: str | None = None,
    q: str | None = None,
    page: str | None = None,
) -> Response:
    filters = recommendations_repository.RecommendationFilters(
        state=iso3_value(state),
        cycle=int_value(cycle, 1, 10),
        theme=text_value(theme, 60),
        position=enum_value(Position, position),
        sdg=text_value(sdg, 60),
        q=text_value(q),
    )
    total_capped = False
    concepts: list[LabelRow] = []
    if _searching(request, filters.q):  # words and meaning, best first (see search.py)
        found = recommendations_search.search(
            session,
            filters,
            page_value(page)[1],
            semantic=semantic,
            load=recommendations_repository.LOAD_LISTED,
        )
        shown = _shown(request, columns.RECOMMENDATIONS, found.items, found.total, page)
        total_capped = found.total_capped
        concepts = concepts_labelled(session, found.concepts)
    else:  # a list in a chosen order, or its export
        listed = columns.RECOMMENDATIONS.show(
            request, session, recommendations_repository.recommendations_query(filters)
        )
        if isinstance(listed, Response):
            return listed
        shown = listed
    items = shown.items
    ids = [r.id for r in items]
    linked_requests = count_links(
        session,
        requests_repository.requests_query(principal, requests_repository.RequestFilters()),
        request_recommendations,
        "request_id",
        "recommendation_id",
        among=ids,
    )
    linked_activities = count_links(
        session,
        activities_repository.activities_query(principal, activities_repository.ActivityFilters()),
        activity_recommendations,
        "activity_id",
        "recommendation_id",
        among=ids,
    )
    context = {
        **shown.context(),
        "filters": filters,
        "countries": _countries(session, {r.state_iso3 for r in items}),
        "linked_requests": linked_requests,
        "linked_activities": linked_activities,
        "country_options": _country_options(session),
        "theme_options": _themes(session),
        "sdg_options": reference_cache.vocabulary(session, SdgGoal),
        "cycles": CYCLES,
        "total_capped": total_capped,
        "concepts": concepts,
    }
    return _list_page(
        request,
        "public/recommendations.html",
        "public/_recommendation_results.html",
        context,
    )


@router.get("/recommendations/{recommendation_id}", name="web_recommendation")
def recommendation(
    request: Request, recommendation_id: int, session: SessionDep, principal: WebPrincipal
) -> Response:
    rec = recommendations_service.get(session, recommendation_id)
    linked = PageParams(limit=LINKED_LIMIT, offset=0)
    requests, _ = paginate(
        session,
        requests_repository.requests_query(
            principal, requests_repository.RequestFilters(recommendation_id=rec.id)
        ),
        linked,
    )
    activities, _ = paginate(
        session,
        activities_repository.activities_query(
            principal, activities_repository.ActivityFilters(recommendation_id=rec.id)
        ),
        linked,
    )
    context = {
        "rec": rec,
        "countries": _countries(session, {rec.state_iso3}),
        "requests": requests,
        "activities": activities,
        # Its own State may ask for help with a recommendation it supported.
        "may_request": principal.is_state(rec.state_iso3) and rec.position == Position.supported,
        **curation.context(request, session, principal),
    }
    return render(request, "public/recommendation.html", context)


@router.get("/offers", name="web_offers")
def offers(
    request: Request,
    session: SessionDep,
    principal: WebPrincipal,
    semantic: SemanticDep,
    covers: str | None = None,
    theme: str | None = None,
    language: str | None = None,
    assistance_type: str | None = None,
    q: str | None = None,
    page: str | None = None,
) -> Response:
    filters = offers_repository.OfferFilters(
        covers=iso3_value(covers),
        theme=text_value(theme, 60),
        language=text_value(language, 60),
        assistance_type=text_value(assistance_type, 60),
        q=text_value(q),
    )
    concepts: list[LabelRow] = []
    if _searching(request, filters.q):  # words and meaning, best first (see search.py)
        items, total, named = offers_search.search(
            session, principal, filters, page_value(page)[1], semantic
        )
        shown = _shown(request, columns.OFFERS, items, total, page)
        concepts = concepts_labelled(session, named)
    else:  # a list in a chosen order, or its export
        listed = columns.OFFERS.show(
            request, session, offers_repository.offers_query(principal, filters)
        )
        if isinstance(listed, Response):
            return listed
        shown = listed
    context = {
        **shown.context(),
        "filters": filters,
        "country_options": _country_options(session),
        "theme_options": _themes(session),
        "language_options": reference_cache.vocabulary(session, Language),
        "concepts": concepts,
        "assistance_type_options": reference_cache.vocabulary(session, AssistanceType),
    }
    return _list_page(request, "public/offers.html", "public/_offer_results.html", context)


@router.get("/offers/{offer_id}", name="web_offer")
def offer(
    request: Request, offer_id: int, session: SessionDep, principal: WebPrincipal
) -> Response:
    item = offers_service.get_visible(session, principal, offer_id)
    left = max(item.capacity - places_taken(session, item.id).get(item.id, 0), 0)
    context = {
        "offer": item,
        "places_left": left,
        # A State's focal point may ask for this help when the offer can still take it.
        "may_request": principal.role == Role.state
        and item.status == OfferStatus.active
        and left > 0,
    }
    return render(request, "public/offer.html", context)


@router.get("/requests", name="web_requests")
def requests(
    request: Request,
    session: SessionDep,
    principal: WebPrincipal,
    state: str | None = None,
    theme: str | None = None,
    status: str | None = None,
    q: str | None = None,
    page: str | None = None,
) -> Response:
    filters = requests_repository.RequestFilters(
        state=iso3_value(state),
        theme=text_value(theme, 60),
        status=enum_value(RequestStatus, status),
        q=text_value(q),
    )
    shown = columns.REQUESTS.show(
        request, session, requests_repository.requests_query(principal, filters)
    )
    if isinstance(shown, Response):
        return shown
    context = {
        **shown.context(),
        "filters": filters,
        "countries": _countries(session, {r.state_iso3 for r in shown.items}),
        "country_options": _country_options(session),
        "theme_options": _themes(session),
        "statuses": [
            s for s in RequestStatus if principal.is_authenticated or s != RequestStatus.draft
        ],
    }
    return _list_page(request, "public/requests.html", "public/_request_results.html", context)


@router.get("/requests/{request_id}", name="web_request")
def assistance_request(
    request: Request, request_id: int, session: SessionDep, principal: WebPrincipal
) -> Response:
    item = requests_service.get_visible(session, principal, request_id)
    context = {"item": item, "countries": _countries(session, {item.state_iso3})}
    return render(request, "public/request.html", context)


@router.get("/activities", name="web_activities")
def activities(
    request: Request,
    session: SessionDep,
    principal: WebPrincipal,
    state: str | None = None,
    theme: str | None = None,
    status: str | None = None,
    q: str | None = None,
    page: str | None = None,
) -> Response:
    filters = activities_repository.ActivityFilters(
        state=iso3_value(state),
        theme=text_value(theme, 60),
        status=enum_value(ActivityStatus, status),
        q=text_value(q),
    )
    shown = columns.ACTIVITIES.show(
        request, session, activities_repository.activities_query(principal, filters)
    )
    if isinstance(shown, Response):
        return shown
    context = {
        **shown.context(),
        "filters": filters,
        "countries": _countries(session, {a.state_iso3 for a in shown.items}),
        "country_options": _country_options(session),
        "theme_options": _themes(session),
        "statuses": list(ActivityStatus),
    }
    return _list_page(request, "public/activities.html", "public/_activity_results.html", context)


@router.get("/activities/{activity_id}", name="web_activity")
def activity(
    request: Request, activity_id: int, session: SessionDep, principal: WebPrincipal
) -> Response:
    item = activities_service.get_visible(session, principal, activity_id)
    context = {
        "item": item,
        "countries": _countries(session, {item.state_iso3}),
        "may_edit": principal.is_staff
        or principal.is_state(item.state_iso3)
        or activities_service.is_provider_of(principal, item),
    }
    return render(request, "public/activity.html", context)


@router.get("/states", name="web_states")
def states(request: Request, session: SessionDep, principal: WebPrincipal) -> Response:
    return render(request, "public/states.html", {"states": _country_options(session)})


@router.get("/states/{iso3}", name="web_state")
def state(request: Request, iso3: str, session: SessionDep, principal: WebPrincipal) -> Response:
    country = reference_repository.get_country(session, iso3.upper())
    if country is None:
        raise NotFound(f"no country with code {iso3!r}")
    summary = _state_summary(session, principal, country)
    lang = negotiate(request)
    lines = [
        columns.CoverageLine(
            row,
            summary["themes"][row.theme_code].label(lang)
            if row.theme_code in summary["themes"]
            else row.theme_code,
        )
        for row in summary["coverage"]
    ]
    shown = columns.COVERAGE.show_rows(request, session, lines)
    if isinstance(shown, Response):
        return shown
    context = {**summary, **shown.context(), "coverage": shown.items}
    return render(request, "public/state.html", context)


def _state_summary(session: Session, principal: Principal, country: Country) -> dict[str, Any]:
    code = country.iso3
    supported = recommendations_repository.recommendations_query(
        recommendations_repository.RecommendationFilters(state=code, position=Position.supported)
    )
    all_recommendations = recommendations_repository.recommendations_query(
        recommendations_repository.RecommendationFilters(state=code)
    )
    requests_stmt = requests_repository.requests_query(
        principal, requests_repository.RequestFilters(state=code)
    )
    activities_stmt = activities_repository.activities_query(
        principal, activities_repository.ActivityFilters(state=code)
    )
    offers_stmt = offers_repository.offers_query(
        principal, offers_repository.OfferFilters(covers=code, status=OfferStatus.active)
    )
    coverage = theme_coverage(
        recommendations=count_links(
            session, supported, recommendation_themes, "recommendation_id", "theme_code"
        ),
        requests=count_links(session, requests_stmt, request_themes, "request_id", "theme_code"),
        offers=count_links(session, offers_stmt, offer_themes, "offer_id", "theme_code"),
        activities=count_links(
            session, activities_stmt, activity_themes, "activity_id", "theme_code"
        ),
    )
    listed = PageParams(limit=PAGE_SIZE, offset=0)
    requests, requests_total = paginate(session, requests_stmt, listed)
    activities, activities_total = paginate(session, activities_stmt, listed)
    offers, offers_total = paginate(session, offers_stmt, listed)
    themed = [row for row in coverage if row.recommendations > 0]
    return {
        "country": country,
        "supported_total": count(session, supported),
        "recommendations_total": count(session, all_recommendations),
        "coverage": coverage,
        "themes": reference_repository.get_by_keys(
            session, Theme, {row.theme_code for row in coverage}
        ),
        "themes_with_recommendations": len(themed),
        "themes_covered": sum(1 for row in themed if row.covered),
        "requests": requests,
        "requests_total": requests_total,
        "activities": activities,
        "activities_total": activities_total,
        "offers": offers,
        "offers_total": offers_total,
    }
