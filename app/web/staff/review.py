"""The review queue: suggested matches as a compact table that scales to hundreds (filters by
status, State, theme, provider, score and age; sorting; a row opens to show the score's parts),
bulk propose or reject with one reason, and a match's page with the request and the offer side by
side and the "why" of the pair. Every change goes through the API's review rules
(`app.matches.service`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from app.assistance_requests import service as requests_service
from app.auth.principal import Principal
from app.core.concurrency import check_version
from app.core.errors import Conflict, DomainError, InvalidInput
from app.core.pagination import paginate
from app.db.base import utcnow
from app.db.session import SessionDep
from app.matches import repository as matches_repository
from app.matches import service as matches_service
from app.matches.models import Match, MatchStatus
from app.matches.schemas import MatchRejection
from app.offers import service as offers_service
from app.offers.models import Offer
from app.organizations.models import Organization
from app.reference import repository as reference_repository
from app.reference.models import Country, Theme, UNStatus
from app.web import forms, labels
from app.web.errors import RefusedChange
from app.web.i18n import negotiate
from app.web.labels import N_
from app.web.listing import EXPORT_FORMATS, MAX_EXPORT_ROWS, Column, Listing
from app.web.params import (
    MAX_ID,
    enum_value,
    int_value,
    iso3_value,
    page_count,
    page_value,
    text_value,
)
from app.web.sessions import StaffPagePrincipal, safe_next
from app.web.staff.common import QUEUE_AGE, QUEUE_SORT, flash, see_other
from app.web.staff.common import page as staff_page
from app.web.staff.why import why_not
from matching.scoring import THRESHOLD, WEIGHTS

router = APIRouter()

PAGE_SIZE = 50
MAX_BULK = 200  # matches one bulk action may change
REASON_FIELD_MAX = 20_000  # the schema allows 2,000; longer is a message, not an error page
# Statuses a staff member may still reject from (the service's rule, for showing the form).
REJECTABLE = (MatchStatus.suggested, MatchStatus.proposed, MatchStatus.declined, MatchStatus.agreed)
AGE_DAYS = {"week": 7, "month": 30}
OLDER_THAN_DAYS = 30


def components(match: Match) -> list[dict[str, Any]]:
    """The score's components, weightiest first: value (0-1), weight and share of the score."""
    values = match.score_components or {}
    names = sorted(set(WEIGHTS) | set(values), key=lambda n: (-WEIGHTS.get(n, 0.0), n))
    rows = []
    for name in names:
        value = values.get(name)
        number = float(value) if isinstance(value, int | float) else 0.0
        number = min(1.0, max(0.0, number))
        rows.append(
            {
                "name": name,
                "value": number,
                "percent": round(number * 100),
                "weight": round(WEIGHTS.get(name, 0.0) * 100),
                "known": value is not None,
            }
        )
    return rows


# The queue sorts by its own orders (QUEUE_SORT, the headers and the "Order" choice); these
# columns are its export.
QUEUE: Listing[Match] = Listing(
    "matches",
    N_("Review queue"),
    [
        Column("match", N_("Match"), lambda m, _c: m.id),
        Column("state", N_("Requesting State"), lambda m, c: c.state(m.state_iso3)),
        Column("request", N_("Request"), lambda m, _c: m.request.title),
        Column("provider", N_("Provider"), lambda m, _c: m.offer.organization.name),
        Column("offer", N_("Offer"), lambda m, _c: m.offer.title),
        Column("score", N_("Score"), lambda m, _c: round(m.score, 3)),
        Column("status", N_("Status"), lambda m, c: c.choice(labels.MATCH_STATUS, m.status)),
        Column(
            "state_decision",
            N_("Answer of the State"),
            lambda m, c: c.choice(labels.PARTY_DECISION, m.state_decision),
        ),
        Column(
            "provider_decision",
            N_("Answer of the provider"),
            lambda m, c: c.choice(labels.PARTY_DECISION, m.provider_decision),
        ),
        Column("found", N_("Found"), lambda m, _c: m.created_at),
        Column("reason", N_("Reason"), lambda m, _c: m.reason),
    ],
    default=None,
    tiebreak=Match.id,
    page_size=PAGE_SIZE,
)


