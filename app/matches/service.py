"""Rules for matches and their review.

    suggested --propose (staff)--> proposed --both parties accept--> agreed (creates an activity)
                                      |
                                      +--a party declines--> declined
    staff may reject, with a reason, at any point: suggested, proposed, declined, or agreed while
    the activity it created has not started (the activity is then cancelled).

Anything else is a 409 that says what is possible. Two people acting on one match at once: the
version check (If-Match or `version`) and the row version let one win and the other get a 409.
Matches of one offer answered at once: proposing and agreeing lock the request's and the offer's
rows first (`app/db/locks.py`), so the places counted are the latest and one place is never given
twice ("no place left"). Withdrawing the request or closing the offer ends its proposals: the
State or the provider declines them, and a decision that comes later is a 409 that says why.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from app.activities import repository as activities_repository
from app.activities import service as activities
from app.activities.models import ActivityStatus
from app.activities.schemas import ActivityCreate
from app.assistance_requests import repository as requests_repository
from app.assistance_requests import service as requests
from app.assistance_requests.models import AssistanceRequest, RequestStatus
from app.audit import service as audit
from app.auth.principal import Principal
from app.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.core.pagination import PageParams, page_if
from app.core.schemas import Page
from app.db.base import utcnow
from app.db.locks import lock
from app.matches import notices, repository
from app.matches.models import Match, MatchStatus, Party, PartyDecision
from app.matches.schemas import MatchCreate, MatchRead, MatchUpdate
from app.offers import repository as offers_repository
from app.offers import service as offers
from app.offers.models import Offer, OfferStatus

ENTITY = "match"


def get_visible(session: Session, principal: Principal, match_id: int) -> Match:
    match = session.scalar(
        select(Match).where(Match.id == match_id, repository.visible_to(principal))
    )
    if match is None:
        raise NotFound(f"no match with id {match_id}")
    return match


def request_matches(
    session: Session,
    principal: Principal,
    request_id: int,
    page: PageParams,
    status: MatchStatus | None,
) -> Page[MatchRead]:
    """The ranked matches of a request, if the caller may see the request (a 404 otherwise,
    so that its existence is not revealed)."""
    filters = repository.MatchFilters(request_id=request_id, status=status)
    visible = requests_repository.visible_condition(principal, request_id)
    return _ranked(
        session, principal, filters, page, visible, f"no assistance request with id {request_id}"
    )


def offer_matches(
    session: Session,
    principal: Principal,
    offer_id: int,
    page: PageParams,
    status: MatchStatus | None,
) -> Page[MatchRead]:
    """The ranked matches of an offer, if the caller may see the offer (a 404 otherwise)."""
    filters = repository.MatchFilters(offer_id=offer_id, status=status)
    visible = offers_repository.visible_condition(principal, offer_id)
    return _ranked(session, principal, filters, page, visible, f"no offer with id {offer_id}")


def _ranked(
    session: Session,
    principal: Principal,
    filters: repository.MatchFilters,
    page: PageParams,
    visible: ColumnElement[bool],
    missing: str,
) -> Page[MatchRead]:
    """One page of ranked matches whose owner (request or offer) the caller may see. The check
    rides in the statement that counts the matches: staff read these lists all day, and a
    statement of its own cost them ~6 % of the throughput (benchmarks/README.md, "Under
    load")."""
    found = page_if(session, repository.matches_query(principal, filters), page, MatchRead, visible)
    if found is None:
        raise NotFound(missing)
    return found


def own_party(principal: Principal, match: Match) -> Party | None:
    """The side of the match the caller speaks for, if any."""
    if principal.is_state(match.state_iso3):
        return Party.state
    if principal.is_provider(match.provider_id):
        return Party.provider
    return None


def deciding_party(principal: Principal, match: Match, named: Party | None) -> Party:
    """Whose decision this is: the caller's own side of the match, or, for staff recording an
    answer received by other means, the party they name."""
    if principal.is_staff:
        if named is None:
            raise InvalidInput("name the party whose decision you record", field="party")
        return named
    own = own_party(principal, match)
    if own is None or (named is not None and named != own):
        raise PermissionDenied("You may decide only for your own side of this match")
    return own


def create(session: Session, actor: Principal, data: MatchCreate) -> Match:
    if session.get(AssistanceRequest, data.request_id) is None:
        raise InvalidInput(f"no assistance request with id {data.request_id}", field="request_id")
    if session.get(Offer, data.offer_id) is None:
        raise InvalidInput(f"no offer with id {data.offer_id}", field="offer_id")
    existing = session.scalar(
        select(Match.id).where(Match.request_id == data.request_id, Match.offer_id == data.offer_id)
    )
    if existing is not None:
        raise Conflict(
            f"request {data.request_id} and offer {data.offer_id} are already paired "
            f"(match {existing})"
        )
    match = Match(**data.model_dump())
    audit.created(session, actor, ENTITY, match, MatchRead)
    return match


def update(session: Session, actor: Principal, match: Match, data: MatchUpdate) -> Match:
    """A status sent by PATCH goes through the same rules as the review endpoints."""
    if data.status is not None and data.status != match.status:
        if data.status == MatchStatus.proposed:
            return propose(session, actor, match)
        if data.status == MatchStatus.rejected:
            return reject(session, actor, match, data.reason)
        raise Conflict(
            f"match {match.id} cannot be set to {data.status}: it becomes agreed or declined "
            f"through the parties' decisions (POST /api/v1/matches/{match.id}/decision)"
        )
    if data.reason is None:
        return match
    return _transition(session, actor, match, "update", reason=data.reason)


def delete(session: Session, actor: Principal, match: Match) -> None:
    if match.status != MatchStatus.suggested:
        raise Conflict(
            f"match {match.id} is {match.status}: only suggestions may be deleted; "
            "reject it instead, so that the decision stays on record"
        )
    audit.deleted(session, actor, ENTITY, match, MatchRead)


# --- review ---------------------------------------------------------------------------------
def propose(session: Session, actor: Principal, match: Match) -> Match:
    """Staff put a suggestion to the State and the provider, who then see it."""
    _require(match, (MatchStatus.suggested,), "proposed")
    request, offer = _lock_pair(session, match)
    if request.status != RequestStatus.open:
        raise Conflict(f"request {request.id} is {request.status}, not open: it cannot be proposed")
    if offer.status != OfferStatus.active:
        raise Conflict(f"offer {offer.id} is {offer.status}, not active: it cannot be proposed")
    taken = repository.places_taken(session, offer.id).get(offer.id, 0)
    if taken >= offer.capacity:
        raise Conflict(
            f"offer {offer.id} has no place left: {taken} of its {offer.capacity} are proposed "
            "or agreed"
        )
    match = _transition(session, actor, match, "propose", status=MatchStatus.proposed)
    notices.proposed(session, actor, match)
    return match


def decide(
    session: Session,
    actor: Principal,
    match: Match,
    party: Party,
    decision: PartyDecision,
    reason: str | None = None,
) -> Match:
    """The State's or the provider's answer to a proposal (staff may record it for them)."""
    request, offer = _lock_pair(session, match)
    _refuse_if_ended(match, request, offer, f"{decision} by the {party}")
    _require(match, (MatchStatus.proposed,), f"{decision} by the {party}")
    current = match.state_decision if party == Party.state else match.provider_decision
    if current != PartyDecision.pending:
        raise Conflict(f"the {party} has already {current} match {match.id}")
    other = match.provider_decision if party == Party.state else match.state_decision
    agrees = decision == other == PartyDecision.accepted
    if agrees:
        _check_place_to_agree(session, match, offer)
    if party == Party.state:
        match.state_decision = decision
    else:
        match.provider_decision = decision
    if decision == PartyDecision.declined:
        match = _transition(
            session, actor, match, "decline", status=MatchStatus.declined, reason=reason
        )
    elif agrees:
        return _agree(session, actor, match, reason)
    else:
        match = _transition(session, actor, match, "accept", reason=reason)
    notices.answered(session, actor, match, party, decision, reason)
    return match


def take_back(session: Session, actor: Principal, match: Match, party: Party) -> Match:
    """A party takes back its acceptance while the other party has not answered: the proposal
    waits for its answer again. (A decline ends the proposal at once: it cannot be taken back.)"""
    _require(match, (MatchStatus.proposed,), f"taken back by the {party}")
    own, other = (
        (match.state_decision, match.provider_decision)
        if party == Party.state
        else (match.provider_decision, match.state_decision)
    )
    if own != PartyDecision.accepted:
        raise Conflict(f"the {party} has no answer to take back on match {match.id}")
    if other != PartyDecision.pending:
        raise Conflict(f"the other party has already answered on match {match.id}")
    with audit.changing(session, actor, ENTITY, match, MatchRead, action="take_back"):
        if party == Party.state:
            match.state_decision = PartyDecision.pending
        else:
            match.provider_decision = PartyDecision.pending
    return match


def reject(session: Session, actor: Principal, match: Match, reason: str | None) -> Match:
    if not reason:
        raise InvalidInput("give the reason for rejecting this match", field="reason")
    _require(
        match,
        (MatchStatus.suggested, MatchStatus.proposed, MatchStatus.declined, MatchStatus.agreed),
        "rejected",
    )
    if match.status == MatchStatus.agreed:
        _cancel_activity(session, actor, match)
    notices.withdrawn(session, actor, match, reason)
    return _transition(session, actor, match, "reject", status=MatchStatus.rejected, reason=reason)


def end_proposals(
    session: Session,
    actor: Principal,
    party: Party,
    *,
    request_id: int | None = None,
    offer_id: int | None = None,
) -> list[Match]:
    """The request was withdrawn (its State's side) or the offer closed (its provider's side):
    its proposals end as declined by that side, audited, and the other side and the staff member
    who proposed them are told why. Called in the transaction that withdraws or closes, after
    that change is flushed; the rows are locked, so a decision racing it waits, then gets a 409."""
    ended = repository.open_proposals(session, request_id=request_id, offer_id=offer_id)
    cause = notices.REQUEST_WITHDRAWN if party == Party.state else notices.OFFER_CLOSED
    for match in ended:
        if party == Party.state:
            match.state_decision = PartyDecision.declined
        else:
            match.provider_decision = PartyDecision.declined
        _transition(session, actor, match, "decline", status=MatchStatus.declined)
        notices.answered(session, actor, match, party, PartyDecision.declined, None, cause)
    return ended


def _lock_pair(session: Session, match: Match) -> tuple[AssistanceRequest, Offer]:
    """Serialise the review of the matches of one request and one offer: their rows locked
    (the request first, everywhere) and read afresh, so that the places counted, and the
    statuses checked, are those the transactions before this one committed."""
    lock(session, match.request)
    lock(session, match.offer)
    return match.request, match.offer


def _refuse_if_ended(match: Match, request: AssistanceRequest, offer: Offer, wanted: str) -> None:
    """A decision on a proposal whose request was withdrawn or whose offer was closed."""
    if request.status == RequestStatus.withdrawn:
        why = f"the request {request.id} was withdrawn"
    elif offer.status == OfferStatus.closed:
        why = f"the offer {offer.id} was closed"
    else:
        return
    raise Conflict(f"match {match.id} cannot be {wanted}: {why}, which ended the proposal")


def _check_place_to_agree(session: Session, match: Match, offer: Offer) -> None:
    """The second acceptance takes one of the offer's places for good: refused when the
    agreements already made fill them (proposals made before proposing was serialised may
    hold more places than the offer has)."""
    agreed = repository.places_agreed(session, offer.id)
    if agreed >= offer.capacity:
        raise Conflict(
            f"offer {offer.id} has no place left: {agreed} of its {offer.capacity} are agreed "
            f"with other requests, so match {match.id} cannot be agreed"
        )


def _require(match: Match, allowed: tuple[MatchStatus, ...], wanted: str) -> None:
    if match.status not in allowed:
        possible = ", ".join(str(s) for s in allowed)
        raise Conflict(
            f"match {match.id} is {match.status} and cannot be {wanted}; "
            f"that is possible only from: {possible}"
        )


def _transition(
    session: Session,
    actor: Principal,
    match: Match,
    action: str,
    *,
    status: MatchStatus | None = None,
    reason: str | None = None,
) -> Match:
    with audit.changing(session, actor, ENTITY, match, MatchRead, action=action):
        if status is not None:
            match.status = status
        if reason is not None:
            match.reason = reason
        match.decided_by_id = actor.user_id
        match.decided_at = utcnow()
    return match


def _agree(session: Session, actor: Principal, match: Match, reason: str | None) -> Match:
    """Both parties accepted: the match is agreed and becomes a planned activity."""
    match = _transition(session, actor, match, "agree", status=MatchStatus.agreed, reason=reason)
    request, offer = match.request, match.offer
    start = max((d for d in (request.period_start, offer.period_start) if d), default=None)
    end = min((d for d in (request.period_end, offer.period_end) if d), default=None)
    activity = activities.create(
        session,
        actor,
        ActivityCreate(
            state=request.state_iso3,
            title=request.title,
            description=f"{offer.title}\n\n{request.description}".strip(),
            provider_ids=[offer.organization_id],
            recommendation_ids=request.recommendation_ids,
            themes=request.theme_codes or offer.theme_codes,
            period_start=start,
            period_end=end if start is None or end is None or end >= start else None,
            status=ActivityStatus.planned,
            # The State consented to publish its request: the cooperation that answers it is
            # public too. Without that consent the activity stays private (the State may
            # publish it later).
            consent_to_publish=request.consent_to_publish,
        ),
        match_id=match.id,
    )
    requests.mark_matched(session, actor, request)
    notices.agreed(session, actor, match, activity)
    return match


def _cancel_activity(session: Session, actor: Principal, match: Match) -> None:
    activity = activities_repository.of_match(session, match.id)
    if activity is None or activity.status == ActivityStatus.cancelled:
        return
    if activity.status != ActivityStatus.planned:
        raise Conflict(
            f"match {match.id} led to activity {activity.id}, which is {activity.status}: "
            "follow it up as an activity instead of rejecting the match"
        )
    activities.cancel(session, actor, activity)


def _request_withdrawn(session: Session, actor: Principal, request: AssistanceRequest) -> None:
    end_proposals(session, actor, Party.state, request_id=request.id)


def _offer_closed(session: Session, actor: Principal, offer: Offer) -> None:
    end_proposals(session, actor, Party.provider, offer_id=offer.id)


def _places_held(session: Session, offer_id: int) -> int:
    return repository.places_taken(session, offer_id).get(offer_id, 0)


requests.when_withdrawn(_request_withdrawn)
offers.when_closed(_offer_closed)
offers.count_places_held(_places_held)
