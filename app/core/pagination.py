from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel
from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from app.core.schemas import Page

S = TypeVar("S", bound=BaseModel)


@dataclass(frozen=True)
class PageParams:
    limit: int
    offset: int


async def _page_params(
    limit: Annotated[int, Query(ge=1, le=200, description="Page size")] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip")] = 0,
) -> PageParams:
    return PageParams(limit=limit, offset=offset)


Pagination = Annotated[PageParams, Depends(_page_params)]


def paginate(session: Session, stmt: Select[Any], page: PageParams) -> tuple[list[Any], int]:
    """Run `stmt` for one page and count all its rows (the statement must be ordered)."""
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    items = list(session.scalars(stmt.limit(page.limit).offset(page.offset)).unique())
    return items, total


def page_if(
    session: Session,
    stmt: Select[Any],
    page: PageParams,
    schema: type[S],
    condition: ColumnElement[bool],
) -> Page[S] | None:
    """`page_of`, or None when `condition` is false, checked in the statement that counts the
    rows (a list's owner that the caller may not see: one statement fewer than checking it
    first, on a hot path)."""
    count = select(func.count()).select_from(stmt.order_by(None).subquery()).scalar_subquery()
    total, holds = session.execute(select(count, condition)).one()
    if not holds:
        return None
    items = list(session.scalars(stmt.limit(page.limit).offset(page.offset)).unique())
    return _page(items, total, page, schema)


def page_of(session: Session, stmt: Select[Any], page: PageParams, schema: type[S]) -> Page[S]:
    """One page of `stmt`, each row read as `schema`, with the count of all rows."""
    items, total = paginate(session, stmt, page)
    return _page(items, total, page, schema)


def _page(items: list[Any], total: int, page: PageParams, schema: type[S]) -> Page[S]:
    return Page[schema](  # type: ignore[valid-type]
        items=[schema.model_validate(item) for item in items],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )
