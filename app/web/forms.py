"""Form handling shared by the State and provider pages: reading posted fields, turning the
API's validation errors into messages next to the fields, and the parties' match decisions.

Fields are read leniently (everything as text) and validated by the API's own write schemas
and services, so that a mistake re-renders the form with the user's input and a message
instead of an error page."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Annotated

from fastapi import Depends, Request
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from app.auth.principal import Principal
from app.core.concurrency import check_version
from app.core.errors import DomainError, InvalidInput
from app.matches import repository as matches_repository
from app.matches import service as matches_service
from app.matches.models import Match, MatchStatus, Party, PartyDecision
from app.web.labels import N_
from app.web.params import id_values

MAX_TEXT = 20_000


async def _form(request: Request) -> FormData:
    """The posted form (already parsed and cached by the CSRF check)."""
    return await request.form()


PostedForm = Annotated[FormData, Depends(_form)]


# --- reading fields -----------------------------------------------------------------------------
def text(form: FormData, name: str, max_length: int = MAX_TEXT) -> str:
    value = form.get(name)
    return value.strip()[:max_length] if isinstance(value, str) else ""


def values(form: FormData, name: str, limit: int = 500) -> list[str]:
    """The distinct non-empty values of a repeated field (checkboxes, multi-selects)."""
    found = [v.strip() for v in form.getlist(name) if isinstance(v, str) and v.strip()]
    return list(dict.fromkeys(found))[:limit]


def ids(form: FormData, name: str) -> list[int]:
    return id_values(values(form, name))


def checked(form: FormData, name: str) -> bool:
    return text(form, name, 10) in {"1", "on", "true", "yes"}


def version(form: FormData) -> int | None:
    value = text(form, "version", 20)
    return int(value) if value.isdigit() else None


class FieldErrors(dict[str, str]):
    """Field name -> message (an N_-marked English text, translated by the template)."""

    def add(self, field: str, message: str) -> None:
        self.setdefault(field, message)


def parse_date(form: FormData, name: str, errors: FieldErrors) -> date | None:
    value = text(form, name, 20)
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.add(name, N_("Give a date as YYYY-MM-DD."))
        return None


def parse_period(form: FormData, errors: FieldErrors) -> tuple[date | None, date | None]:
    """The period's dates; an end before the start is reported at once (with other mistakes),
    not only after every other field is right."""
    start, end = parse_date(form, "period_start", errors), parse_date(form, "period_end", errors)
    if start is not None and end is not None and end < start:
        errors.add("period_end", message_for("period_end"))
    return start, end


def parse_int(form: FormData, name: str, errors: FieldErrors, low: int, high: int) -> int | None:
    value = text(form, name, 20)
    if not value:
        return None
    try:
        number = int(value)
    except ValueError:
        number = low - 1
    if not low <= number <= high:
        errors.add(name, N_("Give a whole number in the allowed range."))
        return None
    return number


# --- errors from the schemas and services --------------------------------------------------------
_FIELD_MESSAGES = {
    "title": N_("Give a title of at most 300 characters."),
    "description": N_("The description is too long."),
    "recommendation_ids": N_(
        "Choose only recommendations your State supported; check the list again."
    ),
    "themes": N_("Choose themes from the list."),
    "assistance_types": N_("Choose kinds of assistance from the list."),
    "languages": N_("Choose languages from the list."),
    "countries": N_("Say where the offer can help: countries, regions or groups, or worldwide."),
    "regions": N_("Choose regions and groups from the list."),
    "capacity": N_("Give a whole number in the allowed range."),
    "period_end": N_("The end date must not be before the start date."),
    "status": N_("Choose a status from the list."),
}
_GENERIC = N_("This value is not valid.")


def message_for(field: str) -> str:
    return _FIELD_MESSAGES.get(field, _GENERIC)


def add_validation_errors(errors: FieldErrors, exc: ValidationError) -> None:
    for error in exc.errors():
        loc = [str(p) for p in error.get("loc", ())]
        field = loc[0] if loc else ""
        if not field:  # the one model-level rule of these schemas: the period's order
            field = "period_end"
        errors.add(field, message_for(field))


def add_domain_error(errors: FieldErrors, exc: DomainError) -> None:
    fields = [e.get("field") or "" for e in exc.errors] or [""]
    for field in fields:
        errors.add(field, message_for(field))


def error_summary(errors: FieldErrors, shown: Iterable[str]) -> list[str]:
    """Messages for errors on fields the form does not show (so that none is lost)."""
    visible = set(shown)
    return [message for field, message in errors.items() if field not in visible]


# --- the parties' decisions on proposed matches --------------------------------------------------
def awaiting(session: Session, principal: Principal, party: Party) -> list[Match]:
    """Proposed matches that wait for this party's answer, best first."""
    stmt = matches_repository.matches_query(
        principal, matches_repository.MatchFilters(status=MatchStatus.proposed)
    )
    column = Match.state_decision if party == Party.state else Match.provider_decision
    return list(session.scalars(stmt.where(column == PartyDecision.pending)))


def decide(
    session: Session, principal: Principal, match_id: int, party: Party, form: FormData
) -> Match:
    """The same rules as POST /api/v1/matches/{id}/decision: only matches visible to the
    caller (404 otherwise), only for the caller's own side, and against the version read."""
    match = matches_service.get_visible(session, principal, match_id)
    party = matches_service.deciding_party(principal, match, party)
    choice = text(form, "decision", 20)
    if choice not in {PartyDecision.accepted.value, PartyDecision.declined.value}:
        raise InvalidInput("choose accepted or declined", field="decision")
    check_version(match.version, None, version(form))
    reason = text(form, "reason", 2000) or None
    return matches_service.decide(session, principal, match, party, PartyDecision(choice), reason)
