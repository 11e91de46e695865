"""A varied database made through the HTTP API, touching every table and every kind of value:
reference data, organizations, recommendations with all their links, requests, offers with
coverage, a matching run (suggestions, cached embeddings), a match agreed by both parties (and
the activity it creates), a rejected one, activities with funding, users and tokens (one
revoked), an import run with rejected rows, and the audit entries of all of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, text

from app.auth import service as auth_service
from app.auth import web_sessions
from app.auth.models import Role
from app.db.base import UTCDateTime
from app.db.session import create_db_engine, create_session_factory
from tests.support.factories import ApiFactory

UPR_INFO_HEADER = (
    "state_under_review,sur_regional_group,sur_org_memberships,recommendation,recommending_state,"
    "rs_regional_group,rs_org_memberships,response,action_category,issues,session,cycle"
)


@dataclass
class World:
    staff: dict[str, str]
    request_id: int
    offer_id: int
    activity_id: int
    organization_id: int


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def _upr_info_csv() -> bytes:
    """Two recommendations and a row that is rejected (an unknown State)."""
    rows = [
        "Kazakhstan,Asia,,Ratify the Optional Protocol to the Convention against Torture,Denmark,"
        "WEOG,EU,Accepted,4,Torture and other CID treatment,7,1",
        'Kazakhstan,Asia,,"Guarantee the independence of judges, « et des avocats »",France,WEOG,'
        "EU,Noted,3,Justice,7,1",
        "Atlantis,,,A State that does not exist,Denmark,,,Accepted,,,7,1",
    ]
    return "\r\n".join([UPR_INFO_HEADER, *rows, ""]).encode()


def build_world(api: ApiFactory, database_url: str) -> World:
    client, staff = api.client, api.staff
    undp = api.organization(
        name="UNDP Astana — Программа развития",
        acronym="UNDP",
        country="KAZ",
        website="https://www.undp.org/kazakhstan",
        description="Ünïcödé: 人权 حقوق الإنسان 🕊",
    )
    cso = api.organization(name="Kazakhstan Bureau for Human Rights", type="cso")
    rec = api.recommendation(
        "KAZ",
        recommending_states=["DNK", "FRA", "CHL"],
        themes=["torture", "conditions-of-detention"],
        groups=["children"],
        sdgs=["sdg-16"],
        document_symbol="A/HRC/41/12",
        paragraph="145.12",
        implementation_status="in_progress",
    )
    api.recommendation("KAZ", position="noted", themes=["administration-of-justice"])
    request = api.request(
        "KAZ",
        status="open",
        title="Setting up a national preventive mechanism",
        description="Training on detention visits\nin Russian, \"quoted\" and 'single'",
        recommendation_ids=[rec["id"]],
        themes=["torture"],
        languages=["ru"],
        assistance_types=["action-plan"],
        period_start="2027-01-01",
        period_end="2027-12-31",
        consent_to_publish=True,
    )
    offer = api.offer(
        undp["id"],
        title="Detention monitoring training for preventive mechanisms",
        description="Workshops on visiting places of detention",
        countries=["KAZ", "KGZ"],
        regions=["m49-143"],
        themes=["torture"],
        languages=["ru", "en"],
        assistance_types=["awareness-raising"],
        capacity=3,
        period_start="2027-03-01",
        period_end="2028-12-31",
    )
    other = api.offer(cso["id"], title="Torture prevention advice", is_global=True, countries=[])
    _ok(client.post("/api/v1/matching/run", json={}, headers=staff))

    suggested = _ok(client.get(f"/api/v1/requests/{request['id']}/matches", headers=staff))
    by_offer = {m["offer_id"]: m for m in suggested["items"]}
    agreed = by_offer[offer["id"]]
    _ok(
        client.post(
            f"/api/v1/matches/{agreed['id']}/propose",
            json={"version": agreed["version"]},
            headers=staff,
        )
    )
    # The focal point has an address and a language: the agreement queues an email to them.
    focal_point = api.headers("state", state="KAZ", email="fp@mfa.example.kz", language="ru")
    for headers in (focal_point, api.provider(undp["id"])):
        version = _ok(client.get(f"/api/v1/matches/{agreed['id']}", headers=staff))["version"]
        _ok(
            client.post(
                f"/api/v1/matches/{agreed['id']}/decision",
                json={"decision": "accepted", "version": version},
                headers=headers,
            )
        )
    if other["id"] in by_offer:
        rejected = by_offer[other["id"]]
    else:
        rejected = api.match(request["id"], other["id"], score=0.25)
    _ok(
        client.post(
            f"/api/v1/matches/{rejected['id']}/reject",
            json={"reason": "Provider already engaged", "version": rejected["version"]},
            headers=staff,
        )
    )
    activity = api.activity(
        "KAZ",
        title="OPCAT workshop",
        funding_amount="12345.67",
        funding_currency="EUR",
        provider_ids=[undp["id"], cso["id"]],
        recommendation_ids=[rec["id"]],
        themes=["torture"],
        period_start="2027-02-01",
        outcome="Ninety officers trained",
    )
    version = _ok(client.get(f"/api/v1/organizations/{cso['id']}", headers=staff))["version"]
    _ok(
        client.patch(
            f"/api/v1/organizations/{cso['id']}",
            json={"acronym": "KIBHR", "version": version},
            headers=staff,
        )
    )
    _ok(
        client.post(
            "/api/v1/imports/upr-info",
            files={"file": ("upr.csv", _upr_info_csv(), "text/csv")},
            headers=staff,
        ),
        201,
    )
    engine = create_db_engine(database_url)
    with create_session_factory(engine)() as session:
        user = auth_service.create_user(session, name="Former officer", role=Role.staff)
        issued = auth_service.issue_token(session, user, ttl_days=30)
        web_sessions.open_session(session, user, hours=8)  # a signed-in session, server-side
        session.commit()
        auth_service.revoke_token(session, issued.token_id)
        session.commit()
        # A signed-in user's columns, without depending on how passwords are set.
        session.execute(
            text("UPDATE users SET email = :email, password_hash = :hash WHERE id = :id"),
            {"email": "officer@ohchr.example", "hash": "$argon2id$v=19$m=65536$x$y", "id": user.id},
        )
        session.commit()
        # SQL NULL in a JSON column (the service writes JSON null): a backup keeps them apart.
        session.execute(
            text(
                "INSERT INTO audit_log (at, actor_name, action, entity_type, entity_id, before, "
                "after) VALUES (:at, 'maintenance', 'note', 'database', '-', NULL, NULL)"
            ).bindparams(bindparam("at", type_=UTCDateTime())),
            {"at": datetime(2026, 1, 2, 3, 4, 5, 600_007, tzinfo=UTC)},
        )
        session.commit()
    engine.dispose()
    return World(
        staff=staff,
        request_id=request["id"],
        offer_id=offer["id"],
        activity_id=activity["id"],
        organization_id=undp["id"],
    )
