"""Codes in list filters, checked as codes in writes are (`service.resolve`): an unknown theme,
country, region, SDG, group, language or assistance type is a 422 naming the query parameter,
never an empty or unfiltered list; the same on SQLite and PostgreSQL. Control characters (NUL
and the like) in any query value are a 422 too (PostgreSQL cannot compare them; SQLite would).

Each list endpoint names its coded parameters once, in one dependency:

    codes: Annotated[None, Depends(known_codes(theme=Theme, state=Country))]
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from app.core.errors import InvalidInput
from app.core.schemas import CONTROL_CHARACTERS
from app.db.base import Base
from app.db.session import SessionDep
from app.reference import cache
from app.reference.models import Country
from app.reference.service import resolve_one

# Countries are filtered case-insensitively (the filters upper-case ISO3 codes); other
# vocabularies compare codes as given.
_UPPER_CASED: frozenset[type[Base]] = frozenset({Country})


def check_query_text(request: Request) -> None:
    """No control characters in any query parameter's name or value."""
    for name, value in request.query_params.multi_items():
        if CONTROL_CHARACTERS.search(name) or CONTROL_CHARACTERS.search(value):
            field = name if not CONTROL_CHARACTERS.search(name) else "query"
            raise InvalidInput(
                f"Invalid value for '{field}': control characters (such as NUL) are not allowed",
                field=field,
            )


def known_codes(**parameters: type[Base]) -> Callable[[Request, SessionDep], Awaitable[None]]:
    """A dependency: each named query parameter, when given, holds a code of its vocabulary.

    Async: a code found in the cached reference lists (`app.reference.cache`) is known without a
    query or a trip to a worker thread (this runs before every filtered list and search); any
    other code goes to the database in a worker thread, as a write's code would."""

    async def check(request: Request, session: SessionDep) -> None:
        check_query_text(request)
        given = [
            (name, model, value.upper() if model in _UPPER_CASED else value)
            for name, model in parameters.items()
            if (value := request.query_params.get(name))
        ]
        if all(cache.is_known(session, model, code) for _name, model, code in given):
            return
        await run_in_threadpool(_resolve_each, session, given)

    return check


def _resolve_each(session: Session, given: list[tuple[str, type[Base], str]]) -> None:
    for name, model, code in given:
        if not cache.load_known(session, model, code):
            resolve_one(session, model, code, name)  # the 422 naming `name` (or a new language)
