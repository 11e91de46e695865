"""Proactive matching on a page: supported recommendations that no request names yet, each with
the offers that could help implement it, so that staff can approach the State (the same service
as GET /api/v1/matching/proactive)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.db.session import SessionDep
from app.pairing import service as matching_service
from app.reference import repository as reference_repository
from app.reference.models import Country, Theme, UNStatus
from app.web.params import iso3_value, page_value, text_value
from app.web.sessions import StaffPagePrincipal
from app.web.staff.common import page

router = APIRouter()

PAGE_SIZE = 20
OFFERS_EACH = 5


@router.get("/proactive", name="web_staff_proactive")
def proactive(
    request: Request,
    session: SessionDep,
    principal: StaffPagePrincipal,
    state: str | None = None,
    theme: str | None = None,
) -> Response:
    chosen_state, chosen_theme = iso3_value(state), text_value(theme, 60)
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