def _countries(session: Session, matches: Sequence[Match]) -> dict[str, Country]:
    return reference_repository.get_by_keys(session, Country, {m.state_iso3 for m in matches})


def _page(
    request: Request, template: str, context: dict[str, Any], status_code: int = 200
) -> Response:
    return staff_page(
        request,
        template,
        {"rejectable": REJECTABLE, "threshold": THRESHOLD, **context},
        status_code=status_code,
    )


# --- the queue ------------------------------------------------------------------------------
def _score_value(value: str | None) -> float | None:
    try:
        number = float((value or "").strip().replace(",", "."))
    except ValueError:
        return None
    return number if 0.0 <= number <= 1.0 else None


@dataclass(frozen=True)
class QueueChoice:
    """What the queue's filter form holds: the filters, and the values to show in the form."""

    filters: matches_repository.MatchFilters
    status: MatchStatus | None
    state: str | None
    theme: str | None
    provider: int | None
    min_score: float | None
    max_score: float | None
    age: str | None
    sort: str


def queue_choice(params: Mapping[str, str]) -> QueueChoice:
    # No status in the address: the suggestions; an empty one (the "any" choice): every match.
    raw_status = params.get("status")
    status = MatchStatus.suggested if raw_status is None else enum_value(MatchStatus, raw_status)
    age = params.get("age") if params.get("age") in QUEUE_AGE else None
    sort = params.get("sort") or "score"
    sort = sort if sort in QUEUE_SORT else "score"
    state = iso3_value(params.get("state"))
    theme = text_value(params.get("theme"), 60)
    provider = int_value(params.get("provider"), 1, MAX_ID)
    min_score = _score_value(params.get("min_score"))
    max_score = _score_value(params.get("max_score"))
    now = utcnow()
    filters = matches_repository.MatchFilters(
        status=status,
        state=state,
        theme=theme,
        provider_id=provider,
        min_score=min_score,
        max_score=max_score,
        created_after=now - timedelta(days=AGE_DAYS[age]) if age in AGE_DAYS else None,
        created_before=now - timedelta(days=OLDER_THAN_DAYS) if age == "older" else None,
        sort=sort,
    )
    return QueueChoice(filters, status, state, theme, provider, min_score, max_score, age, sort)


def _providers(session: Session) -> list[Organization]:
    """Organizations with at least one offer, by name."""
    with_offers = select(Offer.organization_id)
    return list(
        session.scalars(
            select(Organization).where(Organization.id.in_(with_offers)).order_by(Organization.name)
        )
    )


def _queue_context(
    session: Session, principal: Principal, params: Mapping[str, str]
) -> dict[str, Any]:
    choice = queue_choice(params)
    number, page_params = page_value(params.get("page"), PAGE_SIZE)
    stmt = matches_repository.matches_query(principal, choice.filters)
    items, total = paginate(session, stmt, page_params)
    return {
        "items": items,
        "choice": choice,
        "status": choice.status,
        "countries": _countries(session, items),
        "components": {m.id: components(m) for m in items},
        "country_options": list(
            session.scalars(reference_repository.countries_query(None, None, UNStatus.member))
        ),
        "theme_options": reference_repository.list_vocabulary(session, Theme),
        "provider_options": _providers(session),
        "page": number,
        "pages": page_count(total, PAGE_SIZE),
        "total": total,
        "now": utcnow(),
        "export_limit": MAX_EXPORT_ROWS,
        "errors": {},
        "picked": set(),
        "bulk_action": "",
        "reason": "",
        "form_next": None,
    }


