"""The "minimal app, same query" reference of benchmarks/load_bench.py: FastAPI + SQLAlchemy with
no middleware, no authentication and no visibility rule, running the service's own queries (the
recommendation search with words and meaning; a request's matches) and response models. What
the service adds on top of it is what load_bench.py's ratio measures."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, FastAPI, Query
from sqlalchemy.orm import Session

from app.auth.principal import SYSTEM
from app.core.pagination import PageParams, page_of
from app.core.schemas import Page
from app.db.session import create_db_engine, create_session_factory
from app.matches import repository as matches_repository
from app.matches.schemas import MatchRead
from app.models import *  # noqa: F403 - every mapper configured, as in the service
from app.pairing.semantic import SemanticIndex
from app.recommendations import repository as recommendations_repository
from app.recommendations import search
from app.recommendations.schemas import RecommendationRead

engine = create_db_engine(os.environ["UPRTC_DATABASE_URL"])
factory = create_session_factory(engine)
semantic = SemanticIndex(factory)
app = FastAPI()


def session() -> Iterator[Session]:
    with factory() as s:
        yield s


Db = Annotated[Session, Depends(session)]


@app.get("/recommendations", response_model=Page[RecommendationRead])
def recommendations(
    db: Db,
    q: Annotated[str | None, Query(max_length=200)] = None,
    state: Annotated[str | None, Query(max_length=3)] = None,
) -> Page[RecommendationRead]:
    filters = recommendations_repository.RecommendationFilters(q=q, state=state)
    page = PageParams(limit=50, offset=0)
    found = search.search(
        db, filters, page, semantic=semantic, load=recommendations_repository.LOAD_READ
    )
    return Page[RecommendationRead](
        items=[RecommendationRead.model_validate(r) for r in found.items],
        total=found.total,
        limit=page.limit,
        offset=page.offset,
    )


@app.get("/requests/{request_id}/matches", response_model=Page[MatchRead])
def matches(db: Db, request_id: int) -> Page[MatchRead]:
    stmt = matches_repository.matches_query(
        SYSTEM, matches_repository.MatchFilters(request_id=request_id)
    )
    return page_of(db, stmt, PageParams(limit=50, offset=0), MatchRead)
