"""`uprtc seed --demo` fills a fresh database with a living, clearly labelled system."""

from __future__ import annotations

import httpx2 as httpx
from fastapi.testclient import TestClient

from app.auth.models import Role
from app.db.session import create_db_engine, create_session_factory
from app.demo.accounts import ensure_demo_accounts
from app.demo.seed import load_demo_data
from tests.support.web import sign_in


def test_demo_data_is_labelled_linked_and_idempotent(client: TestClient, db_url: str) -> None:
    engine = create_db_engine(db_url)
    try:
        sessions = create_session_factory(engine)
        first = load_demo_data(sessions)
        second = load_demo_data(sessions)
    finally:
        engine.dispose()
    assert first.created["recommendations"] > 1000
    assert first.created["offers"] == 7
    assert first.created["requests"] == 5
    assert second.created == {}, "a second run creates nothing"

    kaz = client.get("/api/v1/recommendations", params={"state": "KAZ", "limit": 1}).json()
    assert kaz["total"] > 100
    offers = client.get("/api/v1/offers", params={"limit": 200}).json()["items"]
    assert len(offers) == 7
    assert all(o["title"].startswith("[Demo]") for o in offers)
    public = client.get("/api/v1/requests", params={"limit": 200}).json()["items"]
    # Bolivia's request has no consent and Fiji's is a draft: neither is public.
    assert {r["state"] for r in public} == {"KAZ", "KGZ", "SEN"}
    kaz_request = next(r for r in public if r["state"] == "KAZ")
    assert kaz_request["languages"] == ["ru"]
    assert kaz_request["recommendation_ids"]
    assert kaz_request["themes"], "themes come from the linked recommendations"
    for rec_id in kaz_request["recommendation_ids"]:
        rec = client.get(f"/api/v1/recommendations/{rec_id}").json()
        assert rec["state"] == "KAZ"
        assert rec["position"] == "supported"
    organizations = client.get("/api/v1/organizations", params={"q": "[Demo]"}).json()
    assert organizations["total"] == 6
    assert all(o["is_demo"] for o in organizations["items"])


def test_demo_accounts_sign_in_one_per_role_and_keep_their_password(
    client: TestClient, db_url: str
) -> None:
    engine = create_db_engine(db_url)
    try:
        sessions = create_session_factory(engine)
        load_demo_data(sessions)
        with sessions.begin() as session:
            first = ensure_demo_accounts(session)
        with sessions.begin() as session:
            second = ensure_demo_accounts(session)
    finally:
        engine.dispose()
    assert [a.role for a in first] == [Role.admin, Role.staff, Role.state, Role.provider]
    assert all(a.created for a in first)
    assert not any(a.created for a in second)
    client.base_url = httpx.URL("https://testserver")  # Secure cookies, as in a browser
    for account in first:
        client.cookies.clear()
        answer = sign_in(client, account.email, account.password)
        assert answer.status_code == 303, account.email
        whoami = client.get("/account")
        assert whoami.status_code == 200
        assert account.email in whoami.text
