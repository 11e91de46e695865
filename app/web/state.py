"""The State focal point's pages: its requests for assistance, a form to file a new one from the
recommendations it supported, and its answers to the matches OHCHR proposes.

Everything goes through the API's services with the page's Principal: the same ownership rules
(a State files and sees its own requests only, and links its own supported recommendations),
the same audit trail and the same review workflow as the JSON API."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from app.assistance_requests import repository as requests_repository
from app.assistance_requests import service as requests_service
from app.assistance_requests.models import AssistanceRequest, RequestStatus
from app.assistance_requests.schemas import RequestCreate, RequestUpdate
from app.auth.principal import Principal
from app.core.concurrency import check_version
from app.core.errors import InvalidInput, NotFound
from app.core.pagination import PageParams, paginate
from app.db.session import SessionDep
from app.matches import repository as matches_repository
from app.matches.models import Party
from app.recommendations import repository as recommendations_repository
from app.recommendations.models import Position, Recommendation
from app.reference import repository as reference_repository
from app.reference.models import AssistanceType, Country, Language, Theme
from app.web import forms
from app.web.errors import RefusedChange
from app.web.forms import FieldErrors, PostedForm
from app.web.params import id_values
from app.web.security import verify_csrf
from app.web.sessions import StatePagePrincipal
from app.web.templating import render
from matching.tagging import ThemeTagger

router = APIRouter(prefix="/state", include_in_schema=False, dependencies=[Depends(verify_csrf)])

OWN_REQUESTS_LIMIT = 200
CHOICES_LIMIT = 30
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
FORM_FIELDS = (
    "title",
    "description",
    "recommendation_ids",
    "themes",
    "assistance_types",
    "languages",
    "period_start",
    "period_end",
    "consent_to_publish",
)


def _state(principal: Principal) -> str:
    assert principal.state_iso3 is not None  # noqa: S101 - guaranteed by a DB constraint
    return principal.state_iso3


def _own_request(session: Session, principal: Principal, request_id: int) -> AssistanceRequest:
    """The State's own request; another State's (even a published one) is not found here."""
    item = requests_service.get_visible(session, principal, request_id)
    if not principal.is_state(item.state_iso3):
        raise NotFound(f"no assistance request with id {request_id} of this State")
    return item


# --- recommendations to choose from -------------------------------------------------------------
def _supported(principal: Principal, q: str | None) -> Any:
    return recommendations_repository.recommendations_query(
        recommendations_repository.RecommendationFilters(
            state=_state(principal), position=Position.supported, q=q
        )
    )


def _recommendation_choices(
    session: Session, principal: Principal, q: str, selected: list[int]
) -> dict[str, Any]:
    """The chosen recommendations (always shown, checked) and those matching `q`; only the
    State's own supported recommendations are ever listed."""
    stmt = _supported(principal, None)
    chosen = list(session.scalars(stmt.where(Recommendation.id.in_(selected)))) if selected else []
    found, total = paginate(
        session,
        _supported(principal, q or None).where(Recommendation.id.not_in(selected or [0])),
        PageParams(limit=CHOICES_LIMIT, offset=0),
    )
    return {"chosen_recommendations": chosen, "found_recommendations": found, "found_total": total}


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
    session: Session, principal: Principal, title: str, description: str, selected: list[int]
) -> tuple[list[tuple[str, float]], list[str]]:
    """The tagger's themes for what the State wrote and the recommendations it chose (the same
    tagger as POST /api/v1/themes/suggest): (code, score) best first, and those it would
    assign on its own."""
    recs = session.scalars(_supported(principal, None).where(Recommendation.id.in_(selected)))
    text = "\n".join(t for t in (title, description, *(r.text for r in recs)) if t)
    if not text.strip():
        return [], []
    tagger = ThemeTagger.load()
    known = {t.code for t in reference_repository.list_vocabulary(session, Theme)}
    chosen = [c for c in tagger.predict_codes(text) if c in known]
    found = [(s.code, s.score) for s in tagger.suggest(text, top_k=SUGGESTED_THEMES)]
    return [(code, score) for code, score in found if code in known], chosen


# --- the request form ---------------------------------------------------------------------------
def _empty_values() -> dict[str, Any]:
    return {
        "title": "",
        "description": "",
        "recommendation_ids": [],
        "themes": [],
        "assistance_types": [],
        "languages": [],
        "period_start": "",
        "period_end": "",
        "consent_to_publish": False,
    }


def _posted_values(form: FormData) -> dict[str, Any]:
    return {
        "title": forms.text(form, "title", 300),
        "description": forms.text(form, "description"),
        "recommendation_ids": forms.ids(form, "recommendation_ids"),
        "themes": forms.values(form, "themes", 100),
        "assistance_types": forms.values(form, "assistance_types", 100),
        "languages": forms.values(form, "languages", 100),
        "period_start": forms.text(form, "period_start", 20),
        "period_end": forms.text(form, "period_end", 20),
        "consent_to_publish": forms.checked(form, "consent_to_publish"),
    }


def _form_page(
    request: Request,
    session: Session,
    principal: Principal,
    values: dict[str, Any],
    *,
    q: str = "",
    errors: FieldErrors | None = None,
    suggested: list[tuple[str, float]] | None = None,
    status_code: int = 200,
) -> Response:
    errors = errors or FieldErrors()
    context = {
        "values": values,
        "q": q,
        "errors": errors,
        "other_errors": forms.error_summary(errors, FORM_FIELDS),
        "country": reference_repository.get_country(session, _state(principal)),
        "assistance_type_options": reference_repository.list_vocabulary(session, AssistanceType),
        "language_options": reference_repository.list_vocabulary(session, Language),
        **_recommendation_choices(session, principal, q, values["recommendation_ids"]),
        **_theme_context(session, values["themes"], suggested),
    }
    return render(request, "state/request_form.html", context, status_code=status_code)


