"""What the staff pages share: one-time messages after a redirect, and the labels of the values
they show."""

from __future__ import annotations

import sys
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse

from app.web.labels import N_
from app.web.templating import render

FLASH_KEY = "staff_flash"

# The score's components (matching.scoring.WEIGHTS), in the order the weights rank them.
SCORE_COMPONENT = {
    "theme": N_("Themes in common"),
    "text": N_("Similar wording"),
    "assistance": N_("Kinds of assistance"),
    "language": N_("Working languages"),
    "coverage": N_("Geographic coverage"),
    "track_record": N_("Track record on the themes"),
}
ENGAGEMENT_KIND = {"offer": N_("Offer"), "activity": N_("Activity")}
# The matcher's hard constraints (app.pairing.explain), in the order they are checked.
CONSTRAINT = {
    "request_open": N_("The request is open"),
    "active": N_("The offer is active"),
    "coverage": N_("The offer covers the State"),
    "period": N_("The periods overlap"),
    "capacity": N_("The offer has places left"),
    "provider": N_("The provider is not the requesting State"),
    "not_rejected": N_("Not rejected before"),
}
IMPORT_SOURCE = {
    "upr-info": N_("UPR Info database"),
    "uhri": N_("Universal Human Rights Index"),
    "report-text": N_("Working Group report text"),
}
IMPORT_STATUS = {
    "running": N_("Running"),
    "completed": N_("Completed"),
    "failed": N_("Failed"),
}
# The review queue's orders (app.matches.repository.MATCH_SORTS) and age filter.
QUEUE_SORT = {
    "score": N_("Best score first"),
    "score_asc": N_("Lowest score first"),
    "newest": N_("Newest first"),
    "oldest": N_("Oldest first"),
    "state": N_("By State"),
    "provider": N_("By provider"),
}
QUEUE_AGE = {
    "week": N_("Found in the last 7 days"),
    "month": N_("Found in the last 30 days"),
    "older": N_("Found more than 30 days ago"),
}
EMAIL_STATUS = {
    "pending": N_("Waiting to be sent"),
    "sent": N_("Sent"),
    "failed": N_("Failed"),
    "off": N_("Not sent: email is off"),
}


def flash(request: Request, kind: str, **values: Any) -> None:
    """A message for the next page shown (after the redirect that follows a form)."""
    request.session[FLASH_KEY] = {"kind": kind, **values}


def take_flash(request: Request) -> dict[str, Any] | None:
    value = request.session.pop(FLASH_KEY, None)
    return value if isinstance(value, dict) and isinstance(value.get("kind"), str) else None


def see_other(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def page(
    request: Request, template: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    """A staff page: the labels above and the message left by the last form come along."""
    values = {"staff_labels": sys.modules[__name__], "flash": take_flash(request), **context}
    return render(request, template, values, status_code=status_code)
