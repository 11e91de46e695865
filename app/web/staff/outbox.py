"""The email outbox for staff (/staff/outbox): what waits, what failed and why, and "retry
now"; the same service as GET /api/v1/notifications/outbox."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.core.errors import Conflict
from app.db.session import SessionDep
from app.notifications import repository, service
from app.notifications.messages import compose
from app.notifications.models import EmailStatus, OutboxEmail
from app.web.labels import N_
from app.web.listing import Cells, Column, Listing, by
from app.web.sessions import StaffPagePrincipal
from app.web.staff.common import EMAIL_STATUS, flash, page, see_other

router = APIRouter()
SHOWN = 100
# What the page lists by default: what still needs someone (sent ones on demand).
WAITING = (EmailStatus.failed, EmailStatus.pending)


def _subject(email: OutboxEmail, cells: Cells) -> str:
    assert cells.session is not None  # noqa: S101 - an export has its session
    return compose(cells.session, email.notification, email.language).subject


def _next_attempt(email: OutboxEmail, _cells: Cells) -> datetime | None:
    return email.next_attempt_at if email.status == EmailStatus.pending else None


# Failed first, then waiting, then the rest, the newest first (the repository's order), unless
# a column is chosen.
OUTBOX: Listing[OutboxEmail] = Listing(
    "outbox",
    N_("Email outbox"),
    [
        Column("subject", N_("Subject"), _subject),
        Column("to", N_("To"), lambda e, _c: e.recipient, by(OutboxEmail.recipient)),
        Column("language", N_("Language"), lambda e, _c: e.language),
        Column(
            "status",
            N_("Status"),
            lambda e, c: c.choice(EMAIL_STATUS, e.status),
            by(OutboxEmail.status),
        ),
        Column("attempts", N_("Attempts"), lambda e, _c: e.attempts, by(OutboxEmail.attempts)),
        Column("error", N_("Last error"), lambda e, _c: e.last_error),
        Column("next", N_("Next attempt"), _next_attempt, by(OutboxEmail.next_attempt_at)),
        Column("created", N_("Written"), lambda e, _c: e.created_at, by(OutboxEmail.created_at)),
        Column("sent", N_("Sent"), lambda e, _c: e.sent_at, by(OutboxEmail.sent_at)),
    ],
    default=None,
    tiebreak=OutboxEmail.id,
    page_size=SHOWN,
)


@router.get("/outbox", name="web_staff_outbox")
def outbox(
    request: Request, session: SessionDep, principal: StaffPagePrincipal, status: str = ""
) -> Response:
    statuses = [s for s in EmailStatus if s.value == status] or list(WAITING)
    shown = OUTBOX.show(request, session, repository.outbox_query(statuses))
    if isinstance(shown, Response):
        return shown
    rows = [(e, compose(session, e.notification, e.language).subject) for e in shown.items]
    context = {**shown.context(), "rows": rows, "status": status, "statuses": list(EmailStatus)}
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
