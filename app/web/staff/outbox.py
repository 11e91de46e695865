"""The email outbox for staff (/staff/outbox): what waits, what failed and why, and "retry
now"; the same service as GET /api/v1/notifications/outbox."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.core.errors import Conflict
from app.core.pagination import PageParams, paginate
from app.db.session import SessionDep
from app.notifications import repository, service
from app.notifications.messages import compose
from app.notifications.models import EmailStatus
from app.web.sessions import StaffPagePrincipal
from app.web.staff.common import flash, page, see_other

router = APIRouter()
SHOWN = 200
# What the page lists by default: what still needs someone (sent ones on demand).
WAITING = (EmailStatus.failed, EmailStatus.pending)


@router.get("/outbox", name="web_staff_outbox")
def outbox(
    request: Request, session: SessionDep, principal: StaffPagePrincipal, status: str = ""
) -> Response:
    statuses = [s for s in EmailStatus if s.value == status] or list(WAITING)
    items, total = paginate(session, repository.outbox_query(statuses), PageParams(SHOWN, 0))
    rows = [(e, compose(session, e.notification, e.language).subject) for e in items]
    context = {"rows": rows, "total": total, "status": status, "statuses": list(EmailStatus)}
    return page(request, "staff/outbox.html", context)


@router.post("/outbox/{outbox_id}/retry", name="web_staff_outbox_retry")
def retry(
    request: Request, outbox_id: int, session: SessionDep, principal: StaffPagePrincipal
) -> Response:
    try:
        service.retry(session, outbox_id)
    except Conflict:
        flash(request, "outbox_refused", email=outbox_id)
    else:
        flash(request, "outbox_retry", email=outbox_id)
    return see_other(str(request.app.url_path_for("web_staff_outbox")))
