from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from app.assistance_requests import service
from app.assistance_requests.models import AssistanceRequest
from app.auth.dependencies import CurrentPrincipal, RequestAuthor
from app.db.session import SessionDep


def _visible(
    request_id: int, session: SessionDep, principal: CurrentPrincipal
) -> AssistanceRequest:
    """404 for a request the caller may not see, so that its existence is not revealed."""
    return service.get_visible(session, principal, request_id)


VisibleRequest = Annotated[AssistanceRequest, Depends(_visible)]


def _editable(author: RequestAuthor, request: VisibleRequest) -> AssistanceRequest:
    service.check_can_edit(author, request)
    return request


EditableRequest = Annotated[AssistanceRequest, Depends(_editable)]
