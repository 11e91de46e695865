"""The offer search: with `q`, first the offers closest in meaning to `q` in any UN language
(a Russian query finds an English offer; at most `SEMANTIC_LIMIT`, among those the caller may
see and the other filters keep, those containing `q` word for word first), then every other
offer whose title or description contains `q`, by id; when no offer's text holds `q` and `q`
(a word or two) names themes in any UN language ("femmes": `app.reference.concepts`), the
offers with those themes instead. Offers are few: the count is exact."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.auth.principal import Principal
from app.core.pagination import PageParams
from app.core.semantic import SemanticSearch
from app.offers.models import Offer
from app.offers.repository import OfferFilters, offers_query
from app.reference.concepts import Concepts, concepts_in
from app.reference.models import Theme

SEMANTIC_LIMIT = 10


def by_meaning(
    session: Session, principal: Principal, semantic: SemanticSearch | None, filters: OfferFilters
) -> list[Offer]:
    if semantic is None or not filters.q:
        return []
    ranked = semantic.nearest(session, "offers", filters.q, limit=SEMANTIC_LIMIT)
    if not ranked:
        return []
    rank = {offer_id: position for position, (offer_id, _score) in enumerate(ranked)}
    stmt = offers_query(principal, replace(filters, q=None)).where(Offer.id.in_(rank))
    found = list(session.scalars(stmt).unique())
    q = filters.q
    return sorted(found, key=lambda o: (not _holds(o, q), rank[o.id]))


def search(
    session: Session,
    principal: Principal,
    filters: OfferFilters,
    page: PageParams,
    semantic: SemanticSearch | None = None,
) -> tuple[list[Offer], int, Concepts]:
    """One page of the search, the number of offers found, and the concepts read instead of
    the words (see the module)."""
    head = by_meaning(session, principal, semantic, filters)
    tail = _without(offers_query(principal, filters), head)
    total = _count(session, tail)
    concepts = Concepts()
    if not total and filters.q and not any(_holds(o, filters.q) for o in head):
        concepts = Concepts(themes=concepts_in(session, filters.q).themes)  # offers: no groups
    if concepts.themes:
        tail = offers_query(principal, replace(filters, q=None))
        tail = _without(tail.where(Offer.themes.any(Theme.code.in_(concepts.themes))), head)
        total = _count(session, tail)
    items = head[page.offset : page.offset + page.limit]
    room = page.limit - len(items)
    if room > 0:
        rest = tail.limit(room).offset(max(0, page.offset - len(head)))
        items += list(session.scalars(rest).unique())
    return items, len(head) + total, concepts


def _without(tail: Select[Offer], head: list[Offer]) -> Select[Offer]:
    return tail.where(Offer.id.not_in([o.id for o in head])) if head else tail


def _count(session: Session, tail: Select[Offer]) -> int:
    return session.scalar(select(func.count()).select_from(tail.order_by(None).subquery())) or 0


def _holds(offer: Offer, words: str) -> bool:
    return words.casefold() in f"{offer.title}\n{offer.description or ''}".casefold()
