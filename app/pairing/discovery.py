"""Discovery from the provider's side: the published open requests that fit one of its offers
(the same scores as a matching run, seen from the offer), and the provider's interest in one
of them, which becomes a suggestion in OHCHR's review queue. Only published requests are ever
shown or accepted: an unpublished request reaches a provider only through OHCHR's proposal."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from app.assistance_requests.models import AssistanceRequest
from app.audit import service as audit
from app.auth.principal import Principal
from app.core.errors import Conflict, InvalidInput
from app.matches import service as matches
from app.matches.models import Match
from app.matches.schemas import MatchCreate, MatchRead
from app.offers.models import Offer, OfferStatus
from app.pairing import repository
from app.pairing.profiles import build_context, offer_profiles, request_profiles
from matching.scoring import THRESHOLD, Suggestion, rank_requests

FITTING_LIMIT = 10


@dataclass(frozen=True)
class FittingRequest:
    request: AssistanceRequest
    score: float
    explanation: str
    match: Match | None  # the pair's match, if it is already paired in any status
    reasons: list[dict[str, object]] = field(default_factory=list)  # worded by the page


def fitting_requests(
    session: Session, offer: Offer, limit: int = FITTING_LIMIT
) -> list[FittingRequest]:
    """The published open requests a matching run would pair with `offer`, best first."""
    if offer.status != OfferStatus.active:
        return []
    published = {r.id: r for r in repository.published_open_requests(session)}
    found = _rank(session, offer, list(published.values()), limit)
    paired = repository.matches_of_offer(session, offer.id) if found else {}
    return [
        FittingRequest(
            published[s.request_id],
            s.score,
            s.explanation,
            paired.get(s.request_id),
            [reason.as_dict() for reason in s.reasons],
        )
        for s in found
    ]


def express_interest(session: Session, actor: Principal, offer: Offer, request_id: int) -> Match:
    """The provider's interest in a published open request that fits its offer: a suggested
    match for OHCHR to review (audited as the provider's interest)."""
    (request,) = repository.published_open_requests(session, request_id) or (None,)
    if request is None:
        raise InvalidInput(
            f"request {request_id} is not an open, published request", field="request_id"
        )
    return _suggest_pair(session, actor, request, offer)


def ask_for_offer(
    session: Session, actor: Principal, request: AssistanceRequest, offer: Offer
) -> Match | None:
    """A State filed `request` from the offer's page ("request this help"): the pair becomes
    a suggestion for OHCHR to review when the offer can help (active, covering the State, a
    place left...); otherwise the request simply waits for the next matching run."""
    try:
        return _suggest_pair(session, actor, request, offer)
    except (Conflict, InvalidInput):
        return None


def _suggest_pair(
    session: Session, actor: Principal, request: AssistanceRequest, offer: Offer
) -> Match:
    if repository.match_of_pair(session, request.id, offer.id) is not None:
        raise Conflict(f"request {request.id} and offer {offer.id} are already paired")
    if offer.status != OfferStatus.active:
        raise Conflict(f"offer {offer.id} is not active")
    (suggestion,) = _rank(session, offer, [request], 1, threshold=0.0) or (None,)
    if suggestion is None:
        raise InvalidInput(
            f"offer {offer.id} cannot help with request {request.id} (it fails a hard "
            "constraint: coverage, period, capacity or the State itself)",
            field="request_id",
        )
    match = matches.create(
        session,
        actor,
        MatchCreate(
            request_id=request.id,
            offer_id=offer.id,
            score=suggestion.score,
            score_components=suggestion.components,
            explanation=suggestion.explanation,
        ),
    )
    match.reasons = [reason.as_dict() for reason in suggestion.reasons]
    audit.write_entry(
        session, actor, "interest", matches.ENTITY, match.id, None, audit.snapshot(MatchRead, match)
    )
    return match


def _rank(
    session: Session,
    offer: Offer,
    requests: list[AssistanceRequest],
    limit: int,
    threshold: float = THRESHOLD,
) -> list[Suggestion]:
    if not requests:
        return []
    (profile,) = offer_profiles(session, [offer])
    profiles = request_profiles(session, requests)
    return rank_requests(profile, profiles, build_context(session), k=limit, threshold=threshold)
