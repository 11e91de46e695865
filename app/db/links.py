"""Many-to-many link tables, all of one shape: (owner id, target key)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from app.db.base import Base


def link_table(
    name: str,
    owner_key: str,
    owner: str,
    target_key: str,
    target: str,
    target_type: sa.types.TypeEngine[Any],
    *extra: sa.Column[Any],
) -> sa.Table:
    """`owner` and `target` are "table.column"; deleting the owner deletes its links. `extra`
    columns describe the link itself (e.g. where a recommendation's theme came from)."""
    return sa.Table(
        name,
        Base.metadata,
        sa.Column(owner_key, sa.ForeignKey(owner, ondelete="CASCADE"), primary_key=True),
        sa.Column(target_key, target_type, sa.ForeignKey(target), primary_key=True),
        *extra,
        sa.Index(f"ix_{name}_{target_key}", target_key),
    )


CODE = sa.String(60)
ISO3 = sa.String(3)
