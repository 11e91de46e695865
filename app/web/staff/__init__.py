"""The OHCHR staff area (/staff): the dashboard, the review queue of suggested matches, manual
pairing with the "why not" of a pair, the batch assignment, proactive matching, duplications and
gaps, the annual report, imports, the audit log, and users with their API tokens. Staff and
administrators only (`StaffPagePrincipal` on every page); every form is CSRF-checked by the
router. The pages call the same service functions as the API (`app.pairing.service`,
`app.matches.service`, ...), so the rules and the audit trail are the API's."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from app.web.security import verify_csrf
from app.web.staff import (
    audit,
    coordination,
    curation,
    dashboard,
    imports,
    outbox,
    pairing,
    proactive,
    reports,
    review,
    users,
)

PREFIX = "/staff"
router = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])
for _part in (
    dashboard.router,
    review.router,
    pairing.router,
    coordination.router,
    proactive.router,
    reports.router,
    imports.router,
    audit.router,
    curation.router,
    users.router,
    outbox.router,
):
    router.include_router(_part, prefix=PREFIX)
