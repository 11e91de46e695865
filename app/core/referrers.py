"""Refuse to delete what other records still refer to, with a message that says what.

The referrers come from the schema itself: every foreign key that points at the record's table
and would refuse the deletion (no ON DELETE CASCADE or SET NULL). A link table (two foreign
keys, no model of its own) counts as the records on its other side: an organization named as
the provider of two activities is "referred to by 2 activities". So a new table that refers to
a record is checked without anyone remembering to add it here, and the domain that owns the
record needs no knowledge of the domains that point at it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, Table, func, inspect, literal, select, tuple_
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.core.errors import Conflict
from app.db.base import Base


def _blocking_keys(table: Table) -> list[ForeignKey]:
    return [
        fk
        for other in Base.metadata.sorted_tables
        for fk in other.foreign_keys
        if fk.column.table is table and fk.ondelete not in ("CASCADE", "SET NULL")
    ]


def _label(referrer: Table, key: ForeignKey) -> str:
    """What a referring row is, in words: its table, or the other side of a link table."""
    mapped = {mapper.local_table for mapper in Base.registry.mappers}
    others = [fk for fk in referrer.foreign_keys if fk.parent is not key.parent]
    if referrer not in mapped and len(others) == 1:
        return others[0].column.table.name.replace("_", " ")
    return referrer.name.replace("_", " ")


def referrers(session: Session, record: object) -> dict[str, int]:
    """Rows that still refer to `record` and would stop its deletion, counted by what they are."""
    mapper = inspect(record).mapper
    table = mapper.local_table
    assert isinstance(table, Table)  # noqa: S101 - every model here maps one table
    counts: dict[str, int] = {}
    for key in _blocking_keys(table):
        referrer = key.parent.table
        assert isinstance(referrer, Table)  # noqa: S101
        value = getattr(record, mapper.get_property_by_column(key.column).key)
        found = session.scalar(
            select(func.count()).select_from(referrer).where(tuple_(key.parent) == (value,))
        )
        if found:
            label = _label(referrer, key)
            counts[label] = counts.get(label, 0) + int(found)
    return counts


def refuse_if_referenced(session: Session, record: object, what: str, advice: str) -> None:
    """A 409 naming what still refers to `record` (`what`, e.g. "offer 7"), with `advice`."""
    found = referrers(session, record)
    if found:
        listed = ", ".join(f"{count} {label}" for label, count in sorted(found.items()))
        raise Conflict(f"{what} is still referred to by {listed}; {advice}")


def referenced_exists(session: Session, column: InstrumentedAttribute[Any], value: object) -> bool:
    """Whether the row that `column` (a foreign key) would refer to with `value` exists: a
    user's organization, say, checked without the user's domain importing organizations."""
    (key,) = column.property.columns[0].foreign_keys
    found = session.scalar(select(literal(True)).where(key.column == value).limit(1))
    return bool(found)
