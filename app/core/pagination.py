from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel
from sqlalchemy import Select, func, select
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


def page_of(session: Session, stmt: Select[Any], page: PageParams, schema: type[S]) -> Page[S]:
    """One page of `stmt`, each row read as `schema`, with the count of all rows."""
    items, total = paginate(session, stmt, page)
    return Page[schema](  # type: ignore[valid-type]
        items=[schema.model_validate(item) for item in items],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )
