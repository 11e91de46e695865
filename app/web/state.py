"""The State focal point's pages: its requests for assistance, a form to file a new one from the
recommendations it supported, and its answers to the matches OHCHR proposes.

Everything goes through the API's services with the page's Principal: the same ownership rules
(a State files and sees its own requests only, and links its own supported recommendations),
the same audit trail and the same review workflow as the JSON API."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from app.assistance_requests import repository as requests_repository
from app.assistance_requests import service as requests_service
from app.assistance_requests.models import AssistanceRequest, RequestStatus
from app.assistance_requests.schemas import RequestCreate, RequestUpdate
from app.auth.principal import Principal
from app.core.concurrency import check_version
from app.core.errors import DomainError, InvalidInput, NotFound
from app.core.pagination import PageParams
from app.core.semantic import semantic_search
from app.core.tagger import current_tagger
from app.db.session import SessionDep
from app.matches.models import Party
from app.matches.repository import MatchFilters
from app.offers import service as offers_service
from app.offers.models import Offer
from app.pairing import discovery
from app.recommendations import repository as recommendations_repository
from app.recommendations import search as recommendations_search
from app.recommendations.models import Position, Recommendation
from app.reference import repository as reference_repository
from app.reference.concepts import labelled as concepts_labelled
from app.reference.models import Country, Theme
from app.web import forms, history, party_pages
from app.web.columns import OWN_REQUESTS
from app.web.forms import FieldErrors, PostedForm
from app.web.params import id_values, int_value
from app.web.security import verify_csrf
from app.web.sessions import StatePagePrincipal
from app.web.templating import render

router = APIRouter(prefix="/state", include_in_schema=False, dependencies=[Depends(verify_csrf)])
SIDE = party_pages.Side(
    Party.state,
    home_route="web_state_home",
    record_route="web_state_request",
    record_param="request_id",
)

CHOICES_LIMIT = 30
CHOICES_MAX = 300
SUGGESTED_THEMES = 8
# What a State may do to its own request from its page, by the request's status.
STATUS_ACTIONS = {
    RequestStatus.draft: (RequestStatus.open, RequestStatus.withdrawn),
    RequestStatus.open: (RequestStatus.withdrawn,),
    RequestStatus.matched: (RequestStatus.completed, RequestStatus.withdrawn),
    RequestStatus.in_progress: (RequestStatus.completed,),
    RequestStatus.completed: (),
    RequestStatus.withdrawn: (RequestStatus.open,),
}
# A withdrawn or completed request is a closed record: reopen a withdrawn one to change it.
EDITABLE_STATUSES = frozenset(
    {RequestStatus.draft, RequestStatus.open, RequestStatus.matched, RequestStatus.in_progress}
)
FORM_FIELDS = (*forms.RECORD_FIELDS, "recommendation_ids", "consent_to_publish")


def _state(principal: Principal) -> str:
    assert principal.state_iso3 is not None  # noqa: S101 - guaranteed by a DB constraint
    return principal.state_iso3


def _own_request(session: Session, principal: Principal, request_id: int) -> AssistanceRequest:
    """The State's own request; another State's (even a published one) is not found here."""
    item = requests_service.get_visible(session, principal, request_id)
    if not principal.is_state(item.state_iso3):
        raise NotFound(f"no assistance request with id {request_id} of this State")
    return item


def _editable_request(session: Session, principal: Principal, request_id: int) -> AssistanceRequest:
    item = _own_request(session, principal, request_id)
    if item.status not in EDITABLE_STATUSES:
        raise InvalidInput(f"a {item.status.value} request can no longer be changed")
    return item


# --- recommendations to choose from -------------------------------------------------------------
def _supported(
    principal: Principal, q: str | None, theme: str | None = None, cycle: int | None = None
) -> Any:
    return recommendations_repository.recommendations_query(
        recommendations_repository.RecommendationFilters(
            state=_state(principal), position=Position.supported, q=q, theme=theme, cycle=cycle
        )
    )


def _picker(values: dict[str, Any]) -> dict[str, Any]:
    """The recommendation picker's own filters (not fields of the request): a theme, a cycle,
    and how many to show (CHOICES_LIMIT more at each "show more")."""
    limit = values.get("pick_limit") or CHOICES_LIMIT
    return {
        "pick_theme": values.get("pick_theme") or None,
        "pick_cycle": values.get("pick_cycle") or None,
        "pick_limit": min(max(limit, CHOICES_LIMIT), CHOICES_MAX),
    }


def _picker_values(get: Callable[[str], str | None]) -> dict[str, Any]:
    theme = (get("pick_theme") or "").strip()[:60]
    cycle = int_value(get("pick_cycle"), 1, 10)
    limit = int_value(get("pick_limit"), 1, CHOICES_MAX)
    return {"pick_theme": theme or None, "pick_cycle": cycle, "pick_limit": limit}


def _recommendation_choices(
    request: Request, session: Session, principal: Principal, q: str, values: dict[str, Any]
) -> dict[str, Any]:
    """The chosen recommendations (always shown, checked) and those matching `q` and the
    picker's filters; only the State's own supported recommendations are ever listed."""
    selected = values["recommendation_ids"]
    picker = _picker(values)
    stmt = _supported(principal, None)
    chosen = list(session.scalars(stmt.where(Recommendation.id.in_(selected)))) if selected else []
    filters = recommendations_repository.RecommendationFilters(
        state=_state(principal),
        position=Position.supported,
        q=q or None,
        theme=picker["pick_theme"],
        cycle=picker["pick_cycle"],
    )
    found = recommendations_search.search(  # by words and by meaning, in any UN language
        session,
        filters,
        PageParams(limit=picker["pick_limit"], offset=0),
        semantic=semantic_search(request),
        exclude=selected,
        load=recommendations_repository.LOAD_LISTED,
    )
    return {
        "chosen_recommendations": chosen,
        "found_recommendations": found.items,
        "found_total": found.total,
        "found_concepts": concepts_labelled(session, found.concepts),
        "picker": picker,
        "picker_themes": reference_repository.list_vocabulary(session, Theme),
        "picker_step": CHOICES_LIMIT,
    }


# --- themes -------------------------------------------------------------------------------------
def _theme_context(
    session: Session, chosen: list[str], suggested: list[tuple[str, float]] | None
) -> dict[str, Any]:
    themes = reference_repository.list_vocabulary(session, Theme)
    return {
        "theme_rows": {t.code: t for t in themes},
        "chosen_themes": chosen,
        "suggested_themes": suggested,
    }


def _suggest(
    session: Session, principal: Principal, values: dict[str, Any]
) -> tuple[list[tuple[str, float]], list[str]]:
    """The tagger's themes for what the State wrote and the recommendations it chose (the same
    tagger as POST /api/v1/themes/suggest): (code, score) best first, and the themes to tick:
    those already chosen, then those the tagger would assign on its own."""
    selected = values["recommendation_ids"]
    recs = session.scalars(_supported(principal, None).where(Recommendation.id.in_(selected)))
    parts = (values["title"], values["description"], *(r.text for r in recs))
    text = "\n".join(t for t in parts if t)
    if not text.strip():
        return [], list(dict.fromkeys(values["themes"]))
    tagger = current_tagger()
    known = {t.code for t in reference_repository.list_vocabulary(session, Theme)}
    predicted = [c for c in tagger.predict_codes(text) if c in known]
    found = [(s.code, s.score) for s in tagger.suggest(text, top_k=SUGGESTED_THEMES)]
    suggested = [(code, score) for code, score in found if code in known]
    return suggested, list(dict.fromkeys([*values["themes"], *predicted]))


# --- the request form ---------------------------------------------------------------------------
def _empty_values() -> dict[str, Any]:
    return {
        **forms.empty_record_values(),
        "recommendation_ids": [],
        "consent_to_publish": False,
        "version": None,
    }


def _values_of(item: AssistanceRequest) -> dict[str, Any]:
    return {
        "title": item.title,
        "description": item.description,
        "themes": item.theme_codes,
        "assistance_types": item.assistance_type_codes,
        "languages": item.language_codes,
        "period_start": item.period_start.isoformat() if item.period_start else "",
        "period_end": item.period_end.isoformat() if item.period_end else "",
        "recommendation_ids": [r.id for r in item.recommendations],
        "consent_to_publish": item.consent_to_publish,
        "version": item.version,
    }


def _offer_asked_for(session: Session, principal: Principal, offer_id: str | None) -> Offer | None:
    """The offer a request is filed for ("request this help"), if it is one the State may see."""
    (number,) = id_values([offer_id or ""]) or (None,)
    if number is None:
        return None
    try:
        return offers_service.get_visible(session, principal, number)
    except NotFound:
        return None


def _posted_values(form: FormData) -> dict[str, Any]:
    return {
        **forms.record_values(form),
        "recommendation_ids": forms.ids(form, "recommendation_ids"),
        "consent_to_publish": forms.checked(form, "consent_to_publish"),
        "version": forms.version(form),
        "offer_id": forms.text(form, "offer_id", 20),
        **_picker_values(lambda name: forms.text(form, name, 60)),
    }


def _themes_of_recommendations(session: Session, principal: Principal, ids: list[int]) -> list[str]:
    """What a request with no chosen theme takes from its recommendations (the service's rule,
    as on the new-request form)."""
    recs = session.scalars(_supported(principal, None).where(Recommendation.id.in_(ids or [0])))
    return requests_service.recommended_themes(list(recs))


def _form_page(
    request: Request,
    session: Session,
    principal: Principal,
    values: dict[str, Any],
    *,
    q: str = "",
    errors: FieldErrors | None = None,
    suggested: list[tuple[str, float]] | None = None,
    item: AssistanceRequest | None = None,
    offer: Offer | None = None,
    conflict: bool = False,
    status_code: int = 200,
) -> Response:
    context = {
        **party_pages.form_context(session, values, errors or FieldErrors(), FORM_FIELDS),
        "item": item,
        "offer": offer,
        "conflict": conflict,
        "q": q,
        "country": reference_repository.get_country(session, _state(principal)),
        **_recommendation_choices(request, session, principal, q, values),
        **_theme_context(session, values["themes"], suggested),
    }
    return render(request, "state/request_form.html", context, status_code=status_code)


@router.get("", name="web_state_home")
def home(request: Request, session: SessionDep, principal: StatePagePrincipal) -> Response:
    own = requests_repository.requests_query(
        principal, requests_repository.RequestFilters(state=_state(principal))
    )
    records = party_pages.home_context(request, session, principal, SIDE, own, OWN_REQUESTS)
    if isinstance(records, Response):
        return records
    context = {**records, "country": reference_repository.get_country(session, _state(principal))}
    return render(request, "state/home.html", context)


@router.get("/requests/new", name="web_state_request_new")
def new_request(
    request: Request,
    session: SessionDep,
    principal: StatePagePrincipal,
    q: str | None = None,
    recommendation_ids: Annotated[list[str] | None, Query()] = None,
    offer_id: str | None = None,
) -> Response:
    """The form; `?q=` searches the recommendations to choose from (works without JavaScript);
    `?recommendation_ids=` ticks some already (from a recommendation's page); `?offer_id=`
    asks for that offer's help (from its page): its themes, kinds of help and languages are
    ticked, and the filed request is put to OHCHR with the offer."""
    values = {
        **_empty_values(),
        "recommendation_ids": id_values(recommendation_ids or []),
        **_picker_values(request.query_params.get),
    }
    offer = _offer_asked_for(session, principal, offer_id)
    if offer is not None:
        values.update(
            themes=offer.theme_codes,
            assistance_types=offer.assistance_type_codes,
            languages=offer.language_codes,
            offer_id=offer.id,
        )
    return _form_page(request, session, principal, values, q=(q or "").strip()[:200], offer=offer)


@router.get("/recommendations", name="web_state_recommendation_choices")
def recommendation_choices(
    request: Request,
    session: SessionDep,
    principal: StatePagePrincipal,
    q: str | None = None,
    recommendation_ids: Annotated[list[str] | None, Query()] = None,
) -> Response:
    """The list of recommendations to tick, for search-as-you-type (an htmx partial)."""
    values = {
        "recommendation_ids": id_values(recommendation_ids or []),
        **_picker_values(request.query_params.get),
    }
    context = {
        "values": values,
        "q": (q or "").strip()[:200],
        "errors": FieldErrors(),
        **_recommendation_choices(request, session, principal, (q or "").strip()[:200], values),
    }
    return render(request, "state/_recommendation_choices.html", context)


@router.post("/themes/suggest", name="web_state_suggest_themes")
def suggest_themes(
    request: Request, session: SessionDep, principal: StatePagePrincipal, form: PostedForm
) -> Response:
    """The theme checkboxes with the tagger's suggestions ticked (an htmx partial)."""
    values = _posted_values(form)
    suggested, chosen = _suggest(session, principal, values)
    context = {"errors": FieldErrors(), **_theme_context(session, chosen, suggested)}
    return render(request, "state/_themes.html", context)


@router.post("/requests/new", name="web_state_request_create")
def create_request(
    request: Request, session: SessionDep, principal: StatePagePrincipal, form: PostedForm
) -> Response:
    """Submit (open), save as a draft, or, without JavaScript, search the recommendations or
    ask for theme suggestions: the form comes back with everything kept."""
    values = _posted_values(form)
    action = forms.text(form, "action", 20)
    q = forms.text(form, "q", 200)
    offer = _offer_asked_for(session, principal, values["offer_id"])
    page = partial(_form_page, request, session, principal, values, q=q, offer=offer)
    if action in {"search", "more"}:
        if action == "more":
            values["pick_limit"] = _picker(values)["pick_limit"] + CHOICES_LIMIT
        return page()
    if action == "suggest":
        suggested, values["themes"] = _suggest(session, principal, values)
        return page(suggested=suggested)
    errors = FieldErrors()
    fields = forms.record_data(form, values, errors)
    if not values["themes"]:
        # No theme chosen: leave the field out, so that the service takes the themes of the
        # linked recommendations (as for an API client that sends none).
        del fields["themes"]

    def create(data: RequestCreate) -> AssistanceRequest:
        filed = requests_service.create(session, principal, data)
        if offer is not None and filed.status == RequestStatus.open:
            discovery.ask_for_offer(session, principal, filed, offer)
        return filed

    return party_pages.save_form(
        request,
        SIDE,
        errors,
        lambda: RequestCreate(
            **fields,
            recommendation_ids=values["recommendation_ids"],
            consent_to_publish=values["consent_to_publish"],
            status=RequestStatus.draft if action == "draft" else RequestStatus.open,
        ),
        create,
        page,
    )


@router.get("/requests/{request_id}", name="web_state_request")
def request_page(
    request: Request, request_id: int, session: SessionDep, principal: StatePagePrincipal
) -> Response:
    item = _own_request(session, principal, request_id)
    context = {
        "item": item,
        "matches": party_pages.matches_of(session, principal, MatchFilters(request_id=item.id)),
        "countries": {item.state_iso3: session.get(Country, item.state_iso3)},
        "status_actions": STATUS_ACTIONS.get(item.status, ()),
        "editable": item.status in EDITABLE_STATUSES,
        "versions": history.versions(session, requests_service.ENTITY, item.id),
        "vocabularies": party_pages.vocabularies(session),
        "theme_rows": {
            t.code: t
            for t in reference_repository.list_vocabulary(session, Theme)
            if t.code in {s["theme"] for s in item.theme_sources}
        },
    }
    return render(request, "state/request.html", context)


@router.post("/requests/{request_id}/themes", name="web_state_request_themes")
def confirm_themes(
    request: Request,
    request_id: int,
    session: SessionDep,
    principal: StatePagePrincipal,
    form: PostedForm,
) -> Response:
    """The State confirms the ticked themes (inferred or its own); matching prefers them."""
    item = _own_request(session, principal, request_id)
    check_version(item.version, None, forms.version(form))
    update = RequestUpdate(themes=forms.values(form, "themes", 100), version=forms.version(form))
    requests_service.update(session, principal, item, update)
    return SIDE.to_record(request, item.id)


@router.get("/requests/{request_id}/edit", name="web_state_request_edit")
def edit_request(
    request: Request,
    request_id: int,
    session: SessionDep,
    principal: StatePagePrincipal,
    q: str | None = None,
) -> Response:
    item = _editable_request(session, principal, request_id)
    values = _values_of(item)
    return _form_page(request, session, principal, values, q=(q or "").strip()[:200], item=item)


@router.post("/requests/{request_id}/edit", name="web_state_request_update")
def update_request(
    request: Request,
    request_id: int,
    session: SessionDep,
    principal: StatePagePrincipal,
    form: PostedForm,
) -> Response:
    """Save the changed contents (a new version in the request's history); without
    JavaScript, search the recommendations or ask for theme suggestions as on the new form."""
    item = _editable_request(session, principal, request_id)
    values = _posted_values(form)
    action = forms.text(form, "action", 20)
    q = forms.text(form, "q", 200)
    page = partial(_form_page, request, session, principal, values, q=q, item=item)
    if action in {"search", "more"}:
        if action == "more":
            values["pick_limit"] = _picker(values)["pick_limit"] + CHOICES_LIMIT
        return page()
    if action == "suggest":
        suggested, values["themes"] = _suggest(session, principal, values)
        return page(suggested=suggested)
    try:
        check_version(item.version, None, values["version"])
    except DomainError:
        # Saved by someone else since this form was read: keep what was typed, say so, and let
        # a second save (against the version now current) replace it.
        values["version"] = item.version
        return page(conflict=True, status_code=409)
    errors = FieldErrors()
    fields = forms.record_data(form, values, errors)
    if not fields["themes"]:
        fields["themes"] = _themes_of_recommendations(
            session, principal, values["recommendation_ids"]
        )
    return party_pages.save_form(
        request,
        SIDE,
        errors,
        lambda: RequestUpdate(
            **fields,
            recommendation_ids=values["recommendation_ids"],
            consent_to_publish=values["consent_to_publish"],
            version=values["version"],
        ),
        lambda data: requests_service.update(session, principal, item, data),
        page,
    )


@router.post("/requests/{request_id}/delete", name="web_state_request_delete")
def delete_request(
    request: Request,
    request_id: int,
    session: SessionDep,
    principal: StatePagePrincipal,
    form: PostedForm,
) -> Response:
    """Delete a draft (a submitted request is withdrawn instead)."""
    item = _own_request(session, principal, request_id)
    check_version(item.version, None, forms.version(form))
    requests_service.delete(session, principal, item)
    return SIDE.to_home(request)


@router.post("/requests/{request_id}/status", name="web_state_request_status")
def change_status(
    request: Request,
    request_id: int,
    session: SessionDep,
    principal: StatePagePrincipal,
    form: PostedForm,
) -> Response:
    """Submit a draft, withdraw, reopen or close the request (the service's State rules)."""
    item = _own_request(session, principal, request_id)
    wanted = forms.text(form, "status", 20)
    allowed = {s.value for s in STATUS_ACTIONS.get(item.status, ())}
    if wanted not in allowed:
        raise InvalidInput(f"a {item.status} request cannot be set to {wanted!r} here")
    check_version(item.version, None, forms.version(form))
    update = RequestUpdate(status=RequestStatus(wanted), version=forms.version(form))
    requests_service.update(session, principal, item, update)
    return SIDE.to_record(request, item.id)


@router.post("/matches/{match_id}/decision", name="web_state_match_decision")
def decide_match(
    request: Request,
    match_id: int,
    session: SessionDep,
    principal: StatePagePrincipal,
    form: PostedForm,
) -> Response:
    """Accept or decline a proposed partner, as POST /api/v1/matches/{id}/decision does."""
    return party_pages.answer(request, session, principal, SIDE, match_id, form)


@router.post("/matches/{match_id}/decision/take-back", name="web_state_match_take_back")
def take_back_decision(
    request: Request,
    match_id: int,
    session: SessionDep,
    principal: StatePagePrincipal,
    form: PostedForm,
) -> Response:
    """Take back an acceptance while the other party has not answered."""
    return party_pages.take_back(request, session, principal, SIDE, match_id, form)
