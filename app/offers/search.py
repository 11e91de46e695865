"""The offer search: with `q`, first the offers closest in meaning to `q` in any UN language
(a Russian query finds an English offer; at most `SEMANTIC_LIMIT`, among those the caller may
see and the other filters keep, those containing `q` word for word first), then every other
offer whose title or description contains `q`, by id. Offers are few: the count is exact."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.auth.principal import Principal
from app.core.pagination import PageParams
from app.core.semantic import SemanticSearch
from app.offers.models import Offer
from app.offers.repository import OfferFilters, offers_query

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
    needle = filters.q.casefold()

    def words(offer: Offer) -> bool:
        return needle in f"{offer.title}\n{offer.description or ''}".casefold()

    return sorted(found, key=lambda o: (not words(o), rank[o.id]))


def search(
    session: Session,
    principal: Principal,
    filters: OfferFilters,
    page: PageParams,
    semantic: SemanticSearch | None = None,
) -> tuple[list[Offer], int]:
    """One page of the search and the number of offers found."""
    head = by_meaning(session, principal, semantic, filters)
    tail = offers_query(principal, filters)
    if head:
        tail = tail.where(Offer.id.not_in([o.id for o in head]))
    total = session.scalar(select(func.count()).select_from(tail.order_by(None).subquery())) or 0
    items = head[page.offset : page.offset + page.limit]
    room = page.limit - len(items)
    if room > 0:
        rest = tail.limit(room).offset(max(0, page.offset - len(head)))
        items += list(session.scalars(rest).unique())
    return items, len(head) + total