@router.get("", name="web_state_home")
def home(request: Request, session: SessionDep, principal: StatePagePrincipal) -> Response:
    stmt = requests_repository.requests_query(
        principal, requests_repository.RequestFilters(state=_state(principal))
    )
    items, total = paginate(
        session,
        stmt.order_by(None).order_by(AssistanceRequest.id.desc()),
        PageParams(limit=OWN_REQUESTS_LIMIT, offset=0),
    )
    context = {
        "items": items,
        "total": total,
        "awaiting": forms.awaiting(session, principal, Party.state),
        "country": reference_repository.get_country(session, _state(principal)),
    }
    return render(request, "state/home.html", context)


@router.get("/requests/new", name="web_state_request_new")
def new_request(
    request: Request, session: SessionDep, principal: StatePagePrincipal, q: str | None = None
) -> Response:
    """The form; `?q=` searches the recommendations to choose from (works without JavaScript)."""
    return _form_page(request, session, principal, _empty_values(), q=(q or "").strip()[:200])


@router.get("/recommendations", name="web_state_recommendation_choices")
def recommendation_choices(
    request: Request,
    session: SessionDep,
    principal: StatePagePrincipal,
    q: str | None = None,
    recommendation_ids: Annotated[list[str] | None, Query()] = None,
) -> Response:
    """The list of recommendations to tick, for search-as-you-type (an htmx partial)."""
    selected = id_values(recommendation_ids or [])
    context = {
        "values": {"recommendation_ids": selected},
        "q": (q or "").strip()[:200],
        "errors": FieldErrors(),
        **_recommendation_choices(session, principal, (q or "").strip()[:200], selected),
    }
    return render(request, "state/_recommendation_choices.html", context)


@router.post("/themes/suggest", name="web_state_suggest_themes")
def suggest_themes(
    request: Request, session: SessionDep, principal: StatePagePrincipal, form: PostedForm
) -> Response:
    """The theme checkboxes with the tagger's suggestions ticked (an htmx partial)."""
    values = _posted_values(form)
    suggested, predicted = _suggest(
        session, principal, values["title"], values["description"], values["recommendation_ids"]
    )
    chosen = list(dict.fromkeys([*values["themes"], *predicted]))
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
    if action == "search":
        return _form_page(request, session, principal, values, q=q)
    if action == "suggest":
        suggested, predicted = _suggest(
            session,
            principal,
            values["title"],
            values["description"],
            values["recommendation_ids"],
        )
        values["themes"] = list(dict.fromkeys([*values["themes"], *predicted]))
        return _form_page(request, session, principal, values, q=q, suggested=suggested)
    errors = FieldErrors()
    start, end = forms.parse_period(form, errors)
    data: RequestCreate | None = None
    try:
        # No theme chosen: leave the field out, so that the service takes the themes of the
        # linked recommendations (as for an API client that sends none).
        themes = {"themes": values["themes"]} if values["themes"] else {}
        data = RequestCreate(
            title=values["title"],
            description=values["description"],
            recommendation_ids=values["recommendation_ids"],
            **themes,
            assistance_types=values["assistance_types"],
            languages=values["languages"],
            period_start=start,
            period_end=end,
            consent_to_publish=values["consent_to_publish"],
            status=RequestStatus.draft if action == "draft" else RequestStatus.open,
        )
    except ValidationError as exc:
        forms.add_validation_errors(errors, exc)
    if data is not None and not errors:
        try:
            item = requests_service.create(session, principal, data)
        except InvalidInput as exc:
            forms.add_domain_error(errors, exc)
            page = _form_page(
                request, session, principal, values, q=q, errors=errors, status_code=422
            )
            raise RefusedChange(page) from exc
        url = request.app.url_path_for("web_state_request", request_id=item.id)
        return RedirectResponse(str(url), status_code=303)
    return _form_page(request, session, principal, values, q=q, errors=errors, status_code=422)


@router.get("/requests/{request_id}", name="web_state_request")
def request_page(
    request: Request, request_id: int, session: SessionDep, principal: StatePagePrincipal
) -> Response:
    item = _own_request(session, principal, request_id)
    matches = list(
        session.scalars(
            matches_repository.matches_query(
                principal, matches_repository.MatchFilters(request_id=item.id)
            )
        )
    )
    context = {
        "item": item,
        "matches": matches,
        "countries": {item.state_iso3: session.get(Country, item.state_iso3)},
        "status_actions": STATUS_ACTIONS.get(item.status, ()),
    }
    return render(request, "state/request.html", context)


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
    url = request.app.url_path_for("web_state_request", request_id=item.id)
    return RedirectResponse(str(url), status_code=303)


@router.post("/matches/{match_id}/decision", name="web_state_match_decision")
def decide_match(
    request: Request,
    match_id: int,
    session: SessionDep,
    principal: StatePagePrincipal,
    form: PostedForm,
) -> Response:
    """Accept or decline a proposed partner, as POST /api/v1/matches/{id}/decision does."""
    match = forms.decide(session, principal, match_id, Party.state, form)
    target = (
        request.app.url_path_for("web_state_home")
        if forms.text(form, "back", 10) == "home"
        else request.app.url_path_for("web_state_request", request_id=match.request_id)
    )
    return RedirectResponse(str(target), status_code=303)