@router.get("/matches", name="web_staff_matches")
def queue(request: Request, session: SessionDep, principal: StaffPagePrincipal) -> Response:
    fmt = request.query_params.get("export")
    if fmt in EXPORT_FORMATS:
        stmt = matches_repository.matches_query(
            principal, queue_choice(request.query_params).filters
        )
        return QUEUE.export(session, stmt, fmt, negotiate(request))
    context = _queue_context(session, principal, request.query_params)
    return _page(request, "staff/matches.html", context)


# --- bulk propose or reject -----------------------------------------------------------------
@dataclass(frozen=True)
class Outcome:
    match_id: int
    match: Match | None
    done: bool
    problem: str | None = None


def _picked(values: list[str]) -> list[tuple[int, int | None]]:
    """(match id, version shown) from the checkboxes' "id:version" values."""
    found: list[tuple[int, int | None]] = []
    for value in values:
        match_id, _sep, version = value.partition(":")
        number = int_value(match_id, 1, MAX_ID)
        if number is not None:
            found.append((number, int_value(version, 1, MAX_ID)))
    return list(dict.fromkeys(found))


def _apply(
    session: Session,
    principal: Principal,
    action: str,
    match_id: int,
    version: int | None,
    reason: str,
) -> Outcome:
    """One match of a bulk action, in a savepoint of its own: a refusal undoes that match only."""
    match = session.scalar(
        select(Match)
        .where(Match.id == match_id)
        .options(
            selectinload(Match.request),
            selectinload(Match.offer).selectinload(Offer.organization),
        )
    )
    if match is None:
        return Outcome(match_id, None, False, f"no match with id {match_id}")
    try:
        with session.begin_nested():
            check_version(match.version, None, version)
            if action == "propose":
                matches_service.propose(session, principal, match)
            else:
                matches_service.reject(session, principal, match, reason)
    except DomainError as exc:
        return Outcome(match_id, match, False, exc.detail)
    except StaleDataError:
        return Outcome(match_id, match, False, "another reviewer changed it at the same time")
    return Outcome(match_id, match, True)


def _bulk_errors(action: str, reason: str, picked: list[tuple[int, int | None]]) -> dict[str, str]:
    errors = forms.FieldErrors()
    if not picked:
        errors.add("match", N_("Tick at least one match in the table."))
    if len(picked) > MAX_BULK:
        errors.add("match", N_("Tick at most 200 matches at a time."))
    if action not in ("propose", "reject"):
        errors.add("action", N_("Choose what to do with the ticked matches."))
    if action == "reject":
        if not reason.strip():
            errors.add("reason", N_("Give the reason for rejecting these matches."))
        else:
            try:
                MatchRejection(reason=reason)
            except ValidationError:
                errors.add(
                    "reason",
                    N_(
                        "The reason could not be accepted: write at most 2,000 characters, "
                        "without control characters."
                    ),
                )
    return dict(errors)


@router.post("/matches/bulk", name="web_staff_bulk")
def bulk(
    request: Request, session: SessionDep, principal: StaffPagePrincipal, form: forms.PostedForm
) -> Response:
    """Propose or reject the ticked matches with one reason; each match's outcome is reported
    (one refused match does not stop the others)."""
    queue_path = str(request.app.url_path_for("web_staff_matches"))
    back = safe_next(forms.text(form, "next", 2000), queue_path)
    if not back.startswith(queue_path):
        back = queue_path
    action = forms.text(form, "action", 20)
    reason = forms.text(form, "reason", REASON_FIELD_MAX)
    picked = _picked(forms.values(form, "match", limit=MAX_BULK + 1))
    errors = _bulk_errors(action, reason, picked)
    if errors:
        params = dict(parse_qsl(urlsplit(back).query))
        context = _queue_context(session, principal, params)
        context.update(
            errors=errors,
            picked={match_id for match_id, _version in picked},
            bulk_action=action,
            reason=reason,
            form_next=back,
        )
        return _page(request, "staff/matches.html", context, status_code=422)
    outcomes = [_apply(session, principal, action, i, v, reason) for i, v in picked]
    found = [o.match for o in outcomes if o.match is not None]
    context = {
        "outcomes": outcomes,
        "action": action,
        "reason": reason,
        "back": back,
        "countries": _countries(session, found),
        "done": sum(o.done for o in outcomes),
    }
    return _page(request, "staff/bulk_result.html", context)


