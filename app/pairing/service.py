"""Matching in the service: suggestions stored for staff review, batch assignment, coordination.

A run scores every open request against every active offer (`matching.scoring`) and keeps the
best `top_k` pairs above the threshold as *suggested* matches, one row per pair:
- a pair already in review (proposed, agreed, declined) is left as it is;
- a pair staff rejected is never suggested again (it is a hard constraint of the library);
- an earlier suggestion that no longer qualifies is removed, so the list stays current.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator

from sqlalchemy.orm import Session
from threadpoolctl import threadpool_limits

from app.assistance_requests.models import RequestStatus
from app.audit import service as audit
from app.auth.principal import Principal
from app.matches import reasons
from app.matches import repository as matches_repository
from app.matches import service as matches
from app.matches.models import Match, MatchStatus
from app.offers.models import OfferStatus
from app.pairing import repository
from app.pairing.profiles import build_context, offer_profiles, request_profiles
from app.pairing.schemas import (
    AssignedPairRead,
    AssignmentCreate,
    AssignmentRead,
    MatchingRunCreate,
    MatchingRunRead,
    ProactiveOfferRead,
    ProactivePage,
    ProactiveRecommendationRead,
)
from app.reference import repository as reference_repository
from matching.assignment import Edge, assign
from matching.duplication import DuplicationFlag, Engagement, GapRow, Need, find_duplications
from matching.duplication import find_gaps as library_find_gaps
from matching.proactive import proactive_suggestions
from matching.profiles import RecommendationProfile, RequestProfile
from matching.scoring import OfferIndex, Suggestion

ENTITY = "matching"


def build_index(session: Session) -> OfferIndex:
    offers = repository.active_offers(session)
    return OfferIndex(offer_profiles(session, offers), build_context(session))


def run(session: Session, actor: Principal, data: MatchingRunCreate) -> MatchingRunRead:
    started = time.perf_counter()
    requests = repository.open_requests(session, data.request_ids)
    index = build_index(session)
    profiles = request_profiles(session, requests)
    # One BLAS thread: on a busy two-core server, more threads make each product slower.
    with threadpool_limits(limits=1, user_api="blas"):
        found = {p.id: index.rank(p, k=data.top_k) for p in profiles}
    counts = _store(session, found, full=data.request_ids is None)
    summary = MatchingRunRead(
        requests=len(requests),
        offers=len(index.offers),
        without_suggestion=sorted(rid for rid, suggestions in found.items() if not suggestions),
        seconds=round(time.perf_counter() - started, 3),
        **counts,
    )
    audit.write_entry(session, actor, "run", ENTITY, "run", None, summary.model_dump(mode="json"))
    return summary


def _store(session: Session, found: dict[int, list[Suggestion]], *, full: bool) -> dict[str, int]:
    counts = dict.fromkeys(("created", "updated", "unchanged", "removed", "in_review"), 0)
    existing = {
        (m.request_id, m.offer_id): m for m in repository.matches_of_requests(session, list(found))
    }
    fresh = {(s.request_id, s.offer_id) for suggestions in found.values() for s in suggestions}
    for suggestions in found.values():
        for suggestion in suggestions:
            pair = (suggestion.request_id, suggestion.offer_id)
            counts[_keep(session, existing.get(pair), suggestion)] += 1
    stale = {
        m.id: m
        for pair, m in existing.items()
        if m.status == MatchStatus.suggested and pair not in fresh
    }
    if full:
        stale.update((m.id, m) for m in repository.suggestions_out_of_play(session))
    for match in stale.values():
        session.delete(match)
    counts["removed"] = len(stale)
    session.flush()
    return counts


def _keep(session: Session, match: Match | None, suggestion: Suggestion) -> str:
    reasons = [reason.as_dict() for reason in suggestion.reasons]
    if match is None:
        session.add(
            Match(
                request_id=suggestion.request_id,
                offer_id=suggestion.offer_id,
                score=suggestion.score,
                score_components=suggestion.components,
                explanation=suggestion.explanation,
                reasons=reasons,
            )
        )
        return "created"
    if match.status != MatchStatus.suggested:
        return "in_review"
    if (match.score, match.score_components, match.explanation, match.reasons) == (
        suggestion.score,
        suggestion.components,
        suggestion.explanation,
        reasons,
    ):
        return "unchanged"
    match.score = suggestion.score
    match.score_components = suggestion.components
    match.explanation = suggestion.explanation
    match.reasons = reasons
    return "updated"


def assignment(session: Session, actor: Principal, data: AssignmentCreate) -> AssignmentRead:
    """The set of suggested pairs with the largest total score that no offer's remaining
    capacity can refuse; with `apply`, those matches are proposed to the parties."""
    suggested = [
        m
        for m in repository.suggested_matches(session)
        if m.request.status == RequestStatus.open and m.offer.status == OfferStatus.active
    ]
    taken = matches_repository.places_taken(session)
    capacities = {
        m.offer_id: max(0, m.offer.capacity - taken.get(m.offer_id, 0)) for m in suggested
    }
    by_pair = {(m.request_id, m.offer_id): m for m in suggested}
    result = assign(
        [Edge(m.request_id, m.offer_id, m.score) for m in suggested],
        capacities,
        request_limit=data.request_limit,
    )
    pairs = [by_pair[(e.request_id, e.offer_id)] for e in result.pairs]
    if data.apply:
        for match in pairs:
            matches.propose(session, actor, match)
    return AssignmentRead(
        pairs=[
            AssignedPairRead(
                match_id=m.id, request_id=m.request_id, offer_id=m.offer_id, score=m.score
            )
            for m in pairs
        ],
        total_score=round(result.total_score, 4),
        unassigned_requests=result.unassigned_requests,
        applied=data.apply,
    )


def duplications(session: Session) -> list[DuplicationFlag]:
    """Offers and planned or ongoing activities of different providers for the same State and
    theme in overlapping periods. Offers count for the States they name: a regional or global
    offer does not target one State, and flagging it everywhere would bury real duplication."""
    offers = repository.active_offers(session)
    engagements = [
        Engagement(
            kind="offer",
            id=p.id,
            provider_id=p.provider_id,
            states=p.coverage.countries,
            themes=p.themes,
            start=p.period.start,
            end=p.period.end,
        )
        for p in offer_profiles(session, [o for o in offers if o.countries])
    ]
    for activity in repository.active_activities(session):
        providers = [org.id for org in activity.providers]
        engagements.append(
            Engagement(
                kind="activity",
                id=activity.id,
                # An activity without a named provider is nobody's duplicate of itself.
                provider_id=min(providers) if providers else -activity.id,
                states=frozenset({activity.state_iso3}),
                themes=frozenset(activity.theme_codes),
                start=activity.period_start,
                end=activity.period_end,
            )
        )
    return find_duplications(engagements)


def gaps(session: Session, region_kind: str) -> list[GapRow]:
    """Open requests and unrequested supported recommendations that no active offer with places
    left could help with (none covers the State on any of the need's themes), by theme and
    region."""
    index = build_index(session)
    requests = request_profiles(session, repository.open_requests(session))
    needs = [Need("request", r.id, r.state, r.themes) for r in requests]
    needs += [
        Need("recommendation", rec_id, state, themes)
        for rec_id, state, themes, _text in repository.unrequested_supported_recommendations(
            session
        )
    ]
    reachable = _themes_reachable(index, {n.state for n in needs})
    return library_find_gaps(
        needs,
        lambda need: bool(need.themes & reachable[need.state]),
        repository.region_of_states(session, region_kind),
    )


def _themes_reachable(index: OfferIndex, states: set[str]) -> dict[str, frozenset[str]]:
    """State -> themes of the offers that could serve it (coverage, capacity, provider)."""
    reachable: defaultdict[str, frozenset[str]] = defaultdict(frozenset)
    for state in states:
        rows = index.eligible_rows(RequestProfile(id=0, state=state, themes=frozenset()))
        reachable[state] = frozenset().union(*(index.offers[int(r)].themes for r in rows))
    return reachable


def proactive(
    session: Session,
    *,
    state: str | None,
    theme: str | None,
    k: int,
    limit: int,
    offset: int,
    lang: str = "en",
) -> ProactivePage:
    """Supported recommendations that no request names yet, with the offers that could help
    implement them (so staff can approach the State), in recommendation order. Streams: only
    the recommendations up to the requested page are scored."""
    index = build_index(session)
    by_id = {offer.id: offer for offer in index.offers}
    seen: dict[int, RecommendationProfile] = {}

    def recommendations() -> Iterator[RecommendationProfile]:
        for rec_id, rec_state, themes, text in repository.unrequested_supported_recommendations(
            session, state=state
        ):
            if theme is None or theme in themes:
                profile = RecommendationProfile(
                    id=rec_id, state=rec_state, themes=themes, text=text
                )
                seen[rec_id] = profile
                yield profile

    grouped: dict[int, list[ProactiveOfferRead]] = {}
    for suggestion in proactive_suggestions(index, recommendations(), k=k):
        offer = by_id[suggestion.offer_id]
        grouped.setdefault(suggestion.recommendation_id, []).append(
            ProactiveOfferRead(
                offer_id=offer.id,
                offer_title=offer.text.split("\n", 1)[0],
                provider_name=offer.provider_name,
                score=suggestion.score,
                components=suggestion.components,
                explanation=suggestion.explanation,
                reasons=[reason.as_dict() for reason in suggestion.reasons],
            )
        )
        if len(grouped) > offset + limit:
            break
    chosen = list(grouped.items())[offset : offset + limit]
    shown = [offer for _rec_id, offers in chosen for offer in offers]
    names = reference_repository.labels(
        session, set().union(*(reasons.codes_of(o.reasons) for o in shown)), lang
    )
    for offer_read in shown:
        offer_read.explanation = reasons.word(offer_read.reasons, lang, names)
    return ProactivePage(
        items=[
            ProactiveRecommendationRead(
                recommendation_id=rec_id,
                state=seen[rec_id].state,
                text=seen[rec_id].text,
                themes=sorted(seen[rec_id].themes),
                offers=offers,
            )
            for rec_id, offers in chosen
        ],
        limit=limit,
        offset=offset,
        has_more=len(grouped) > offset + limit,
    )
