"""Queries that gather what the matcher needs, each in a handful of round trips."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from app.activities.models import (
    LIVE_ACTIVITY_STATUSES,
    Activity,
    ActivityStatus,
    activity_providers,
    activity_themes,
)
from app.assistance_requests.models import AssistanceRequest, RequestStatus, request_recommendations
from app.matches.models import Match, MatchStatus
from app.offers.models import Offer, OfferStatus
from app.recommendations.models import Position, Recommendation, recommendation_themes
from app.reference.models import (
    AssistanceType,
    Country,
    Language,
    Region,
    Theme,
    country_languages,
    region_members,
)


def memberships(session: Session) -> dict[str, frozenset[str]]:
    members: defaultdict[str, set[str]] = defaultdict(set)
    for iso3, code in session.execute(
        select(region_members.c.country_iso3, region_members.c.region_code)
    ):
        members[iso3].add(code)
    return {iso3: frozenset(codes) for iso3, codes in members.items()}


def region_kinds(session: Session) -> dict[str, str]:
    return {code: str(kind) for code, kind in session.execute(select(Region.code, Region.kind))}


def state_languages(session: Session) -> dict[str, tuple[str, ...]]:
    rows = session.execute(
        select(country_languages.c.country_iso3, country_languages.c.language_code)
        .join(Language, Language.code == country_languages.c.language_code)
        .order_by(country_languages.c.country_iso3, Language.sort_order)
    )
    languages: defaultdict[str, list[str]] = defaultdict(list)
    for iso3, code in rows:
        languages[iso3].append(code)
    return {iso3: tuple(codes) for iso3, codes in languages.items()}


def names(session: Session) -> dict[str, str]:
    """English labels of every code an explanation may mention."""
    labels: dict[str, str] = {}
    for model in (Theme, AssistanceType, Language):
        labels.update(session.execute(select(model.code, model.label_en)).all())
    labels.update(session.execute(select(Region.code, Region.label_en)).all())
    labels.update(session.execute(select(Country.iso3, Country.label_en)).all())
    return labels


def track_record(session: Session) -> dict[tuple[int, str], int]:
    """(provider, theme) -> completed activities."""
    rows = session.execute(
        select(
            activity_providers.c.organization_id,
            activity_themes.c.theme_code,
            func.count(),
        )
        .join(Activity, Activity.id == activity_providers.c.activity_id)
        .join(activity_themes, activity_themes.c.activity_id == Activity.id)
        .where(Activity.status == ActivityStatus.completed)
        .group_by(activity_providers.c.organization_id, activity_themes.c.theme_code)
    )
    return {(provider, theme): count for provider, theme, count in rows}


def rejected_pairs(session: Session) -> frozenset[tuple[int, int]]:
    rows = session.execute(
        select(Match.request_id, Match.offer_id).where(Match.status == MatchStatus.rejected)
    )
    return frozenset((request_id, offer_id) for request_id, offer_id in rows)


def _offers_for_matching() -> Select[Offer]:
    """Offers with everything their matching profile reads."""
    return select(Offer).options(
        selectinload(Offer.organization),
        selectinload(Offer.themes),
        selectinload(Offer.assistance_types),
        selectinload(Offer.languages),
        selectinload(Offer.countries),
        selectinload(Offer.regions),
    )


def _requests_for_matching() -> Select[AssistanceRequest]:
    """Requests with everything their matching profile reads."""
    return select(AssistanceRequest).options(
        selectinload(AssistanceRequest.themes),
        selectinload(AssistanceRequest.theme_origins),
        selectinload(AssistanceRequest.assistance_types),
        selectinload(AssistanceRequest.languages),
    )


def active_offers(session: Session) -> Sequence[Offer]:
    return session.scalars(
        _offers_for_matching().where(Offer.status == OfferStatus.active).order_by(Offer.id)
    ).all()


def offer_for_matching(session: Session, offer_id: int) -> Offer | None:
    """One offer in any status (a "why not" may ask about a paused one)."""
    return session.scalar(_offers_for_matching().where(Offer.id == offer_id))


def request_for_matching(session: Session, request_id: int) -> AssistanceRequest | None:
    """One request in any status (a "why not" may ask about a draft)."""
    return session.scalar(_requests_for_matching().where(AssistanceRequest.id == request_id))


def open_requests(
    session: Session, ids: Sequence[int] | None = None
) -> Sequence[AssistanceRequest]:
    stmt = (
        _requests_for_matching()
        .where(AssistanceRequest.status == RequestStatus.open)
        .order_by(AssistanceRequest.id)
    )
    if ids is not None:
        stmt = stmt.where(AssistanceRequest.id.in_(ids))
    return session.scalars(stmt).all()


def published_open_requests(
    session: Session, request_id: int | None = None
) -> Sequence[AssistanceRequest]:
    """Open requests whose State consented to publish them: what any provider may browse (or
    just the one with `request_id`, if it is such a request)."""
    stmt = _requests_for_matching().where(
        AssistanceRequest.status == RequestStatus.open,
        AssistanceRequest.consent_to_publish.is_(True),
    )
    if request_id is not None:
        stmt = stmt.where(AssistanceRequest.id == request_id)
    return session.scalars(stmt.order_by(AssistanceRequest.id)).all()


def matches_of_offer(session: Session, offer_id: int) -> dict[int, Match]:
    """The offer's matches in any status, by request id."""
    return {
        m.request_id: m for m in session.scalars(select(Match).where(Match.offer_id == offer_id))
    }


