"""A small known world for the annual report, built once per module and backend through the API.

Year Y is the current year: the world is entered on 15 June of Y (the clock is moved there
while it is built, so that the dates below never cross into another year, whatever the day the
tests run), except where a test moves `created_at` (the repository keeps no other date of
entry). Two requests entered 1 and 3 days before their matches were agreed give a median of 2.0
days.

What it holds (regions: KAZ Asia, SEN Africa, FRA Europe):
- recommendations: KAZ supported x2 and noted x1 (cycle 3); SEN supported (cycle 4, torture);
  FRA supported (cycle 4, education) and pending (cycle 4);
- organizations: "UN entity A" (un_entity), "CSO B" (cso);
- requests: r1 KAZ published, r2 KAZ unpublished (both agreed with offer o1 -> matched), r3 SEN
  draft with consent, r4 SEN open (education; no offer could help), old1 and old2 SEN drafts
  entered last year, old2 with a period reaching into Y;
- offers: o1 (UN entity A, KAZ, torture, 2 places), o2 (CSO B, SEN, torture);
- matches: m1 (r1, o1) and m2 (r2, o1) agreed, m3 (r4, o2) suggested;
- activities: from m1 and m2 (planned; m1's published, as its request r1 is, m2's not), a1 KAZ
  published ongoing (CSO B), a2 SEN
  completed unpublished with no provider.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import time_machine
from fastapi.testclient import TestClient
from sqlalchemy import update

from app.assistance_requests.models import AssistanceRequest
from app.db.session import create_db_engine
from tests.support.factories import ApiFactory

SECRET = "SECRET"
"""Every title that must never appear in a report contains this word."""

REPORT = "/api/v1/reports/annual"


@dataclass
class World:
    api: ApiFactory
    url: str
    year: int
    ids: dict[str, int] = field(default_factory=dict)

    @property
    def client(self) -> TestClient:
        return self.api.client

    def get(self, **params: Any) -> Any:
        params.setdefault("year", self.year)
        return self.client.get(REPORT, params=params, headers=self.api.staff)

    def report(self, year: int | None = None) -> Any:
        response = self.get(year=year or self.year, format="json")
        assert response.status_code == 200, response.text
        return response.json()


def agree(api: ApiFactory, match_id: int) -> None:
    url = f"/api/v1/matches/{match_id}"

    def post(action: str, body: dict[str, Any]) -> None:
        version = api.client.get(url, headers=api.staff).json()["version"]
        response = api.client.post(
            f"{url}/{action}", json={"version": version, **body}, headers=api.staff
        )
        assert response.status_code == 200, response.text

    post("propose", {})
    post("decision", {"decision": "accepted", "party": "state"})
    post("decision", {"decision": "accepted", "party": "provider"})


def set_created(url: str, request_id: int, when: datetime) -> None:
    engine = create_db_engine(url)
    with engine.begin() as connection:
        connection.execute(
            update(AssistanceRequest)
            .where(AssistanceRequest.id == request_id)
            .values(created_at=when)
        )
    engine.dispose()


def build(api: ApiFactory, url: str) -> World:
    with time_machine.travel(datetime(datetime.now(UTC).year, 6, 15, 12, tzinfo=UTC)):
        return _build(api, url)


def _build(api: ApiFactory, url: str) -> World:
    now = datetime.now(UTC)
    w = World(api, url, now.year)
    un = api.organization(name="UN entity A", type="un_entity")["id"]
    cso = api.organization(name="CSO B", type="cso")["id"]
    kaz1 = api.recommendation("KAZ")["id"]
    kaz2 = api.recommendation("KAZ")["id"]
    api.recommendation("KAZ", position="noted")
    api.recommendation("SEN", session=45)
    api.recommendation("FRA", session=45, themes=["right-to-education"])
    api.recommendation("FRA", session=45, position="pending")

    r1 = api.request(
        "KAZ",
        status="open",
        consent_to_publish=True,
        title="Published KAZ request",
        themes=["torture"],
        recommendation_ids=[kaz1],
    )["id"]
    r2 = api.request(
        "KAZ",
        status="open",
        title=f"{SECRET} unpublished KAZ request",
        themes=["torture"],
        recommendation_ids=[kaz2],
    )["id"]
    api.request(
        "SEN",
        title=f"{SECRET} SEN draft with consent",
        consent_to_publish=True,
        themes=["right-to-education"],
    )
    r4 = api.request(
        "SEN", status="open", title=f"{SECRET} SEN open request", themes=["right-to-education"]
    )["id"]
    last_year = datetime(now.year - 1, 6, 1, 12, tzinfo=UTC)
    old1 = api.request("SEN", title=f"{SECRET} old draft", themes=["right-to-education"])["id"]
    old2 = api.request(
        "SEN",
        title=f"{SECRET} old draft into this year",
        themes=["right-to-education"],
        period_start=f"{now.year - 1}-09-01",
        period_end=f"{now.year}-03-31",
    )["id"]
    set_created(url, old1, last_year)
    set_created(url, old2, last_year)

    o1 = api.offer(un, countries=["KAZ"], themes=["torture"], capacity=2, title="UN offer")["id"]
    o2 = api.offer(cso, countries=["SEN"], themes=["torture"], title="CSO offer")["id"]
    m1 = api.match(r1, o1)["id"]
    m2 = api.match(r2, o1)["id"]
    api.match(r4, o2)
    agree(api, m1)
    agree(api, m2)
    moment = datetime.now(UTC)
    set_created(url, r1, moment - timedelta(days=1))
    set_created(url, r2, moment - timedelta(days=3))

    a1 = api.activity(
        "KAZ",
        title="Published KAZ activity",
        consent_to_publish=True,
        status="ongoing",
        provider_ids=[cso],
        themes=["torture"],
        recommendation_ids=[kaz1],
    )["id"]
    api.activity(
        "SEN", title=f"{SECRET} SEN activity", status="completed", themes=["right-to-education"]
    )
    w.ids.update(un=un, cso=cso, r1=r1, r2=r2, r4=r4, o1=o1, o2=o2, m1=m1, m2=m2, a1=a1)
    activities = api.client.get("/api/v1/activities?limit=100", headers=api.staff).json()["items"]
    w.ids["a_m1"] = next(a["id"] for a in activities if a["match_id"] == m1)
    return w
