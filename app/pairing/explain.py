"""Why a matching run would or would not suggest a request-offer pair ("why not"), for staff.

The library explains the pair (`matching.explain`) on the index a run would build now: every
active offer, plus the one asked about when it is not active (so it can say "not active"
rather than nothing). The service adds what only it knows: a run matches open requests only,
the statuses, whether the request's themes were inferred by the tagger, and the pair's match."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.orm import Session

from app.assistance_requests.models import AssistanceRequest, RequestStatus
from app.core.errors import NotFound
from app.offers.models import Offer, OfferStatus
from app.pairing import repository
from app.pairing.profiles import build_context, offer_profiles, request_profiles
from app.pairing.schemas import (
    ComponentRead,
    ConstraintRead,
    MatchingRunCreate,
    PairExplanationRead,
)
from matching.explain import PairExplanation, explain_offer
from matching.scoring import OfferIndex

TOP_K = MatchingRunCreate().top_k  # what a run keeps per request unless told otherwise


def explain(session: Session, request_id: int, offer_id: int) -> PairExplanationRead:
    request = repository.request_for_matching(session, request_id)
    if request is None:
        raise NotFound(f"no assistance request with id {request_id}")
    offer = repository.offer_for_matching(session, offer_id)
    if offer is None:
        raise NotFound(f"no offer with id {offer_id}")
    index = _index_with(session, offer)
    (profile,) = request_profiles(session, [request])
    return _read(request, offer, explain_offer(index, profile, offer.id), session)


def _index_with(session: Session, offer: Offer) -> OfferIndex:
    """The index of a run (active offers), with `offer` in it whatever its status."""
    offers = list(repository.active_offers(session))
    if offer.status != OfferStatus.active:
        offers.append(offer)
    profiles = [
        replace(p, active=False) if p.id == offer.id and offer.status != OfferStatus.active else p
        for p in offer_profiles(session, offers)
    ]
    return OfferIndex(profiles, build_context(session))


def _read(
    request: AssistanceRequest, offer: Offer, why: PairExplanation, session: Session
) -> PairExplanationRead:
    is_open = request.status == RequestStatus.open
    constraints = [
        ConstraintRead(name="request_open", passed=is_open, facts={"status": request.status})
    ]
    for check in why.constraints:
        facts = dict(check.facts)
        if check.name == "active":
            facts["status"] = offer.status
        constraints.append(ConstraintRead(name=check.name, passed=check.passed, facts=facts))
    match = repository.match_of_pair(session, request.id, offer.id)
    return PairExplanationRead(
        request_id=request.id,
        offer_id=offer.id,
        request_status=request.status,
        offer_status=offer.status,
        request_themes_inferred=not request.theme_codes,
        constraints=constraints,
        components=[
            ComponentRead(
                name=c.name,
                value=c.value,
                weight=c.weight,
                contribution=c.contribution,
                facts=dict(c.facts),
            )
            for c in why.components
        ],
        total=why.total,
        threshold=why.threshold,
        relevant=why.relevant,
        reaches_threshold=why.reaches_threshold,
        position=why.position,
        top_k=TOP_K,
        would_be_suggested=is_open and why.position is not None and why.position <= TOP_K,
        match_id=match.id if match else None,
        match_status=match.status if match else None,
    )
