"""The audit history on a page: every change to a record (who, when, what it was before and
after), the fields that changed side by side; or the latest changes to everything. The same
append-only log as GET /api/v1/audit."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.db.session import SessionDep
from app.web.history import field_changes
from app.web.labels import N_
from app.web.listing import Cells, Column, Listing, by
from app.web.params import text_value
from app.web.sessions import StaffPagePrincipal
from app.web.staff.common import page

router = APIRouter()

PAGE_SIZE = 30
# Kinds of record in the log, and the page that shows one (None: no page of its own).
ENTITY = {
    "assistance_request": (N_("Request"), "web_request", "request_id"),
    "offer": (N_("Offer"), "web_offer", "offer_id"),
    "match": (N_("Match"), "web_staff_match", "match_id"),
    "activity": (N_("Activity"), "web_activity", "activity_id"),
    "recommendation": (N_("Recommendation"), "web_recommendation", "recommendation_id"),
    "organization": (N_("Organization"), None, None),
    "user": (N_("User"), "web_staff_user", "user_id"),
    "api_token": (N_("API token"), None, None),
    "matching": (N_("Matching run"), None, None),
}
ACTION = {
    "create": N_("Created"),
    "update": N_("Changed"),
    "delete": N_("Deleted"),
    "propose": N_("Proposed"),
    "reject": N_("Rejected"),
    "accept": N_("Accepted by a party"),
    "decline": N_("Declined by a party"),
    "take_back": N_("Acceptance taken back by a party"),
    "agree": N_("Agreed"),
    "run": N_("Run"),
    "import": N_("Imported"),
    "disable": N_("Disabled"),
    "enable": N_("Enabled"),
    "revoke": N_("Revoked"),
    "sign_out_everywhere": N_("Signed out everywhere"),
}


@dataclass(frozen=True)
class Change:
    field: str
    before: str | None
    after: str | None


def shown(value: Any) -> str | None:
    """A snapshot value as text: lists joined, objects as compact JSON, nothing as None."""
    if value is None or value == [] or value == {}:
        return None
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[Change]:
    """The fields that differ (app.web.history), as text."""
    return [Change(c.field, shown(c.before), shown(c.after)) for c in field_changes(before, after)]


def _kind(entry: AuditEntry, cells: Cells) -> str:
    label = ENTITY.get(entry.entity_type)
    return cells._(label[0]) if label else entry.entity_type


def _changes_text(entry: AuditEntry, _cells: Cells) -> str:
    return "; ".join(
        f"{c.field}: {c.before or '—'} → {c.after or '—'}"
        for c in changes(entry.before, entry.after)
    )


AUDIT: Listing[AuditEntry] = Listing(
    "audit",
    N_("Audit log"),
    [
        Column("at", N_("When"), lambda e, _c: e.at, by(AuditEntry.at)),
        Column("actor", N_("Who"), lambda e, _c: e.actor_name, by(AuditEntry.actor_name)),
        Column(
            "action",
            N_("What"),
            lambda e, c: c._(ACTION.get(e.action, e.action)),
            by(AuditEntry.action),
        ),
        Column("kind", N_("Kind of record"), _kind, by(AuditEntry.entity_type)),
        Column("record", N_("Record number"), lambda e, _c: e.entity_id, by(AuditEntry.entity_id)),
        Column("changes", N_("Changed fields"), _changes_text),
    ],
    default="-at",
    tiebreak=AuditEntry.id,
    page_size=PAGE_SIZE,
)


def _record_title(entries: list[AuditEntry]) -> str | None:
    for entry in entries:
        snapshot = entry.after or entry.before or {}
        for key in ("title", "name", "text", "email"):
            value = snapshot.get(key)
            if isinstance(value, str) and value:
                return value
    return None


@router.get("/audit", name="web_staff_audit")
def audit(
    request: Request,
    session: SessionDep,
    principal: StaffPagePrincipal,
    entity_type: str | None = None,
    entity_id: str | None = None,
) -> Response:
    kind = entity_type if entity_type in ENTITY else None
    record = text_value(entity_id, 60)
    stmt = select(AuditEntry)
    if kind:
        stmt = stmt.where(AuditEntry.entity_type == kind)
    if record:
        stmt = stmt.where(AuditEntry.entity_id == record)
    shown = AUDIT.show(request, session, stmt)
    if isinstance(shown, Response):
        return shown
    entries = shown.items
    label, route, param = ENTITY.get(kind or "", (None, None, None))
    link = None
    if kind and record and route and param and record.isdigit():
        link = request.app.url_path_for(route, **{param: record})
    context = {
        **shown.context(),
        "entries": entries,
        "changes": {e.id: changes(e.before, e.after) for e in entries},
        "kind": kind,
        "kind_label": label,
        "record": record,
        "record_link": link,
        "record_title": _record_title(entries) if kind and record else None,
        "entities": ENTITY,
        "actions": ACTION,
    }
    return page(request, "staff/audit.html", context)
