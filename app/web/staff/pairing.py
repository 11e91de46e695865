"""Manual pairing: staff pick a request and an offer (each found by searching), see why a run
would or would not suggest the pair, and propose it: the match is created if the pair has none,
then proposed through the same service as the review queue (`app.matches.service`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from app.assistance_requests import repository as requests_repository
from app.assistance_requests.models import AssistanceRequest, RequestStatus
from app.auth.principal import Principal
from app.core.errors import Conflict, InvalidInput, NotFound
from app.core.pagination import PageParams, paginate
from app.db.session import SessionDep
from app.matches import service as matches_service
from app.matches.schemas import MatchCreate
from app.offers import repository as offers_repository
from app.offers.models import Offer, OfferStatus
from app.pairing import repository as pairing_repository
from app.reference import repository as reference_repository
from app.reference.models import Country
from app.web import forms
from app.web.errors import RefusedChange
from app.web.params import MAX_ID, int_value, text_value
from app.web.sessions import StaffPagePrincipal
from app.web.staff.common import flash, page, see_other
from app.web.staff.why import WhyNot, why_not
from app.web.templating import render

router = APIRouter()

CHOICES = 15  # search results shown on each side
SIDES = ("request", "offer")


def _requests(session: Session, principal: Principal, q: str | None) -> list[AssistanceRequest]:
    """Requests matching `q` in any status; without `q`, the open ones."""
    filters = requests_repository.RequestFilters(q=q, status=None if q else RequestStatus.open)
    stmt = requests_repository.requests_query(principal, filters)
    items, _total = paginate(session, stmt, PageParams(limit=CHOICES, offset=0))
    return list(items)


def _offers(session: Session, principal: Principal, q: str | None) -> list[Offer]:
    """Offers matching `q` in any status; without `q`, the active ones."""
    filters = offers_repository.OfferFilters(q=q, status=None if q else OfferStatus.active)
    stmt = offers_repository.offers_query(principal, filters)
    items, _total = paginate(session, stmt, PageParams(limit=CHOICES, offset=0))
    return list(items)


def _with_chosen(rows: list[Any], chosen: Any | None) -> list[Any]:
    """The chosen record stays first among the choices, whatever the search finds."""
    if chosen is None:
        return rows
    return [chosen, *(row for row in rows if row.id != chosen.id)]


def _context(session: Session, principal: Principal, params: dict[str, str]) -> dict[str, Any]:
    request_q, offer_q = text_value(params.get("request_q")), text_value(params.get("offer_q"))
    request_id = int_value(params.get("request_id"), 1, MAX_ID)
    offer_id = int_value(params.get("offer_id"), 1, MAX_ID)
    chosen_request = (
        pairing_repository.request_for_matching(session, request_id) if request_id else None
    )
    chosen_offer = pairing_repository.offer_for_matching(session, offer_id) if offer_id else None
    requests = _with_chosen(_requests(session, principal, request_q), chosen_request)
    offers = _with_chosen(_offers(session, principal, offer_q), chosen_offer)
    why: WhyNot | None = None
    if chosen_request is not None and chosen_offer is not None:
        why = why_not(session, chosen_request.id, chosen_offer.id)
    return {
        "request_q": request_q or "",
        "offer_q": offer_q or "",
        "requests": requests,
        "offers": offers,
        "chosen_request": chosen_request,
        "chosen_offer": chosen_offer,
        "missing_request": request_id is not None and chosen_request is None,
        "missing_offer": offer_id is not None and chosen_offer is None,
        "countries": reference_repository.get_by_keys(
            session, Country, {r.state_iso3 for r in requests}
        ),
        "why": why,
        "problem": None,
    }


def _wanted_side(request: Request) -> str | None:
    """The side whose choices htmx asks for (live search), or None for the whole page."""
    if request.headers.get("HX-Request") != "true":
        return None
    target = (request.headers.get("HX-Target") or "").removesuffix("-choices")
    return target if target in SIDES else None


@router.get("/pairing", name="web_staff_pairing")
def pairing(request: Request, session: SessionDep, principal: StaffPagePrincipal) -> Response:
    context = _context(session, principal, dict(request.query_params))
    side = _wanted_side(request)
    if side is not None:
        response = render(request, "staff/_pairing_choices.html", {**context, "side": side})
    else:
        response = page(request, "staff/pairing.html", context)
    response.headers.append("Vary", "HX-Request, HX-Target")
    return response


@router.post("/pairing", name="web_staff_pairing_propose")
def propose_pair(
    request: Request, session: SessionDep, principal: StaffPagePrincipal, form: forms.PostedForm
) -> Response:
    """Create the pair's match if it has none, then propose it to both parties."""
    params = {name: forms.text(form, name, 20) for name in ("request_id", "offer_id")}
    context = _context(session, principal, params)
    why = context["why"]
    if why is None:
        context["problem"] = "choose a request and an offer first"
        return page(request, "staff/pairing.html", context, status_code=422)
    try:
        match = (
            matches_service.get_visible(session, principal, why.why.match_id)
            if why.why.match_id is not None
            else matches_service.create(
                session,
                principal,
                MatchCreate(
                    request_id=why.why.request_id,
                    offer_id=why.why.offer_id,
                    score=why.why.total,
                    score_components={c.name: c.value for c in why.why.components},
                ),
            )
        )
        matches_service.propose(session, principal, match)
    except (Conflict, InvalidInput, NotFound) as exc:
        context["problem"] = exc.detail
        raise RefusedChange(page(request, "staff/pairing.html", context, status_code=409)) from exc
    flash(request, "proposed", match=match.id)
    return see_other(str(request.app.url_path_for("web_staff_match", match_id=match.id)))
