"""Build the weekly digests and queue them as notifications (`uprtc notifications digest`, run
weekly by cron). It reads matches, requests and activities, so it sits above them; the
notifications it writes are told by `app.notifications` like any other.

Each user gets what concerns them:
- a State's focal points: proposals awaiting the State's answer, the State's open requests
  without any suggestion, its live activities not updated;
- a provider's users: proposals awaiting the provider's answer, the live activities it provides;
- OHCHR staff: proposals awaiting either party's answer, every open request without any
  suggestion, every live activity not updated.
Nothing waiting: no digest. Running it again in the same ISO week adds nothing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.activities.models import LIVE_ACTIVITY_STATUSES, Activity
from app.assistance_requests.models import AssistanceRequest, RequestStatus
from app.audit.models import AuditEntry
from app.auth.models import Role, User
from app.matches.models import Match, MatchStatus, PartyDecision
from app.notifications.service import queue_digest
from app.offers.models import Offer
from app.organizations.models import Organization

SECTION_LIMIT = 20  # items listed per section, oldest first; the rest are counted


@dataclass(frozen=True)
class Thresholds:
    """How many days make a wait too long."""

    answer_days: int = 14
    request_days: int = 30
    activity_days: int = 90


@dataclass(frozen=True)
class Waiting:
    """One thing that waits: what it is, since when, where to open it, and whom it concerns."""

    title: str
    since: datetime
    links: dict[str, str]  # by audience: "state", "provider", "staff"
    state_iso3: str
    provider_ids: frozenset[int]
    pending: frozenset[str] = frozenset()  # for proposals: the parties whose answer is awaited


@dataclass(frozen=True)
class Only:
    """What to read when the backlog is one party's (its home page): one State's records, or
    those of one provider; neither, for the weekly digests of everyone."""

    state_iso3: str | None = None
    organization_id: int | None = None


EVERYONE = Only()


@dataclass(frozen=True)
class Backlog:
    proposals: list[Waiting]
    unmatched: list[Waiting]
    activities: list[Waiting]


def queue_digests(session: Session, now: datetime, thresholds: Thresholds) -> int:
    """Queue this week's digest for every active user who has something waiting; return how
    many were queued."""
    backlog = Backlog(
        proposals=_proposals(session, now - timedelta(days=thresholds.answer_days)),
        unmatched=_unmatched(session, now - timedelta(days=thresholds.request_days)),
        activities=_activities(session, now - timedelta(days=thresholds.activity_days)),
    )
    year, week, _ = now.isocalendar()
    queued = 0
    users = session.scalars(select(User).where(User.is_active.is_(True)).order_by(User.id))
    for user in users:
        audience, sections = _sections_for(user, backlog)
        listed = [_section(kind, items, audience, now) for kind, items in sections if items]
        if not listed:
            continue
        total = sum(len(s["items"]) + s["more"] for s in listed)
        params = {"sections": listed, "total": total}
        link = {"state": "/state", "provider": "/provider"}.get(audience, "/staff")
        if queue_digest(session, user, params, link, f"{year}-W{week:02d}") is not None:
            queued += 1
    return queued


class Audience(Protocol):
    """Whom a digest or a home page's "needs your attention" is for (a User, a Principal)."""

    @property
    def role(self) -> Role | None: ...
    @property
    def state_iso3(self) -> str | None: ...
    @property
    def organization_id(self) -> int | None: ...


def attention(
    session: Session, audience: Audience, now: datetime, thresholds: Thresholds
) -> list[dict[str, Any]]:
    """What a party's home page lists first: the same sections as its digest, each with how
    long every item has waited (the oldest first), but from the first day for proposals and
    requests; sections with nothing are left out."""
    only = Only(
        state_iso3=audience.state_iso3 if audience.role == Role.state else None,
        organization_id=audience.organization_id if audience.role == Role.provider else None,
    )
    backlog = Backlog(
        proposals=_proposals(session, now, only),
        unmatched=_unmatched(session, now, only),
        activities=_activities(session, now - timedelta(days=thresholds.activity_days), only),
    )
    kind, sections = _sections_for(audience, backlog)
    return [_section(name, items, kind, now) for name, items in sections if items]


def _sections_for(user: Audience, backlog: Backlog) -> tuple[str, list[tuple[str, list[Waiting]]]]:
    if user.role == Role.state:

        def ours(w: Waiting) -> bool:
            return w.state_iso3 == user.state_iso3

        return "state", [
            (
                "awaiting_your_answer",
                [w for w in backlog.proposals if ours(w) and "state" in w.pending],
            ),
            ("unmatched_requests", [w for w in backlog.unmatched if ours(w)]),
            ("stale_activities", [w for w in backlog.activities if ours(w)]),
        ]
    if user.role == Role.provider:
        org = user.organization_id
        return "provider", [
            (
                "awaiting_your_answer",
                [w for w in backlog.proposals if org in w.provider_ids and "provider" in w.pending],
            ),
            ("stale_activities", [w for w in backlog.activities if org in w.provider_ids]),
        ]
    return "staff", [
        ("awaiting_an_answer", backlog.proposals),
        ("unmatched_requests", backlog.unmatched),
        ("stale_activities", backlog.activities),
    ]


