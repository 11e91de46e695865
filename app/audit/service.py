"""Every write leaves an audit entry: who, when, which entity, before and after.

Services change records only inside these helpers, so that each change is audited the same way:

    audit.created(session, actor, ENTITY, record, RecordRead)
    with audit.changing(session, actor, ENTITY, record, RecordRead):
        record.title = "..."
    audit.deleted(session, actor, ENTITY, record, RecordRead)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from pydantic import BaseModel
from sqlalchemy.orm import Session

from app.audit.models import AuditEntry
from app.auth.principal import Principal
from app.db.base import VersionedMixin, utcnow


class _Identified(Protocol):
    id: Any


def snapshot(schema: type[BaseModel], obj: Any) -> dict[str, Any]:
    return schema.model_validate(obj).model_dump(mode="json")


def write_entry(
    session: Session,
    actor: Principal,
    action: str,
    entity_type: str,
    entity_id: object,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    """One entry, for what no record snapshot describes (a matching run, say)."""
    session.add(
        AuditEntry(
            actor_id=actor.user_id,
            actor_name=actor.name,
            action=action,
            entity_type=entity_type,
            entity_id=str(entity_id),
            before=before,
            after=after,
        )
    )


def created(
    session: Session,
    actor: Principal,
    entity_type: str,
    record: _Identified,
    schema: type[BaseModel],
) -> None:
    """`record` is new: stored (its id is known after the flush), then audited."""
    session.add(record)
    session.flush()
    after = snapshot(schema, record)
    write_entry(session, actor, "create", entity_type, record.id, None, after)


@contextmanager
def changing(
    session: Session,
    actor: Principal,
    entity_type: str,
    record: _Identified,
    schema: type[BaseModel],
    action: str = "update",
) -> Iterator[None]:
    """Audit the change made inside the block: the snapshot before, then the row marked changed
    (its version moves even when only its links changed), flushed, and the snapshot after.
    Nothing is written if the block raises."""
    before = snapshot(schema, record)
    yield
    if isinstance(record, VersionedMixin):
        record.updated_at = utcnow()
    session.flush()
    after = snapshot(schema, record)
    write_entry(session, actor, action, entity_type, record.id, before, after)


def deleted(
    session: Session,
    actor: Principal,
    entity_type: str,
    record: _Identified,
    schema: type[BaseModel],
) -> None:
    before = snapshot(schema, record)
    session.delete(record)
    session.flush()
    write_entry(session, actor, "delete", entity_type, record.id, before, None)
