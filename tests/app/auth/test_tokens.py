"""Bearer tokens: who is calling, and tokens that are unknown, revoked or expired."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import create_engine, select, text, update

from app.auth.models import ApiToken
from app.auth.service import hash_token
from app.db.base import utcnow
from tests.support.factories import ApiFactory, auth


def test_anonymous_me(api: ApiFactory) -> None:
    body = api.client.get("/api/v1/me").json()
    assert body == {
        "authenticated": False,
        "name": "anonymous",
        "role": None,
        "state": None,
        "organization_id": None,
    }


def test_state_token_identifies_its_state(api: ApiFactory) -> None:
    body = api.client.get("/api/v1/me", headers=api.state("KGZ")).json()
    assert body["authenticated"] is True
    assert body["role"] == "state"
    assert body["state"] == "KGZ"


def test_unknown_token_is_401_with_a_bearer_challenge(api: ApiFactory) -> None:
    response = api.client.get("/api/v1/me", headers=auth("uprtc_not-a-real-token"))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.headers["content-type"] == "application/problem+json"


def test_tokens_are_stored_only_as_digests(api: ApiFactory, db_url: str) -> None:
    token = api.token("staff")
    engine = create_engine(db_url)
    with engine.connect() as conn:
        stored = conn.execute(select(ApiToken.token_hash, ApiToken.prefix)).all()
        raw = conn.scalar(
            text("SELECT count(*) FROM api_tokens WHERE token_hash = :t"), {"t": token}
        )
    engine.dispose()
    assert (hash_token(token), token[:10]) in [tuple(r) for r in stored]
    assert raw == 0


def test_revoked_and_expired_tokens_are_refused(api: ApiFactory, db_url: str) -> None:
    revoked, expired = api.token("staff"), api.token("staff", ttl_days=30)
    for token in (revoked, expired):
        assert api.client.get("/api/v1/audit", headers=auth(token)).status_code == 200
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(
            update(ApiToken)
            .where(ApiToken.token_hash == hash_token(revoked))
            .values(revoked_at=utcnow())
        )
        conn.execute(
            update(ApiToken)
            .where(ApiToken.token_hash == hash_token(expired))
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    engine.dispose()
    response = api.client.get("/api/v1/audit", headers=auth(revoked))
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]
    response = api.client.get("/api/v1/audit", headers=auth(expired))
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_malformed_authorization_headers_are_401_not_anonymous(api: ApiFactory) -> None:
    valid = api.state("KGZ")["Authorization"].removeprefix("Bearer ")
    for header in ("Bearer", "Bearer ", "Basic dXNlcjpwYXNz", f"Token {valid}", valid, ""):
        response = api.client.get("/api/v1/me", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert response.headers["WWW-Authenticate"] == "Bearer"
        assert response.headers["content-type"] == "application/problem+json"
        assert "Bearer" in response.json()["detail"]
    # Public reads too: a broken header is a client's mistake, never silently anonymous.
    assert (
        api.client.get("/api/v1/recommendations", headers={"Authorization": "Bearer"}).status_code
        == 401
    )
