"""The recommendation search: words and meaning, a capped count, keyset pages.

With `q`, the results are
1. the recommendations closest in meaning to `q` (in any UN language: a French query finds an
   English recommendation; `SemanticSearch`, at most `SEMANTIC_LIMIT`), among those the other
   filters keep, best first, those that also contain `q` first;
2. then every other recommendation whose text contains `q` (the text index), by id;
   when no text contains it and `q` is a word or two naming themes or groups of persons in any
   UN language ("femmes", "niños", "妇女": `app.reference.concepts`), the recommendations tagged
   with them instead, by id (`concepts` says which codes).
Without `q`, the filtered recommendations by id.

`total` counts at most `COUNT_CAP` rows of part 2 (counting every "women" among 100,000 texts
cost more than the page itself); `total_capped` says there were more. Deep pages: `after=<id>`
continues part 2 after that id (keyset), as fast on page 5,000 as on page 1; `next_after` gives
the key of the next page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Select, select, union
from sqlalchemy.orm import Session
from sqlalchemy.sql.base import ExecutableOption
from sqlalchemy.sql.elements import ColumnElement

from app.core.pagination import PageParams
from app.core.semantic import SemanticSearch
from app.db import text_search
from app.recommendations.models import Recommendation, RecommendationGroup, RecommendationTheme
from app.recommendations.repository import (
    LOAD_ALL,
    RecommendationFilters,
    recommendations_query,
)
from app.reference.concepts import Concepts, concepts_in

COUNT_CAP = 1000
_ID: ColumnElement[int] = Recommendation.__table__.c.id
SEMANTIC_LIMIT = 20


@dataclass(frozen=True)
class SearchResult:
    items: list[Recommendation]
    total: int
    total_capped: bool
    next_after: int | None
    concepts: Concepts = field(default_factory=Concepts)


def by_meaning(
    session: Session,
    semantic: SemanticSearch | None,
    filters: RecommendationFilters,
    limit: int = SEMANTIC_LIMIT,
) -> tuple[list[int], bool]:
    """The ids of the recommendations closest in meaning to `filters.q` that pass the other
    filters, best first; those containing `q` word for word before the others; and whether
    there were such."""
    if semantic is None or not filters.q:
        return [], False
    state = filters.state.upper() if filters.state else None
    ranked = semantic.nearest(session, "recommendations", filters.q, limit=limit, state=state)
    if not ranked:
        return [], False
    rank = {rec_id: position for position, (rec_id, _score) in enumerate(ranked)}
    stmt = (
        recommendations_query(replace(filters, q=None))
        .with_only_columns(Recommendation.id, Recommendation.text)
        .where(Recommendation.id.in_(rank))
    )
    needle = filters.q.casefold()
    found = [
        (needle not in text.casefold(), rank[rec_id], rec_id)
        for rec_id, text in session.execute(stmt)
    ]
    ordered = sorted(found)
    return [rec_id for _words, _rank, rec_id in ordered], any(not lacks for lacks, *_ in ordered)


def _tail_ids(
    session: Session, filters: RecommendationFilters
) -> tuple[Select[Any], ColumnElement[int]]:
    """The ids of part 2, in id order, and the column holding that order: the text index's
    own key where it has one, so that a `LIMIT` stops the index early (`text_search.matching`)."""
    ids = recommendations_query(replace(filters, q=None)).with_only_columns(Recommendation.id)
    key = _ID
    if filters.q:
        dialect = session.get_bind().dialect.name
        # One State's recommendations are a few hundred: scanned, not looked up by word.
        few = bool(filters.state)
        ids, key = text_search.matching(ids, Recommendation.text, filters.q, dialect, few_rows=few)
    return ids.order_by(None).order_by(key), key


def _tagged_ids(filters: RecommendationFilters, concepts: Concepts) -> Select[Any]:
    """The ids of the recommendations tagged with one of `concepts`' codes, in id order."""
    # From the link tables' code indexes (a rare theme among 100,000 records: an EXISTS per
    # record scanned them all, ~60 ms on SQLite).
    tagged = union(
        select(RecommendationTheme.recommendation_id).where(
            RecommendationTheme.theme_code.in_(concepts.themes)
        ),
        select(RecommendationGroup.recommendation_id).where(
            RecommendationGroup.group_code.in_(concepts.groups)
        ),
    )
    ids = recommendations_query(replace(filters, q=None)).with_only_columns(Recommendation.id)
    return ids.where(Recommendation.id.in_(tagged))


def search(
    session: Session,
    filters: RecommendationFilters,
    page: PageParams,
    *,
    after: int | None = None,
    semantic: SemanticSearch | None = None,
    exclude: Sequence[int] = (),
    load: Sequence[ExecutableOption] = LOAD_ALL,
) -> SearchResult:
    """One page of the search (see the module); `exclude`: ids left out (already chosen);
    `load`: the relations to load with each recommendation (all of them by default; a page
    showing fewer asks for fewer)."""
    excluded = set(exclude)
    head: list[int] = []
    holding = False
    if after is None:
        head, holding = by_meaning(session, semantic, filters)
    head = [i for i in head if i not in excluded]
    wanted_head = head[page.offset : page.offset + page.limit]
    room = page.limit - len(wanted_head)
    start = max(0, page.offset - len(head))
    # The text match is the costly part: one read gives both the capped count and, within
    # it, the page's ids (an offset page beyond the cap: as many ids as it needs); a page by
    # key also reads the page after the key, in the same statement where it can.
    cap = COUNT_CAP
    reads: list[tuple[int, int | None]] = [(max(cap + 1, start + room), None)]
    if room > 0 and after is not None:
        reads = [(cap + 1, None), (room, after)]
    first, later, concepts = _read_tail(session, filters, [*exclude, *head], reads, holding)
    counted, capped = min(len(first), cap), len(first) > cap
    if room <= 0:
        wanted: list[int] = []
    elif after is not None:
        wanted = later[0]
    else:
        wanted = first[start : start + room]
    page_ids = wanted_head + wanted
    items: list[Recommendation] = []
    if page_ids:  # one load of the page, with its relations, whatever part each row came from
        rows = session.scalars(
            select(Recommendation).options(*load).where(Recommendation.id.in_(page_ids))
        ).unique()
        by_id = {r.id: r for r in rows}
        items = [by_id[i] for i in page_ids if i in by_id]
    from_tail = bool(wanted) and items[-1].id == wanted[-1]
    next_after = items[-1].id if from_tail and len(items) == page.limit else None
    return SearchResult(items, len(head) + counted, capped, next_after, concepts)


def _read_tail(
    session: Session,
    filters: RecommendationFilters,
    left_out: Sequence[int],
    reads: list[tuple[int, int | None]],
    held: bool,
) -> tuple[list[int], list[list[int]], Concepts]:
    """Part 2's `reads` (`text_search.first_ids`), and the concepts read instead of the words
    when no text holds them (`held`: one found by meaning does)."""
    ids, key = _tail_ids(session, filters)
    first, *later = text_search.first_ids(session, _without(ids, left_out), key, filters.q, reads)
    unheld = not first and not held
    concepts = concepts_in(session, filters.q) if unheld and filters.q else Concepts()
    if concepts:
        tagged = _without(_tagged_ids(filters, concepts), left_out)
        first, *later = text_search.first_ids(session, tagged, _ID, None, reads)
    return first, later, concepts


def _without(ids: Select[Any], left_out: Sequence[int]) -> Select[Any]:
    return ids.where(Recommendation.id.not_in(left_out)) if left_out else ids
