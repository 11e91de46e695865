"""Who hears of a match's review, and the page each of them opens; `app.notifications` writes
the notifications and their emails in the same transaction.

- proposed: the State's users and the provider organization's users;
- a party's answer (accepted, declined): the other party and the OHCHR staff member who
  proposed the match; also when withdrawing the request or closing the offer ended the proposal
  (`ended` says which);
- agreed (the second acceptance): both parties and the staff member who proposed it;
- withdrawn (staff reject a match the parties had seen): both parties.
The person who acted is never told of their own act."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.activities.models import Activity
from app.audit.models import AuditEntry
from app.auth.principal import Principal
from app.matches.models import Match, MatchStatus, Party, PartyDecision
from app.notifications.models import NotificationKind
from app.notifications.service import Notice, Recipients, notify

ENTITY = "match"
# Why a proposal ended without a party answering it (the `ended` parameter of an answer).
REQUEST_WITHDRAWN = "request_withdrawn"
OFFER_CLOSED = "offer_closed"


def proposed(session: Session, actor: Principal, match: Match) -> None:
    notice = _notice(NotificationKind.match_proposed, match)
    notify(session, actor, notice, [_state(match), _provider(match)])


def answered(
    session: Session,
    actor: Principal,
    match: Match,
    party: Party,
    decision: PartyDecision,
    reason: str | None,
    ended: str | None = None,
) -> None:
    """A party accepted (the other's answer still awaited) or declined; `ended`: by
    withdrawing its request or closing its offer."""
    extra = {"ended": ended} if ended else {}
    notice = _notice(
        NotificationKind.match_answered,
        match,
        party=party.value,
        decision=decision.value,
        reason=reason,
        **extra,
    )
    other = _provider(match) if party == Party.state else _state(match)
    notify(session, actor, notice, [other, _proposer(session, match)])


def agreed(session: Session, actor: Principal, match: Match, activity: Activity) -> None:
    notice = _notice(NotificationKind.match_agreed, match, activity_id=activity.id)
    link = f"/activities/{activity.id}"
    parties = [_state(match, link), _provider(match, link)]
    notify(session, actor, notice, [*parties, _proposer(session, match, link)])


def withdrawn(session: Session, actor: Principal, match: Match, reason: str | None) -> None:
    """Called before a rejection: only parties who saw the match (proposed or agreed) hear."""
    if match.status not in (MatchStatus.proposed, MatchStatus.agreed):
        return
    notice = _notice(
        NotificationKind.match_withdrawn,
        match,
        reason=reason,
        activity_cancelled=match.status == MatchStatus.agreed,
    )
    notify(session, actor, notice, [_state(match), _provider(match)])


def _notice(kind: NotificationKind, match: Match, **params: Any) -> Notice:
    request, offer = match.request, match.offer
    names = {
        "request": request.title,
        "offer": offer.title,
        "provider": offer.organization.name,
        "state": request.state_iso3,
    }
    return Notice(kind, ENTITY, match.id, title=request.title, params={**names, **params})


def _state(match: Match, link: str | None = None) -> Recipients:
    """The State's focal points, on the page of its request (where it answers)."""
    return Recipients(
        link=link or f"/state/requests/{match.request_id}", state_iso3=match.state_iso3
    )


def _provider(match: Match, link: str | None = None) -> Recipients:
    """The provider's users, on the page of their offer (where they answer)."""
    return Recipients(
        link=link or f"/provider/offers/{match.offer_id}", organization_ids=[match.provider_id]
    )


def _proposer(session: Session, match: Match, link: str | None = None) -> Recipients:
    """The staff member who proposed the match (as the audit log says); none when it was
    proposed from the command line."""
    stmt = (
        select(AuditEntry.actor_id)
        .where(
            AuditEntry.entity_type == ENTITY,
            AuditEntry.entity_id == str(match.id),
            AuditEntry.action == "propose",
        )
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )
    actor_id = session.scalar(stmt)
    return Recipients(
        link=link or f"/staff/matches/{match.id}",
        user_ids=[actor_id] if actor_id is not None else [],
    )
