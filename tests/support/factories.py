"""Test data made through the HTTP API, as a real client would, with tokens for each role."""

from __future__ import annotations

import itertools
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.auth import service as auth_service
from app.auth.models import Role
from app.config import Settings
from app.db.session import create_db_engine, create_session_factory

_counter = itertools.count(1)


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class ApiFactory:
    def __init__(self, client: TestClient, settings: Settings) -> None:
        self.client = client
        self._engine = create_db_engine(settings.database_url)
        self._sessions = create_session_factory(self._engine)
        self._staff: dict[str, str] | None = None

    def close(self) -> None:
        self._engine.dispose()

    def session(self) -> Session:
        """A session on the test database, for checks the API does not show."""
        return self._sessions()

    # --- principals -------------------------------------------------------------------------
    def token(
        self,
        role: Role | str,
        *,
        state: str | None = None,
        organization_id: int | None = None,
        ttl_days: int | None = None,
        email: str | None = None,
        language: str | None = None,
    ) -> str:
        """A token made as `uprtc token create` makes it (with `email`: for a user who also
        signs in, and receives emails)."""
        with self._sessions() as session:
            user = auth_service.create_user(
                session,
                name=f"{role} user {next(_counter)}",
                role=Role(role),
                state_iso3=state,
                organization_id=organization_id,
                email=email,
                language=language,
            )
            issued = auth_service.issue_token(session, user, ttl_days=ttl_days)
            session.commit()
        return issued.token

    def headers(self, role: Role | str, **binding: Any) -> dict[str, str]:
        return auth(self.token(role, **binding))

    @property
    def staff(self) -> dict[str, str]:
        if self._staff is None:
            self._staff = self.headers(Role.staff)
        return self._staff

    def state(self, iso3: str) -> dict[str, str]:
        return self.headers(Role.state, state=iso3)

    def provider(self, organization_id: int) -> dict[str, str]:
        return self.headers(Role.provider, organization_id=organization_id)

    # --- records ----------------------------------------------------------------------------
    def _post(self, path: str, body: dict[str, Any], headers: dict[str, str] | None) -> Any:
        response = self.client.post(f"/api/v1{path}", json=body, headers=headers or self.staff)
        assert response.status_code == 201, response.text
        return response.json()

    def organization(self, headers: dict[str, str] | None = None, **fields: Any) -> Any:
        body = {"name": f"Organization {next(_counter)}", "type": "un_entity", **fields}
        return self._post("/organizations", body, headers)

    def recommendation(
        self,
        state: str = "KAZ",
        position: str = "supported",
        headers: dict[str, str] | None = None,
        **fields: Any,
    ) -> Any:
        body = {
            "state": state,
            "position": position,
            "session": 34,
            "text": f"Establish a national preventive mechanism under OPCAT ({next(_counter)})",
            "recommending_states": ["DNK"],
            "themes": ["torture"],
            **fields,
        }
        return self._post("/recommendations", body, headers)

    def request(
        self, state: str = "KAZ", headers: dict[str, str] | None = None, **fields: Any
    ) -> Any:
        body = {"state": state, "title": f"Support for OPCAT ({next(_counter)})", **fields}
        return self._post("/requests", body, headers)

    def offer(
        self,
        organization_id: int | None = None,
        headers: dict[str, str] | None = None,
        **fields: Any,
    ) -> Any:
        if organization_id is None:
            organization_id = self.organization()["id"]
        body = {
            "organization_id": organization_id,
            "title": f"Training on torture prevention ({next(_counter)})",
            "countries": ["KAZ"],
            "themes": ["torture"],
            "languages": ["ru", "en"],
            **fields,
        }
        return self._post("/offers", body, headers)

    def match(self, request_id: int, offer_id: int, **fields: Any) -> Any:
        body = {"request_id": request_id, "offer_id": offer_id, "score": 0.8, **fields}
        return self._post("/matches", body, None)

    def activity(
        self, state: str = "KAZ", headers: dict[str, str] | None = None, **fields: Any
    ) -> Any:
        body = {"state": state, "title": f"OPCAT workshop ({next(_counter)})", **fields}
        return self._post("/activities", body, headers)
