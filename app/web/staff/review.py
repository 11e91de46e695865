"""The review queue: suggested matches with their score, its components and the explanation;
staff propose a match to both parties or reject it with a reason (the API's review rules)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from app.auth.principal import Principal
from app.core.concurrency import check_version
from app.core.errors import Conflict, InvalidInput
from app.core.pagination import paginate
from app.db.session import SessionDep
from app.matches import repository as matches_repository
from app.matches import service as matches_service
from app.matches.models import Match, MatchStatus
from app.matches.schemas import MatchRejection
from app.reference import repository as reference_repository
from app.reference.models import Country
from app.web.errors import RefusedChange
from app.web.params import enum_value, page_count, page_value
from app.web.sessions import StaffPagePrincipal, safe_next
from app.web.staff.common import flash, see_other
from app.web.staff.common import page as staff_page
from matching.scoring import THRESHOLD, WEIGHTS

router = APIRouter()

PAGE_SIZE = 20
REASON_FIELD_MAX = 20_000  # the schema allows 2,000; longer is a message, not an error page
# Statuses a staff member may still reject from (the service's rule, for showing the form).
REJECTABLE = (MatchStatus.suggested, MatchStatus.proposed, MatchStatus.declined, MatchStatus.agreed)


def _countries(session: Session, matches: list[Match]) -> dict[str, Country]:
    return reference_repository.get_by_keys(session, Country, {m.state_iso3 for m in matches})


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


@router.get("/matches", name="web_staff_matches")
def queue(
    request: Request,
    session: SessionDep,
    principal: StaffPagePrincipal,
    status: str | None = None,
    page: str | None = None,
) -> Response:
    # No status in the address: the suggestions; an empty one (the "any" choice): every match.
    chosen = MatchStatus.suggested if status is None else enum_value(MatchStatus, status)
    number, params = page_value(page, PAGE_SIZE)
    filters = matches_repository.MatchFilters(status=chosen)
    items, total = paginate(session, matches_repository.matches_query(principal, filters), params)
    return _page(
        request,
        "staff/matches.html",
        {
            "items": items,
            "status": chosen,
            "countries": _countries(session, list(items)),
            "components": {m.id: components(m) for m in items},
            "page": number,
            "pages": page_count(total, PAGE_SIZE),
            "total": total,
        },
    )


def _page(
    request: Request, template: str, context: dict[str, Any], status_code: int = 200
) -> Response:
    return staff_page(
        request,
        template,
        {"rejectable": REJECTABLE, "threshold": THRESHOLD, **context},
        status_code=status_code,
    )


def _match(session: Session, principal: Principal, match_id: int) -> Match:
    return matches_service.get_visible(session, principal, match_id)


def _detail(
    request: Request,
    session: SessionDep,
    match: Match,
    *,
    error: str | None = None,
    problem: str | None = None,
    reason: str = "",
    status_code: int = 200,
) -> Response:
    return _page(
        request,
        "staff/match.html",
        {
            "item": match,
            "countries": _countries(session, [match]),
            "components": components(match),
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
    return _detail(request, session, _match(session, principal, match_id))


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
        page = _detail(request, session, match, problem=exc.detail, status_code=409)
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
        return _detail(request, session, match, error="reason_required", status_code=422)
    try:
        data = MatchRejection(reason=reason, version=version)
    except ValidationError:
        return _detail(
            request, session, match, error="reason_invalid", reason=reason, status_code=422
        )
    try:
        if data.version is not None:
            check_version(match.version, None, data.version)
        matches_service.reject(session, principal, match, data.reason)
    except InvalidInput as exc:
        page = _detail(
            request, session, match, error="reason_required", reason=reason, status_code=422
        )
        raise RefusedChange(page) from exc
    except Conflict as exc:
        page = _detail(request, session, match, problem=exc.detail, reason=reason, status_code=409)
        raise RefusedChange(page) from exc
    flash(request, "rejected", match=match.id)
    return see_other(_back(request, next, match.id))
