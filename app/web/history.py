"""A record's history as its own party reads it: each version (who changed it, when) and the
fields that changed, from the append-only audit log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.models import AuditEntry

# Bookkeeping every change moves: the entry's time and version say it already.
UNSHOWN_FIELDS = frozenset({"updated_at", "version", "id"})


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class Version:
    number: int
    at: datetime
    actor_name: str
    action: str
    changes: list[FieldChange]


def field_changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[FieldChange]:
    """The fields that differ, in the snapshot's order (a creation: every field it was given;
    a deletion: every field it had); empty values on both sides are no change."""
    old, new = before or {}, after or {}
    found = []
    for name in [*old, *(k for k in new if k not in old)]:
        first, second = old.get(name), new.get(name)
        if name in UNSHOWN_FIELDS or first == second or (_empty(first) and _empty(second)):
            continue
        found.append(FieldChange(name, first, second))
    return found


def _empty(value: Any) -> bool:
    return value is None or value in ("", [], {})


def versions(session: Session, entity_type: str, entity_id: int) -> list[Version]:
    """The record's versions, the newest first."""
    stmt = (
        select(AuditEntry)
        .where(AuditEntry.entity_type == entity_type, AuditEntry.entity_id == str(entity_id))
        .order_by(AuditEntry.id)
    )
    found = [
        Version(number, e.at, e.actor_name, e.action, field_changes(e.before, e.after))
        for number, e in enumerate(session.scalars(stmt), start=1)
    ]
    return found[::-1]
