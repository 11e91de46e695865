"""What the State focal point's pages and the provider's pages do alike, written once.

Each party (a State, a provider organization) has a home page with its own records (a State's
requests, an organization's offers) and the proposed matches that wait for its answer; a form
for its records, whose posted fields go through the API's write schema and service and come
back with messages next to the fields, or on to the saved record; and Accept/Decline forms
for the matches OHCHR proposes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import Select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from app.activities import repository as activities_repository
from app.activities.models import Activity, ActivityStatus
from app.auth.models import Role
from app.auth.principal import Principal
from app.core.concurrency import check_version
from app.core.errors import InvalidInput
from app.db.base import utcnow
from app.digest import service as digest
from app.matches import repository as matches_repository
from app.matches import service as matches_service
from app.matches.models import Match, MatchStatus, Party, PartyDecision
from app.reference import repository as reference_repository
from app.reference.languages import ISO_SORT_START
from app.reference.models import AssistanceType, Language, Theme
from app.web import forms
from app.web.errors import RefusedChange
from app.web.forms import FieldErrors
from app.web.listing import Listing
from app.web.templating import render

Data = TypeVar("Data")


ACTIVITIES_SHOWN = 50  # on a party's home page; the activities list has the rest


class Record(Protocol):
    """A party's record: a State's request, a provider's offer."""

    @property
    def id(self) -> int: ...


Saved = TypeVar("Saved", bound=Record)


class FormPage(Protocol):
    """A party's form again, with the user's input, the `errors` next to its fields, and
    `status_code`."""

    def __call__(self, *, errors: FieldErrors, status_code: int) -> Response: ...


@dataclass(frozen=True)
class Side:
    """One party's pages: its side of a match, its home page, and the page of one of its
    records (a State's request, a provider's offer) with the route's path parameter."""

    party: Party
    home_route: str
    record_route: str
    record_param: str

    def record_of(self, match: Match) -> int:
        """The id of this party's own record in a match."""
        return match.request_id if self.party == Party.state else match.offer_id

    def to_home(self, request: Request) -> RedirectResponse:
        return see_other(request, self.home_route)

    def to_record(self, request: Request, record_id: int) -> RedirectResponse:
        return see_other(request, self.record_route, **{self.record_param: record_id})


def see_other(request: Request, route: str, **params: Any) -> RedirectResponse:
    """A redirect to a page after a POST (303: the browser then GETs it)."""
    return RedirectResponse(str(request.app.url_path_for(route, **params)), status_code=303)


# --- the home page ------------------------------------------------------------------------------
def home_context(
    request: Request,
    session: Session,
    principal: Principal,
    side: Side,
    records: Select[Any],
    listing: Listing[Any],
) -> dict[str, Any] | Response:
    """The party's own records (a page of them in the order asked for, the newest change
    first by default; or their export), what needs its attention and the proposals awaiting
    its answer (with how long they have waited)."""
    shown = listing.show(request, session, records)
    if isinstance(shown, Response):
        return shown
    waiting = awaiting(session, principal, side.party)
    now = utcnow()
    since = digest.proposed_since(session, [m.id for m in waiting])
    return {
        **shown.context(),
        "awaiting": waiting,
        "waited_days": {
            m.id: (now - (since.get(m.id) or m.decided_at or m.created_at)).days for m in waiting
        },
        "activities": own_activities(session, principal),
        # Proposals have their own section, with the answer buttons.
        "attention": [
            section
            for section in digest.attention(session, principal, now, digest.Thresholds())
            if section["kind"] != "awaiting_your_answer"
        ],
    }


def own_activities(session: Session, principal: Principal) -> list[Activity]:
    """The activities the party carries (its State's, or those its organization provides),
    those under way first, then the planned, then the rest; the newest first in each."""
    filters = activities_repository.ActivityFilters(
        state=principal.state_iso3 if principal.role == Role.state else None,
        provider_id=principal.organization_id if principal.role == Role.provider else None,
    )
    found = list(
        session.scalars(
            activities_repository.activities_query(principal, filters)
            .order_by(None)
            .order_by(Activity.id.desc())
            .limit(ACTIVITIES_SHOWN)
        )
    )
    order = {ActivityStatus.ongoing: 0, ActivityStatus.planned: 1}
    return sorted(found, key=lambda a: order.get(a.status, 2))


def matches_of(
    session: Session, principal: Principal, filters: matches_repository.MatchFilters
) -> list[Match]:
    """The matches of one of the party's records, as far as the party may see them."""
    return list(session.scalars(matches_repository.matches_query(principal, filters)))


def vocabularies(session: Session) -> dict[str, dict[str, Any]]:
    """Themes, kinds of assistance and languages by code, to show a record's codes as labels."""
    return {
        "themes": {r.code: r for r in reference_repository.list_vocabulary(session, Theme)},
        "assistance_types": {
            r.code: r for r in reference_repository.list_vocabulary(session, AssistanceType)
        },
        "languages": {r.code: r for r in reference_repository.list_vocabulary(session, Language)},
    }


