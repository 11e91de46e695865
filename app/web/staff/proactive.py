"""Proactive matching on a page: supported recommendations that no request names yet, each with
the offers that could help implement it, so that staff can approach the State (the same service
as GET /api/v1/matching/proactive).

The service streams: a page scores the recommendations up to that page only, so the list has no
total, no page jump and no column order (which would score them all on every view). Its export
does score them all (up to `MAX_EXPORT_ROWS` pairs), once, when asked: one row per
recommendation and offer, in the page's order, the filters kept."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.db.session import SessionDep
from app.pairing import service as matching_service
from app.pairing.schemas import ProactiveOfferRead, ProactiveRecommendationRead
from app.reference import repository as reference_repository
from app.reference.models import Country, Theme, UNStatus
from app.web.i18n import negotiate
from app.web.labels import N_
from app.web.listing import EXPORT_FORMATS, MAX_EXPORT_ROWS, Cells, Column, Listing
from app.web.params import iso3_value, page_value, text_value
from app.web.sessions import StaffPagePrincipal
from app.web.staff.common import page

router = APIRouter()

PAGE_SIZE = 20
OFFERS_EACH = 5


@dataclass(frozen=True)
class ProactivePair:
    """One row of the export: a recommendation and one offer that could help with it."""

    recommendation: ProactiveRecommendationRead
    offer: ProactiveOfferRead
    themes: str


def _themes(pair: ProactivePair, _cells: Cells) -> str:
    return pair.themes


# No column sorts: the export keeps the page's order (see the module's docstring).
PROACTIVE: Listing[ProactivePair] = Listing(
    "proactive",
    N_("Proactive matching"),
    [
        Column("recommendation", N_("Recommendation"), lambda p, _c: p.recommendation.text),
        Column("state", N_("State under review"), lambda p, c: c.state(p.recommendation.state)),
        Column("themes", N_("Themes"), _themes),
        Column("offer", N_("Offer"), lambda p, _c: p.offer.offer_title),
        Column("provider", N_("Provider"), lambda p, _c: p.offer.provider_name),
        Column("score", N_("Score"), lambda p, _c: round(p.offer.score, 3)),
        Column("why", N_("Why"), lambda p, _c: p.offer.explanation),
    ],
    default=None,
    tiebreak=Theme.code,  # unused: nothing sorts
)


def _export(
    request: Request, session: SessionDep, state: str | None, theme: str | None
) -> Response:
    lang = negotiate(request)
    found = matching_service.proactive(
        session, state=state, theme=theme, k=OFFERS_EACH, limit=MAX_EXPORT_ROWS, offset=0, lang=lang
    )
    names = reference_repository.labels(
        session, {t for item in found.items for t in item.themes}, lang
    )
    pairs = [
        ProactivePair(item, offer, "; ".join(names.get(t, t) for t in item.themes))
        for item in found.items
        for offer in item.offers
    ]
    shown = PROACTIVE.show_rows(request, session, pairs)
    assert isinstance(shown, Response)  # noqa: S101 - asked for an export
    return shown


@router.get("/proactive", name="web_staff_proactive")
def proactive(
    request: Request,
    session: SessionDep,
    principal: StaffPagePrincipal,
    state: str | None = None,
    theme: str | None = None,
) -> Response:
    chosen_state, chosen_theme = iso3_value(state), text_value(theme, 60)
    if request.query_params.get("export") in EXPORT_FORMATS:
        return _export(request, session, chosen_state, chosen_theme)
    number, params = page_value(request.query_params.get("page"), PAGE_SIZE)
    found = matching_service.proactive(
        session,
        state=chosen_state,
        theme=chosen_theme,
        k=OFFERS_EACH,
        limit=params.limit,
        offset=params.offset,
    )
    themes = reference_repository.get_by_keys(
        session, Theme, {t for item in found.items for t in item.themes}
    )
    context = {
        "found": found,
        "state": chosen_state,
        "theme": chosen_theme,
        "page": number,
        "total": 0,  # unknown: the page streams
        "export_limit": MAX_EXPORT_ROWS,
        "countries": reference_repository.get_by_keys(
            session, Country, {item.state for item in found.items}
        ),
        "item_themes": {
            item.recommendation_id: [themes[t] for t in item.themes if t in themes]
            for item in found.items
        },
        "country_options": list(
            session.scalars(reference_repository.countries_query(None, None, UNStatus.member))
        ),
        "theme_options": reference_repository.list_vocabulary(session, Theme),
    }
    return page(request, "staff/proactive.html", context)
