"""Every write leaves an audit entry; the log itself cannot be changed."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from tests.support.factories import ApiFactory


def _entries(api: ApiFactory, **query: str) -> list[dict]:  # type: ignore[type-arg]
    response = api.client.get("/api/v1/audit", params=query, headers=api.staff)
    assert response.status_code == 200
    return response.json()["items"]


def test_create_update_delete_are_audited_with_before_and_after(api: ApiFactory) -> None:
    kaz = api.state("KAZ")
    request = api.request("KAZ", headers=kaz, title="Before")
    url = f"/api/v1/requests/{request['id']}"
    api.client.patch(url, json={"title": "After", "version": 1}, headers=kaz).raise_for_status()
    api.client.delete(url, headers=kaz).raise_for_status()
    entries = _entries(api, entity_type="assistance_request", entity_id=str(request["id"]))
    assert [e["action"] for e in entries] == ["delete", "update", "create"]
    delete, update, create = entries
    assert create["before"] is None
    assert create["after"]["title"] == "Before"
    assert update["before"]["title"] == "Before"
    assert update["after"]["title"] == "After"
    assert delete["before"]["title"] == "After"
    assert delete["after"] is None
    assert {e["actor_name"] for e in entries} == {create["actor_name"]}
    assert create["actor_name"].startswith("state user")


@pytest.mark.parametrize(
    ("make", "entity_type"),
    [
        (lambda api: api.organization(), "organization"),
        (lambda api: api.recommendation(), "recommendation"),
        (lambda api: api.offer(), "offer"),
        (lambda api: api.activity(), "activity"),
        (lambda api: api.match(api.request()["id"], api.offer()["id"]), "match"),
    ],
)
def test_each_resource_is_audited(api: ApiFactory, make, entity_type: str) -> None:  # type: ignore[no-untyped-def]
    record = make(api)
    entries = _entries(api, entity_type=entity_type, entity_id=str(record["id"]))
    assert [e["action"] for e in entries] == ["create"]
    assert entries[0]["after"]["id"] == record["id"]


def test_a_refused_write_leaves_no_entry(api: ApiFactory) -> None:
    before = len(_entries(api, limit="200"))
    response = api.client.post(
        "/api/v1/requests", json={"title": "t", "themes": ["nope"]}, headers=api.state("KAZ")
    )
    assert response.status_code == 422
    assert len(_entries(api, limit="200")) == before


def test_the_log_is_append_only_in_the_database(api: ApiFactory, db_url: str) -> None:
    api.organization()
    engine = create_engine(db_url)
    try:
        for statement in ("UPDATE audit_log SET actor_name = 'forged'", "DELETE FROM audit_log"):
            with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
                conn.execute(text(statement))
        with engine.connect() as conn:
            assert (
                conn.scalar(text("SELECT count(*) FROM audit_log WHERE actor_name = 'forged'")) == 0
            )
            assert conn.scalar(text("SELECT count(*) FROM audit_log")) >= 1
    finally:
        engine.dispose()
