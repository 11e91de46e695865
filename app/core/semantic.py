"""Search by meaning, across languages: the interface the entities' searches call.

The implementation (`app/pairing/semantic.py`: sentence embeddings of every recommendation and
offer, kept in memory) sits above the entities; the app factory puts it in
`app.state.semantic_search`, and a search reads it from there (`SemanticDep`). Without one (a
bare app in a test, the command line), searches are by keyword only.
"""

from __future__ import annotations

from typing import Annotated, Protocol

from fastapi import Depends, Request
from sqlalchemy.orm import Session


class SemanticSearch(Protocol):
    def nearest(
        self,
        session: Session,
        kind: str,
        query: str,
        *,
        limit: int,
        state: str | None = None,
    ) -> list[tuple[int, float]]:
        """Up to `limit` (id, similarity) of records of `kind` ("recommendations", "offers")
        whose text is close in meaning to `query`, in any language, best first; only
        recommendations addressed to `state` when it is given."""
        ...


def semantic_search(request: Request) -> SemanticSearch | None:
    """The app's search by meaning, if it has one."""
    return getattr(request.app.state, "semantic_search", None)


async def _semantic_dependency(request: Request) -> SemanticSearch | None:
    # async: a dependency that reads no database runs on the event loop, not in a worker thread
    return semantic_search(request)


SemanticDep = Annotated[SemanticSearch | None, Depends(_semantic_dependency)]
