"""Counts for the public pages, computed over the repositories' own statements.

Each function takes a statement built by a repository query function (`requests_query`,
`offers_query`, ...), which already applies the filters and `visible_to(principal)`, and counts
through a link table; so a count never includes a record the list would not show."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, Table, func, select
from sqlalchemy.orm import Session


def count_links(
    session: Session,
    visible: Select[Any],
    link: Table,
    owner_column: str,
    group_column: str,
    among: Collection[Any] | None = None,
) -> dict[Any, int]:
    """For each value of `link.group_column`, how many records of `visible` it links to.

    E.g. `count_links(s, requests_query(p, f), request_themes, "request_id", "theme_code")`:
    visible requests per theme."""
    owner, group = link.c[owner_column], link.c[group_column]
    # The ids of the visible records, by the statement's own entity: a subquery of the whole
    # entity would build its column collection (every column) on each call.
    id_column = visible.column_descriptions[0]["entity"].id
    stmt = select(group, func.count(func.distinct(owner))).group_by(group)
    ids = visible.order_by(None).with_only_columns(id_column)
    if among is not None:
        if not among:
            return {}
        # A page asks about its few rows, which mostly have no link at all: look at the link
        # table alone first, and apply the visibility rule only to the records it names.
        linked = select(owner).where(group.in_(list(among)))
        owners = {row[0] for row in session.execute(linked)}
        if not owners:
            return {}
        ids = ids.where(id_column.in_(owners))
        stmt = stmt.where(group.in_(list(among)))
    return {row[0]: row[1] for row in session.execute(stmt.where(owner.in_(ids)))}


def count(session: Session, visible: Select[Any]) -> int:
    return session.scalar(select(func.count()).select_from(visible.order_by(None).subquery())) or 0


@dataclass(frozen=True)
class ThemeCoverage:
    """One theme on a State's page: supported recommendations against what is there to help."""

    theme_code: str
    recommendations: int
    requests: int
    offers: int
    activities: int

    @property
    def covered(self) -> bool:
        return self.offers > 0 or self.activities > 0

    @property
    def gap(self) -> bool:
        return self.recommendations > 0 and not self.covered


def theme_coverage(
    recommendations: dict[str, int],
    requests: dict[str, int],
    offers: dict[str, int],
    activities: dict[str, int],
) -> list[ThemeCoverage]:
    """Every theme with a supported recommendation, a request, an offer or an activity; themes
    with the most supported recommendations first, gaps before covered themes."""
    codes = set(recommendations) | set(requests) | set(activities)
    # An offer's theme matters here only when the State has something on that theme.
    rows = [
        ThemeCoverage(
            theme_code=code,
            recommendations=recommendations.get(code, 0),
            requests=requests.get(code, 0),
            offers=offers.get(code, 0),
            activities=activities.get(code, 0),
        )
        for code in codes
    ]
    return sorted(rows, key=lambda r: (-r.recommendations, not r.gap, -r.requests, r.theme_code))