# --- the record form ----------------------------------------------------------------------------
def form_context(
    session: Session, values: dict[str, Any], errors: FieldErrors, shown: tuple[str, ...]
) -> dict[str, Any]:
    """What a party's form shows in any case: the values (as typed), the messages next to the
    `shown` fields and, above the form, those of the others; the kinds of assistance and the
    languages to choose from."""
    return {
        "values": values,
        "errors": errors,
        "other_errors": forms.error_summary(errors, shown),
        "assistance_type_options": reference_repository.list_vocabulary(session, AssistanceType),
        **language_choices(session),
    }


def language_choices(session: Session) -> dict[str, Any]:
    """The seed's languages (the six UN languages first) as boxes to tick, and every other
    language in a searchable list (those chosen selected there)."""
    every = reference_repository.list_vocabulary(session, Language)
    return {
        "language_options": [lang for lang in every if lang.sort_order < ISO_SORT_START],
        "more_languages": [lang for lang in every if lang.sort_order >= ISO_SORT_START],
    }


def save_form(
    request: Request,
    side: Side,
    errors: FieldErrors,
    build: Callable[[], Data],
    save: Callable[[Data], Saved],
    form_page: FormPage,
) -> Response:
    """A party's posted form on its way to the API's service (`submit`); once saved, a redirect
    to the record's page."""
    return submit(errors, build, save, form_page, lambda record: side.to_record(request, record.id))


def submit(
    errors: FieldErrors,
    build: Callable[[], Data],
    save: Callable[[Data], Saved],
    form_page: FormPage,
    done: Callable[[Saved], Response],
) -> Response:
    """A posted form on its way to the API's service, which takes it as from the API.

    `build` makes the write schema from the posted fields (pydantic validates them) and `save`
    hands it to the service. The mistakes either finds, with those already in `errors` from
    reading the fields, become messages next to the fields: the form comes back (`form_page`,
    with 422) with the user's input. A refusal of the service is raised as RefusedChange, so
    that the request's session rolls back what the attempt had flushed. Once saved: `done`."""
    data: Data | None = None
    try:
        data = build()
    except ValidationError as exc:
        forms.add_validation_errors(errors, exc)
    if data is None or errors:
        return form_page(errors=errors, status_code=422)
    try:
        record = save(data)
    except InvalidInput as exc:
        forms.add_domain_error(errors, exc)
        raise RefusedChange(form_page(errors=errors, status_code=422)) from exc
    return done(record)


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
    choice = forms.text(form, "decision", 20)
    if choice not in {PartyDecision.accepted.value, PartyDecision.declined.value}:
        raise InvalidInput("choose accepted or declined", field="decision")
    check_version(match.version, None, forms.version(form))
    reason = forms.text(form, "reason", 2000) or None
    return matches_service.decide(session, principal, match, party, PartyDecision(choice), reason)


def answer(
    request: Request,
    session: Session,
    principal: Principal,
    side: Side,
    match_id: int,
    form: FormData,
) -> Response:
    """Accept or decline a proposed match for the party's side, then back to the page the
    answer was given on: the home page (`back=home`) or the party's record in the match. A
    decline is final: it is asked again on a page of its own before it is made."""
    declining = forms.text(form, "decision", 20) == PartyDecision.declined.value
    if declining and not forms.checked(form, "confirmed"):
        match = matches_service.get_visible(session, principal, match_id)
        party = matches_service.deciding_party(principal, match, side.party)
        if _awaits_answer(match, party):
            return confirm_decline(request, match, side, form)
    match = decide(session, principal, match_id, side.party, form)
    return _back(request, side, form, match)


def _awaits_answer(match: Match, party: Party) -> bool:
    own = match.state_decision if party == Party.state else match.provider_decision
    return match.status == MatchStatus.proposed and own == PartyDecision.pending


def confirm_decline(request: Request, match: Match, side: Side, form: FormData) -> Response:
    """ "Decline this proposal?" with what declining means, the reason typed so far, and the
    way back."""
    back = forms.text(form, "back", 10)
    back_url = (
        request.app.url_path_for(side.home_route)
        if back == "home"
        else request.app.url_path_for(
            side.record_route, **{side.record_param: side.record_of(match)}
        )
    )
    context = {
        "match": match,
        "side": side.party.value,
        "version": forms.version(form),
        "reason": forms.text(form, "reason", 2000),
        "back": back,
        "decide_url": request.url.path,
        "back_url": back_url,
    }
    return render(request, "party_confirm_decline.html", context)


def take_back(
    request: Request,
    session: Session,
    principal: Principal,
    side: Side,
    match_id: int,
    form: FormData,
) -> Response:
    """Take back the party's acceptance (as POST /api/v1/matches/{id}/decision/take-back),
    then back to the page it was taken back on."""
    match = matches_service.get_visible(session, principal, match_id)
    party = matches_service.deciding_party(principal, match, side.party)
    check_version(match.version, None, forms.version(form))
    matches_service.take_back(session, principal, match, party)
    return _back(request, side, form, match)


def _back(request: Request, side: Side, form: FormData, match: Match) -> RedirectResponse:
    """Back to the page the answer was given on: the home page or the party's record."""
    if forms.text(form, "back", 10) == "home":
        return side.to_home(request)
    return side.to_record(request, side.record_of(match))
