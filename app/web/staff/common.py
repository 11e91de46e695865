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
