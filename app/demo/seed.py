"""Demo data for `make run`: real recommendations (a subset of the UPR Info file) plus clearly
labelled, invented organizations, offers, requests and an activity. Idempotent: what exists
(by name or title) is left alone."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from app.activities import service as activities
from app.activities.models import Activity
from app.activities.schemas import ActivityCreate
from app.assistance_requests import service as requests
from app.assistance_requests.models import AssistanceRequest
from app.assistance_requests.schemas import RequestCreate
from app.auth.models import Role
from app.auth.principal import Principal
from app.imports.upr_info import read_upr_info
from app.imports.vocabulary import ImportVocabulary
from app.imports.writer import write_all
from app.offers import service as offers
from app.offers.models import Offer
from app.offers.schemas import OfferCreate
from app.organizations import service as organizations
from app.organizations.models import Organization
from app.organizations.schemas import OrganizationCreate
from app.recommendations.models import Position, Recommendation
from app.reference.seed import SEED_DIR

DEMO_ACTOR = Principal(user_id=None, name="uprtc seed --demo", role=Role.admin)
DEMO_FILE = SEED_DIR / "demo" / "demo.json"
UPR_INFO_FILE = SEED_DIR / "upr_info" / "upr_info_cycle1_sessions01-12.csv"


@dataclass
class DemoReport:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str) -> None:
        self.created[kind] = self.created.get(kind, 0) + 1

    def __str__(self) -> str:
        made = ", ".join(f"{kind}: {n}" for kind, n in self.created.items())
        return made or "nothing new (already there)"


def load_demo_data(sessions: sessionmaker[Session], demo_file: Path = DEMO_FILE) -> DemoReport:
    data = json.loads(demo_file.read_text(encoding="utf-8"))
    report = DemoReport()
    inserted = _import_recommendations(sessions, data["recommendation_states"])
    if inserted:
        report.created["recommendations"] = inserted
    with sessions() as session, session.begin():
        orgs = _organizations(session, data["organizations"], report)
        _offers(session, data["offers"], orgs, report)
        _requests(session, data["requests"], report)
        _activities(session, data["activities"], orgs, report)
    return report


def _import_recommendations(sessions: sessionmaker[Session], state_names: list[str]) -> int:
    with sessions() as session:
        vocabulary = ImportVocabulary.load(session)
    wanted = {vocabulary.countries.resolve(name) for name in state_names}
    with UPR_INFO_FILE.open(encoding="utf-8", newline="") as stream:
        rows = (
            row
            for row in read_upr_info(stream, vocabulary)
            if row.record is not None and row.record.state_iso3 in wanted
        )
        summary = write_all(sessions, rows, actor=DEMO_ACTOR, run_id=0)
    return summary.inserted


def _organizations(
    session: Session, items: list[dict[str, Any]], report: DemoReport
) -> dict[str, int]:
    ids = {}
    for item in items:
        existing = session.scalar(select(Organization).where(Organization.name == item["name"]))
        if existing is None:
            existing = organizations.create(session, DEMO_ACTOR, OrganizationCreate(**item))
            existing.is_demo = True
            report.add("organizations")
        ids[item["name"]] = existing.id
    return ids


def _offers(
    session: Session, items: list[dict[str, Any]], orgs: dict[str, int], report: DemoReport
) -> None:
    for item in items:
        if session.scalar(select(Offer.id).where(Offer.title == item["title"])) is not None:
            continue
        fields = {k: v for k, v in item.items() if k != "organization"}
        data = OfferCreate(organization_id=orgs[item["organization"]], **fields)
        offers.create(session, DEMO_ACTOR, data)
        report.add("offers")


def _requests(session: Session, items: list[dict[str, Any]], report: DemoReport) -> None:
    for item in items:
        exists = select(AssistanceRequest.id).where(AssistanceRequest.title == item["title"])
        if session.scalar(exists) is not None:
            continue
        selector = item["recommendations"]
        fields = {k: v for k, v in item.items() if k != "recommendations"}
        ids = _pick_recommendations(session, item["state"], selector)
        requests.create(session, DEMO_ACTOR, RequestCreate(recommendation_ids=ids, **fields))
        report.add("requests")


def _pick_recommendations(session: Session, state: str, selector: dict[str, Any]) -> list[int]:
    words = selector["text_contains"]
    stmt = (
        select(Recommendation.id)
        .where(
            Recommendation.state_iso3 == state,
            Recommendation.position == Position.supported,
            or_(*(Recommendation.text.ilike(f"%{word}%") for word in words)),
        )
        .order_by(Recommendation.id)
        .limit(selector.get("limit", 2))
    )
    return list(session.scalars(stmt))


def _activities(
    session: Session, items: list[dict[str, Any]], orgs: dict[str, int], report: DemoReport
) -> None:
    for item in items:
        if session.scalar(select(Activity.id).where(Activity.title == item["title"])) is not None:
            continue
        fields = {k: v for k, v in item.items() if k != "providers"}
        data = ActivityCreate(provider_ids=[orgs[name] for name in item["providers"]], **fields)
        activities.create(session, DEMO_ACTOR, data)
        report.add("activities")
