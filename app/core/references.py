"""Refuse to delete what other records still refer to, with a message that says what."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Table, func, select
from sqlalchemy.orm import Session

from app.core.errors import Conflict


def refuse_if_referenced(
    session: Session,
    what: str,
    references: list[tuple[str, Table | Any, ColumnElement[bool]]],
    advice: str,
) -> None:
    """`references` are (label, table or model, condition); any match raises a 409."""
    found = []
    for label, source, condition in references:
        count = session.scalar(select(func.count()).select_from(source).where(condition)) or 0
        if count:
            found.append(f"{count} {label}")
    if found:
        raise Conflict(f"{what} is still referred to by {', '.join(found)}; {advice}")
