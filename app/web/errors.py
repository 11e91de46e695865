"""Errors on the web pages answer with HTML pages; the API keeps its problem+json answers.

The handlers installed by `app.core.errors` are wrapped: a request for a page (any path
outside /api/ and the OpenAPI pages) gets a page in its language, everything else goes to the
original handler unchanged."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import PlainTextResponse, RedirectResponse, Response
from sqlalchemy.exc import InternalError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.core.api_docs import DOC_PATHS
from app.core.errors import DomainError, NotAuthenticated, database_unavailable
from app.web.security import CsrfFailed
from app.web.sessions import LoginRequired, login_path
from app.web.templating import render

logger = logging.getLogger(__name__)

Handler = Callable[[Request, Any], Response | Awaitable[Response]]
KNOWN_STATUSES = {400, 403, 404, 405, 409, 422, 429, 500, 503}


def is_page_request(request: Request) -> bool:
    app = request.app
    path = request.url.path
    if path.startswith("/api/") or path == "/api":
        return False
    return path not in {*DOC_PATHS, app.openapi_url}


def error_page(
    request: Request,
    status_code: int,
    reason: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    shown = status_code if status_code in KNOWN_STATUSES else (500 if status_code >= 500 else 400)
    try:
        return render(
            request,
            "errors/error.html",
            {"status": shown, "reason": reason},
            status_code=status_code,
            headers=headers,
        )
    except Exception:  # a broken template must not hide the original error
        logger.exception("could not render the error page")
        return PlainTextResponse(f"Error {status_code}", status_code=status_code)


def _page_response(request: Request, exc: Exception) -> Response:
    if isinstance(exc, CsrfFailed):
        return error_page(request, 403, "csrf")
    if isinstance(exc, LoginRequired):
        return RedirectResponse(login_path(exc.next_path), status_code=303)
    if isinstance(exc, NotAuthenticated):
        return RedirectResponse(login_path(request.url.path), status_code=303)
    if isinstance(exc, DomainError):
        return error_page(request, exc.status_code, headers=exc.headers)
    if (unavailable := database_unavailable(exc)) is not None:
        logger.warning("database unavailable: %s", exc)
        return error_page(request, 503, headers=unavailable.headers)
    if isinstance(exc, RequestValidationError):
        in_path = any(e.get("loc", ("",))[0] == "path" for e in exc.errors())
        return error_page(request, 404 if in_path else 400)
    if isinstance(exc, StarletteHTTPException):
        return error_page(request, exc.status_code)
    logger.exception("unhandled error on a page", exc_info=exc)
    return error_page(request, 500)


class RefusedChange(Exception):
    """A page that answers a refused change (the form again with its errors, or a 409 page).

    Raised rather than returned, so that the request-scoped session, the one place that commits
    or rolls back, rolls back whatever the refused attempt had flushed. The page is rendered
    before it is raised."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


def install_page_errors(app: FastAPI) -> None:
    for exc_class in (
        DomainError,
        RequestValidationError,
        StarletteHTTPException,
        OperationalError,
        InternalError,
        Exception,
    ):
        original = app.exception_handlers.get(exc_class)
        app.add_exception_handler(exc_class, _wrap(original))

    async def page_only(request: Request, exc: Exception) -> Response:
        return _page_response(request, exc)

    async def refused(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RefusedChange)  # noqa: S101 - registered for this class only
        return exc.response

    app.add_exception_handler(RefusedChange, refused)
    app.add_exception_handler(CsrfFailed, page_only)
    app.add_exception_handler(LoginRequired, page_only)


def _wrap(original: Handler | None) -> Callable[[Request, Exception], Awaitable[Response]]:
    async def handler(request: Request, exc: Exception) -> Response:
        if original is None or is_page_request(request):
            return _page_response(request, exc)
        result = original(request, exc)
        return await result if inspect.isawaitable(result) else result

    return handler