def match_of_pair(session: Session, request_id: int, offer_id: int) -> Match | None:
    return session.scalar(
        select(Match).where(Match.request_id == request_id, Match.offer_id == offer_id)
    )


def matches_of_requests(session: Session, request_ids: Sequence[int]) -> Sequence[Match]:
    return session.scalars(
        select(Match).where(Match.request_id.in_(request_ids)).order_by(Match.id)
    ).all()


def suggested_matches(session: Session) -> Sequence[Match]:
    return session.scalars(
        select(Match)
        .where(Match.status == MatchStatus.suggested)
        .options(selectinload(Match.request), selectinload(Match.offer))
        .order_by(Match.id)
    ).all()


def suggestions_out_of_play(session: Session) -> Sequence[Match]:
    """Suggestions whose request is no longer open or whose offer is no longer active."""
    open_requests = select(AssistanceRequest.id).where(
        AssistanceRequest.status == RequestStatus.open
    )
    active = select(Offer.id).where(Offer.status == OfferStatus.active)
    return session.scalars(
        select(Match).where(
            Match.status == MatchStatus.suggested,
            Match.request_id.not_in(open_requests) | Match.offer_id.not_in(active),
        )
    ).all()


def unrequested_supported_recommendations(
    session: Session, *, state: str | None = None, chunk: int = 2000
) -> Iterator[tuple[int, str, frozenset[str], str]]:
    """(id, State, themes, text) of supported recommendations that no request names yet,
    streamed in chunks so that memory stays flat however many there are."""
    requested = select(request_recommendations.c.recommendation_id)
    stmt = (
        select(Recommendation.id, Recommendation.state_iso3, Recommendation.text)
        .where(Recommendation.position == Position.supported)
        .where(Recommendation.id.not_in(requested))
        .order_by(Recommendation.id)
    )
    if state is not None:
        stmt = stmt.where(Recommendation.state_iso3 == state)
    last = 0
    while True:
        rows = session.execute(stmt.where(Recommendation.id > last).limit(chunk)).all()
        if not rows:
            return
        themes = _themes_of([row.id for row in rows], session)
        for row in rows:
            yield row.id, row.state_iso3, themes.get(row.id, frozenset()), row.text
        last = rows[-1].id


def _themes_of(ids: Sequence[int], session: Session) -> dict[int, frozenset[str]]:
    found: defaultdict[int, set[str]] = defaultdict(set)
    for rec_id, code in session.execute(
        select(recommendation_themes.c.recommendation_id, recommendation_themes.c.theme_code).where(
            recommendation_themes.c.recommendation_id.in_(ids)
        )
    ):
        found[rec_id].add(code)
    return {rec_id: frozenset(codes) for rec_id, codes in found.items()}


def active_activities(session: Session) -> Sequence[Activity]:
    return session.scalars(
        select(Activity)
        .where(Activity.status.in_(LIVE_ACTIVITY_STATUSES))
        .options(selectinload(Activity.providers), selectinload(Activity.themes))
        .order_by(Activity.id)
    ).all()


def region_of_states(session: Session, kind: str = "m49_region") -> dict[str, str]:
    rows = session.execute(
        select(region_members.c.country_iso3, Region.label_en)
        .join(Region, Region.code == region_members.c.region_code)
        .where(Region.kind == kind)
    )
    return dict(rows.all())
