"""Rules for matches and their review.

    suggested --propose (staff)--> proposed --both parties accept--> agreed (creates an activity)
                                      |
                                      +--a party declines--> declined
    staff may reject, with a reason, at any point: suggested, proposed, declined, or agreed while
    the activity it created has not started (the activity is then cancelled).

Anything else is a 409 that says what is possible. Two people acting on one match at once: the
version check (If-Match or `version`) and the row version let one win and the other get a 409.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.activities import repository as activities_repository
from app.activities import service as activities
from app.activities.models import ActivityStatus
from app.activities.schemas import ActivityCreate
from app.assistance_requests import service as requests
from app.assistance_requests.models import AssistanceRequest, RequestStatus
from app.audit import service as audit
from app.auth.principal import Principal
from app.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.db.base import utcnow
from app.matches import notices, repository
from app.matches.models import Match, MatchStatus, Party, PartyDecision
from app.matches.schemas import MatchCreate, MatchRead, MatchUpdate
from app.offers.models import Offer, OfferStatus

ENTITY = "match"


def get_visible(session: Session, principal: Principal, match_id: int) -> Match:
    match = session.scalar(
        select(Match).where(Match.id == match_id, repository.visible_to(principal))
    )
    if match is None:
        raise NotFound(f"no match with id {match_id}")
    return match


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
    request = match.request
    if request.status != RequestStatus.open:
        raise Conflict(f"request {request.id} is {request.status}, not open: it cannot be proposed")
    offer = match.offer
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
    _require(match, (MatchStatus.proposed,), f"{decision} by the {party}")
    current = match.state_decision if party == Party.state else match.provider_decision
    if current != PartyDecision.pending:
        raise Conflict(f"the {party} has already {current} match {match.id}")
    if party == Party.state:
        match.state_decision = decision
    else:
        match.provider_decision = decision
    if decision == PartyDecision.declined:
        match = _transition(
            session, actor, match, "decline", status=MatchStatus.declined, reason=reason
        )
    elif match.state_decision == match.provider_decision == PartyDecision.accepted:
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