# --- one match --------------------------------------------------------------------------------
def _match(session: Session, principal: Principal, match_id: int) -> Match:
    return matches_service.get_visible(session, principal, match_id)


def _detail(
    request: Request,
    session: SessionDep,
    principal: Principal,
    match: Match,
    *,
    error: str | None = None,
    problem: str | None = None,
    reason: str = "",
    status_code: int = 200,
) -> Response:
    offer = offers_service.get_visible(session, principal, match.offer_id)
    taken = matches_repository.places_taken(session, offer.id).get(offer.id, 0)
    return _page(
        request,
        "staff/match.html",
        {
            "item": match,
            "assistance_request": requests_service.get_visible(
                session, principal, match.request_id
            ),
            "offer": offer,
            "places_left": max(0, offer.capacity - taken),
            "countries": _countries(session, [match]),
            "components": components(match),
            "why": why_not(session, match.request_id, match.offer_id),
            "error": error,
            "problem": problem,
            "reason": reason,
        },
        status_code=status_code,
    )


@router.get("/matches/{match_id}", name="web_staff_match")
def detail(
    request: Request, match_id: int, session: SessionDep, principal: StaffPagePrincipal
) -> Response:
    return _detail(request, session, principal, _match(session, principal, match_id))


def _back(request: Request, next_path: str, match_id: int) -> str:
    default = str(request.app.url_path_for("web_staff_match", match_id=match_id))
    return safe_next(next_path, default)


@router.post("/matches/{match_id}/propose", name="web_staff_propose")
def propose(
    request: Request,
    match_id: int,
    session: SessionDep,
    principal: StaffPagePrincipal,
    version: Annotated[int | None, Form()] = None,
    next: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    match = _match(session, principal, match_id)
    try:
        if version is not None:
            check_version(match.version, None, version)
        matches_service.propose(session, principal, match)
    except Conflict as exc:
        page = _detail(request, session, principal, match, problem=exc.detail, status_code=409)
        raise RefusedChange(page) from exc
    flash(request, "proposed", match=match.id)
    return see_other(_back(request, next, match.id))


@router.post("/matches/{match_id}/reject", name="web_staff_reject")
def reject(
    request: Request,
    match_id: int,
    session: SessionDep,
    principal: StaffPagePrincipal,
    reason: Annotated[str, Form(max_length=REASON_FIELD_MAX)] = "",
    version: Annotated[int | None, Form()] = None,
    next: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    match = _match(session, principal, match_id)
    if not reason.strip():
        return _detail(request, session, principal, match, error="reason_required", status_code=422)
    try:
        data = MatchRejection(reason=reason, version=version)
    except ValidationError:
        return _detail(
            request,
            session,
            principal,
            match,
            error="reason_invalid",
            reason=reason,
            status_code=422,
        )
    try:
        if data.version is not None:
            check_version(match.version, None, data.version)
        matches_service.reject(session, principal, match, data.reason)
    except InvalidInput as exc:
        page = _detail(
            request,
            session,
            principal,
            match,
            error="reason_required",
            reason=reason,
            status_code=422,
        )
        raise RefusedChange(page) from exc
    except Conflict as exc:
        page = _detail(
            request, session, principal, match, problem=exc.detail, reason=reason, status_code=409
        )
        raise RefusedChange(page) from exc
    flash(request, "rejected", match=match.id)
    return see_other(_back(request, next, match.id))
