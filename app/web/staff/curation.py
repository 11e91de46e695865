"""The curation of a recommendation's themes and groups of persons, on the recommendation's
page: staff confirm the tagger's (or the import's) as they are, or correct them with
checkboxes. The same service functions as `POST /api/v1/recommendations/{id}/tags/confirm`
and `PUT .../tags`, so the rules and the audit trail are the API's."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from app.auth.principal import Principal
from app.core.concurrency import check_version
from app.core.errors import Conflict, DomainError
from app.db.session import SessionDep
from app.recommendations import service
from app.recommendations.schemas import RecommendationTagsUpdate
from app.reference import repository as reference_repository
from app.reference.models import GroupOfPersons, Theme
from app.web import forms
from app.web.sessions import StaffPagePrincipal
from app.web.staff.common import FLASH_KEY, flash, see_other

router = APIRouter()

MAX_CODES = 100
FLASH_KIND = "recommendation_tags"


@router.post("/recommendations/{recommendation_id}/tags", name="web_staff_recommendation_tags")
def curate(
    request: Request,
    recommendation_id: int,
    session: SessionDep,
    principal: StaffPagePrincipal,
    form: forms.PostedForm,
) -> Response:
    """`action` confirm: the themes and groups as they are; correct: the ticked ones."""
    rec = service.get(session, recommendation_id)
    back = str(request.app.url_path_for("web_recommendation", recommendation_id=rec.id))
    action = forms.text(form, "action", 20)
    try:
        check_version(rec.version, None, forms.version(form))
        if action == "confirm":
            service.confirm_tags(session, principal, rec)
        elif action == "correct":
            data = RecommendationTagsUpdate(
                themes=forms.values(form, "themes", MAX_CODES),
                groups=forms.values(form, "groups", MAX_CODES),
                version=rec.version,
            )
            service.correct_tags(session, principal, rec, data)
        else:
            flash(request, FLASH_KIND, outcome="unknown_action")
            return see_other(f"{back}#curation")
    except (Conflict, ValidationError, DomainError):
        # a stale page, or codes the vocabulary does not know (a forged form): nothing changed
        flash(request, FLASH_KIND, outcome="refused")
        return see_other(f"{back}#curation")
    flash(request, FLASH_KIND, outcome=action)
    return see_other(f"{back}#curation")


def context(request: Request, session: Session, principal: Principal) -> dict[str, Any]:
    """What the recommendation page adds for staff: every theme and group (for the
    checkboxes) and the outcome of the last curation form."""
    if not principal.is_staff:
        return {"curation": None}
    message = request.session.get(FLASH_KEY)
    outcome = None
    if isinstance(message, dict) and message.get("kind") == FLASH_KIND:
        outcome = request.session.pop(FLASH_KEY).get("outcome")
    return {
        "curation": {
            "themes": {t.code: t for t in reference_repository.list_vocabulary(session, Theme)},
            "groups": {
                g.code: g for g in reference_repository.list_vocabulary(session, GroupOfPersons)
            },
            "outcome": outcome,
        }
    }
