from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.assistance_requests.models import AssistanceRequest
from app.audit import service as audit
from app.auth.principal import Principal
from app.core.errors import Conflict, InvalidInput, NotFound
from app.core.records import touch
from app.db.base import utcnow
from app.matches import repository
from app.matches.models import Match
from app.matches.schemas import MatchCreate, MatchRead, MatchUpdate
from app.offers.models import Offer

ENTITY = "match"


def get_visible(session: Session, principal: Principal, match_id: int) -> Match:
    match = session.scalar(
        select(Match).where(Match.id == match_id, repository.visible_to(principal))
    )
    if match is None:
        raise NotFound(f"no match with id {match_id}")
    return match


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
    session.add(match)
    session.flush()
    audit.record(session, actor, "create", ENTITY, match.id, None, audit.snapshot(MatchRead, match))
    return match


def update(session: Session, actor: Principal, match: Match, data: MatchUpdate) -> Match:
    before = audit.snapshot(MatchRead, match)
    if data.status is not None and data.status != match.status:
        match.status = data.status
        match.decided_by_id = actor.user_id
        match.decided_at = utcnow()
    if data.reason is not None:
        match.reason = data.reason
    touch(match)
    session.flush()
    audit.record(
        session, actor, "update", ENTITY, match.id, before, audit.snapshot(MatchRead, match)
    )
    return match


def delete(session: Session, actor: Principal, match: Match) -> None:
    before = audit.snapshot(MatchRead, match)
    session.delete(match)
    session.flush()
    audit.record(session, actor, "delete", ENTITY, match.id, before, None)