def _section(kind: str, items: Iterable[Waiting], audience: str, now: datetime) -> dict[str, Any]:
    oldest_first = sorted(items, key=lambda w: w.since)
    return {
        "kind": kind,
        "items": [
            {"title": w.title, "link": w.links[audience], "days": (now - w.since).days}
            for w in oldest_first[:SECTION_LIMIT]
        ],
        "more": max(len(oldest_first) - SECTION_LIMIT, 0),
    }


# --- what waits -------------------------------------------------------------------------------
def _proposals(session: Session, before: datetime, only: Only = EVERYONE) -> list[Waiting]:
    """Proposed matches proposed before `before` with an answer still awaited."""
    stmt = (
        select(Match)
        .where(Match.status == MatchStatus.proposed)
        .options(
            selectinload(Match.request),
            selectinload(Match.offer).selectinload(Offer.organization),
        )
    )
    if only.state_iso3:
        stmt = stmt.join(Match.request).where(AssistanceRequest.state_iso3 == only.state_iso3)
    if only.organization_id:
        stmt = stmt.join(Match.offer).where(Offer.organization_id == only.organization_id)
    matches = list(session.scalars(stmt))
    proposed_at = proposed_since(session, [m.id for m in matches])
    waiting = []
    for match in matches:
        since = proposed_at.get(match.id) or match.decided_at or match.created_at
        pending = frozenset(
            party
            for party, decision in (
                ("state", match.state_decision),
                ("provider", match.provider_decision),
            )
            if decision == PartyDecision.pending
        )
        if since <= before and pending:
            waiting.append(
                Waiting(
                    title=f"{match.request_title} — {match.provider_name}",
                    since=since,
                    links={
                        "state": f"/state/requests/{match.request_id}",
                        "provider": f"/provider/offers/{match.offer_id}",
                        "staff": f"/staff/matches/{match.id}",
                    },
                    state_iso3=match.state_iso3,
                    provider_ids=frozenset({match.provider_id}),
                    pending=pending,
                )
            )
    return waiting


def proposed_since(session: Session, match_ids: list[int]) -> dict[int, datetime]:
    """When each match was proposed, as the audit log recorded it (a party's answer moves the
    match's own decided_at)."""
    if not match_ids:
        return {}
    stmt = (
        select(AuditEntry.entity_id, func.max(AuditEntry.at))
        .where(
            AuditEntry.entity_type == "match",
            AuditEntry.action == "propose",
            AuditEntry.entity_id.in_([str(i) for i in match_ids]),
        )
        .group_by(AuditEntry.entity_id)
    )
    return {int(entity_id): at for entity_id, at in session.execute(stmt)}


def _unmatched(session: Session, before: datetime, only: Only = EVERYONE) -> list[Waiting]:
    """Open requests unchanged since before `before` that no match pairs with any offer (none
    for a provider: they are the States' and OHCHR's to follow)."""
    if only.organization_id:
        return []
    stmt = select(AssistanceRequest).where(
        AssistanceRequest.status == RequestStatus.open,
        AssistanceRequest.updated_at <= before,
        ~select(Match.id).where(Match.request_id == AssistanceRequest.id).exists(),
    )
    if only.state_iso3:
        stmt = stmt.where(AssistanceRequest.state_iso3 == only.state_iso3)
    return [
        Waiting(
            title=r.title,
            since=r.updated_at,
            links={
                "state": f"/state/requests/{r.id}",
                "staff": f"/requests/{r.id}",
            },
            state_iso3=r.state_iso3,
            provider_ids=frozenset(),
        )
        for r in session.scalars(stmt)
    ]


def _activities(session: Session, before: datetime, only: Only = EVERYONE) -> list[Waiting]:
    """Planned or ongoing activities not updated since before `before`."""
    stmt = (
        select(Activity)
        .where(Activity.status.in_(LIVE_ACTIVITY_STATUSES), Activity.updated_at <= before)
        .options(selectinload(Activity.providers))
    )
    if only.state_iso3:
        stmt = stmt.where(Activity.state_iso3 == only.state_iso3)
    if only.organization_id:
        stmt = stmt.where(Activity.providers.any(Organization.id == only.organization_id))
    link = "/activities/{}".format
    return [
        Waiting(
            title=a.title,
            since=a.updated_at,
            links=dict.fromkeys(("state", "provider", "staff"), link(a.id)),
            state_iso3=a.state_iso3,
            provider_ids=frozenset(a.provider_ids),
        )
        for a in session.scalars(stmt)
    ]
