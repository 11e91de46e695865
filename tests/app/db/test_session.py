"""The request's session: when ending it does I/O (a trip to a worker thread) and when not."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.db.session import _holds_work, create_db_engine, create_session_factory
from app.organizations.models import Organization, OrganizationType
from app.reference.models import Country

pytestmark = pytest.mark.dialects


def test_a_session_holds_work_only_with_changes_or_an_open_transaction(
    db_url: str, backend: str
) -> None:
    engine = create_db_engine(db_url)
    factory = create_session_factory(engine)
    try:
        with factory() as session:
            assert not _holds_work(session)  # nothing ran
            session.scalar(select(Country.iso3).limit(1))
            # SQLite begins at the first write; PostgreSQL at the first statement
            assert _holds_work(session) is (backend != "sqlite")
            session.add(Organization(name="Pending", type=OrganizationType.nhri))
            assert _holds_work(session)  # a pending insert
            session.flush()
            assert _holds_work(session)  # written, not yet committed
            session.rollback()
    finally:
        engine.dispose()


def test_sqlite_connections_are_not_pinged_and_server_ones_are(db_url: str, backend: str) -> None:
    engine = create_db_engine(db_url)
    try:
        assert engine.pool._pre_ping is (backend != "sqlite")
    finally:
        engine.dispose()
