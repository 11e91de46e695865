from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Query, Response, status
from sqlalchemy.orm import Session

from app.auth.dependencies import AuthenticatedPrincipal, StaffPrincipal
from app.core.concurrency import IfMatch, check_version, versioned
from app.core.i18n import ReaderLanguage
from app.core.pagination import Pagination, page_of
from app.core.schemas import Page
from app.db.session import SessionDep
from app.matches import reasons, repository, service
from app.matches.dependencies import DecidingParty, TakingBackParty, VisibleMatch
from app.matches.models import Match, MatchStatus
from app.matches.schemas import (
    MatchCreate,
    MatchProposal,
    MatchRead,
    MatchRejection,
    MatchUpdate,
)

router = APIRouter(prefix="/matches", tags=["matches"])
ranked_router = APIRouter(tags=["matches"])


async def _filters(
    request_id: Annotated[int | None, Query(ge=1)] = None,
    offer_id: Annotated[int | None, Query(ge=1)] = None,
    status: MatchStatus | None = None,
) -> repository.MatchFilters:
    return repository.MatchFilters(request_id=request_id, offer_id=offer_id, status=status)


Filters = Annotated[repository.MatchFilters, Depends(_filters)]


def _page(
    principal: AuthenticatedPrincipal,
    session: SessionDep,
    page: Pagination,
    filters: repository.MatchFilters,
    lang: str,
) -> Page[MatchRead]:
    result = page_of(session, repository.matches_query(principal, filters), page, MatchRead)
    _word(session, result.items, lang)
    return result


def _word(session: Session, items: list[MatchRead], lang: str) -> None:
    """Each item's explanation from its reasons, in the reader's language."""
    worded = reasons.explain(session, items, lang)
    for item in items:
        item.explanation = worded.get(item.id, item.explanation)


def _read(match: Match, response: Response, session: Session, lang: str) -> MatchRead:
    read = versioned(response, match, MatchRead)
    _word(session, [read], lang)
    return read


@router.get("", response_model=Page[MatchRead])
def list_matches(
    principal: AuthenticatedPrincipal,
    session: SessionDep,
    page: Pagination,
    filters: Filters,
    lang: ReaderLanguage,
) -> Page[MatchRead]:
    """Staff see every match; States and providers see those proposed to them. Best first."""
    return _page(principal, session, page, filters, lang)


@ranked_router.get("/requests/{request_id}/matches", response_model=Page[MatchRead])
def list_request_matches(
    principal: AuthenticatedPrincipal,
    request_id: int,
    session: SessionDep,
    lang: ReaderLanguage,
    page: Pagination,
    status: MatchStatus | None = None,
) -> Page[MatchRead]:
    """The ranked offers for a request, with score, components and explanation (404 for a
    request the caller may not see)."""
    result = service.request_matches(session, principal, request_id, page, status)
    _word(session, result.items, lang)
    return result


@ranked_router.get("/offers/{offer_id}/matches", response_model=Page[MatchRead])
def list_offer_matches(
    principal: AuthenticatedPrincipal,
    offer_id: int,
    session: SessionDep,
    lang: ReaderLanguage,
    page: Pagination,
    status: MatchStatus | None = None,
) -> Page[MatchRead]:
    """The ranked requests for an offer, with score, components and explanation (404 for an
    offer the caller may not see)."""
    result = service.offer_matches(session, principal, offer_id, page, status)
    _word(session, result.items, lang)
    return result


@router.get("/{match_id}", response_model=MatchRead)
def get_match(
    match: VisibleMatch, response: Response, session: SessionDep, lang: ReaderLanguage
) -> MatchRead:
    return _read(match, response, session, lang)


@router.post("", response_model=MatchRead, status_code=status.HTTP_201_CREATED)
def create_match(
    actor: StaffPrincipal,
    data: MatchCreate,
    session: SessionDep,
    response: Response,
    lang: ReaderLanguage,
) -> MatchRead:
    """Pair a request and an offer by hand (matching runs create suggestions themselves)."""
    return _read(service.create(session, actor, data), response, session, lang)


@router.patch("/{match_id}", response_model=MatchRead)
def update_match(
    actor: StaffPrincipal,
    match: VisibleMatch,
    data: MatchUpdate,
    session: SessionDep,
    lang: ReaderLanguage,
    response: Response,
    if_match: IfMatch = None,
) -> MatchRead:
    """Edit the note, or move the status as staff may (proposed, rejected)."""
    check_version(match.version, if_match, data.version)
    return _read(service.update(session, actor, match, data), response, session, lang)


@router.post("/{match_id}/propose", response_model=MatchRead)
def propose_match(
    actor: StaffPrincipal,
    match: VisibleMatch,
    session: SessionDep,
    lang: ReaderLanguage,
    response: Response,
    data: Annotated[MatchProposal | None, Body()] = None,
    if_match: IfMatch = None,
) -> MatchRead:
    """suggested → proposed: the State and the provider now see the match and may answer."""
    check_version(match.version, if_match, data.version if data else None)
    return _read(service.propose(session, actor, match), response, session, lang)


@router.post("/{match_id}/reject", response_model=MatchRead)
def reject_match(
    actor: StaffPrincipal,
    match: VisibleMatch,
    data: MatchRejection,
    session: SessionDep,
    lang: ReaderLanguage,
    response: Response,
    if_match: IfMatch = None,
) -> MatchRead:
    """Staff reject a match at any point, with a reason; it is never suggested again."""
    check_version(match.version, if_match, data.version)
    return _read(service.reject(session, actor, match, data.reason), response, session, lang)


@router.post("/{match_id}/decision", response_model=MatchRead)
def decide_match(
    actor: AuthenticatedPrincipal,
    match: VisibleMatch,
    decision: DecidingParty,
    session: SessionDep,
    lang: ReaderLanguage,
    response: Response,
    if_match: IfMatch = None,
) -> MatchRead:
    """The State's or the provider's answer to a proposal. When both accept, the match is
    agreed and a planned activity is created; when either declines, it is declined."""
    data = decision.data
    check_version(match.version, if_match, data.version)
    match = service.decide(session, actor, match, decision.party, data.decision, data.reason)
    return _read(match, response, session, lang)


@router.post("/{match_id}/decision/take-back", response_model=MatchRead)
def take_back_decision(
    actor: AuthenticatedPrincipal,
    match: VisibleMatch,
    taking_back: TakingBackParty,
    session: SessionDep,
    lang: ReaderLanguage,
    response: Response,
    if_match: IfMatch = None,
) -> MatchRead:
    """Take back an acceptance while the other party has not answered (409 otherwise)."""
    check_version(match.version, if_match, taking_back.data.version)
    taken_back = service.take_back(session, actor, match, taking_back.party)
    return _read(taken_back, response, session, lang)


@router.delete("/{match_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_match(actor: StaffPrincipal, match: VisibleMatch, session: SessionDep) -> None:
    """Delete a suggestion made in error; reviewed matches are rejected instead."""
    service.delete(session, actor, match)
