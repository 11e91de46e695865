"""Pessimistic locks for the few rules that read several rows and then write one (an offer's
places): the version column guards one record, not a count over many.

`lock(session, record)` holds the record's row until the transaction ends and reads it afresh,
so a rule checked after it sees what the transactions before it committed:
- PostgreSQL: `SELECT ... FOR UPDATE` on the row (other writers of that row wait; readers don't);
- SQLite: a write that changes nothing (`UPDATE ... SET version = version`), which takes the
  database's write lock at once, as `BEGIN IMMEDIATE` would; every other writer waits for the
  commit (busy timeout), so the rows read afterwards are the latest.
Take locks in one order everywhere (a request before an offer) so that two transactions never
wait for each other."""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError


def lock(session: Session, record: Any, *, unchanged: bool = False) -> None:
    """Hold `record`'s row until commit or rollback, and refresh it from the database.

    `unchanged`: the caller is about to change the record against the version a client read
    (checked before the lock): a version that moved meanwhile raises StaleDataError (a 409)."""
    loaded = record.version
    _lock(session, record)
    if unchanged and record.version != loaded:
        raise StaleDataError(
            f"{type(record).__name__} changed meanwhile: version {loaded} is now {record.version}"
        )


def _lock(session: Session, record: Any) -> None:
    mapper = inspect(record).mapper
    table = mapper.local_table
    (key,) = mapper.primary_key
    (identity,) = mapper.primary_key_from_instance(record)
    if session.get_bind().dialect.name == "sqlite":
        # Every column set to itself: no value changes, not even an `onupdate` timestamp.
        unchanged = {column: column for column in table.c if column.onupdate is not None}
        unchanged[table.c.version] = table.c.version
        session.execute(table.update().where(key == identity).values(unchanged))
    else:
        # The row alone (not the rows the record was loaded with: FOR UPDATE refuses outer joins).
        session.execute(select(key).where(key == identity).with_for_update())
    session.refresh(record)
