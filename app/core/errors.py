"""Typed domain errors and the one place that turns errors into application/problem+json."""

from __future__ import annotations

import logging
from typing import Any, Literal

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, InternalError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.core.schemas import CONTROL_CHARACTERS

logger = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


class DomainError(Exception):
    status_code = 400
    title = "Bad request"

    def __init__(
        self,
        detail: str,
        *,
        field: str | None = None,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or ([{"field": field, "message": detail}] if field else [])
        self.headers = headers


class NotAuthenticated(DomainError):
    status_code = 401
    title = "Not authenticated"

    def __init__(self, detail: str = "A valid bearer token is required") -> None:
        super().__init__(detail, headers={"WWW-Authenticate": "Bearer"})


class PermissionDenied(DomainError):
    status_code = 403
    title = "Forbidden"


class NotFound(DomainError):
    status_code = 404
    title = "Not found"


class Conflict(DomainError):
    status_code = 409
    title = "Conflict"


class PreconditionFailed(DomainError):
    status_code = 412
    title = "Precondition failed"


class PreconditionRequired(DomainError):
    status_code = 428
    title = "Precondition required"


class InvalidInput(DomainError):
    status_code = 422
    title = "Invalid input"


class ServiceUnavailable(DomainError):
    status_code = 503
    title = "Service unavailable"


class UnknownCodes(InvalidInput):
    def __init__(self, field: str, codes: list[str], vocabulary: str) -> None:
        listed = ", ".join(repr(c) for c in codes)
        super().__init__(f"Unknown {vocabulary} in '{field}': {listed}", field=field)


# Seconds a client is told to wait (Retry-After) before trying again.
RETRY_BUSY, RETRY_READ_ONLY, RETRY_UNREACHABLE = 2, 60, 10
_SQLITE_BUSY = ("database is locked", "database table is locked", "database schema is locked")
_SQLITE_READ_ONLY = ("readonly database", "read-only database")
_PG_READ_ONLY = {"25006"}  # read_only_sql_transaction (a standby, default_transaction_read_only)
_PG_BUSY = {"55P03", "40P01", "57014"}  # lock_not_available, deadlock, statement timeout
_PG_UNREACHABLE_CLASSES = ("08", "57P")  # connection exceptions, operator intervention


def database_trouble(exc: BaseException) -> Literal["busy", "read_only", "unreachable"] | None:
    """What keeps the database from taking a request now, if that is what `exc` says: busy
    (another writer holds the lock past the busy timeout), read-only, or not answering."""
    if not isinstance(exc, DBAPIError):
        return None
    text = str(exc.orig).lower()
    sqlstate = str(getattr(exc.orig, "sqlstate", "") or "")
    if any(m in text for m in _SQLITE_READ_ONLY) or sqlstate in _PG_READ_ONLY:
        return "read_only"
    if any(m in text for m in _SQLITE_BUSY) or sqlstate in _PG_BUSY:
        return "busy"
    if isinstance(exc, OperationalError) and (
        sqlstate.startswith(_PG_UNREACHABLE_CLASSES) or exc.connection_invalidated
    ):
        return "unreachable"
    return None


def database_unavailable(exc: BaseException) -> ServiceUnavailable | None:
    """A database error that is neither the caller's mistake nor a bug, but a database that
    cannot take the request now (`database_trouble`): a 503 with Retry-After; None otherwise."""
    trouble = database_trouble(exc)
    if trouble == "read_only":
        return ServiceUnavailable(
            "The database cannot take changes at the moment (it is read-only); reading still "
            "works. Try again later.",
            headers={"Retry-After": str(RETRY_READ_ONLY)},
        )
    if trouble == "busy":
        return ServiceUnavailable(
            "The database is busy with other changes; try again in a few seconds.",
            headers={"Retry-After": str(RETRY_BUSY)},
        )
    if trouble == "unreachable":
        return ServiceUnavailable(
            "The database does not answer; try again shortly.",
            headers={"Retry-After": str(RETRY_UNREACHABLE)},
        )
    return None


def problem(
    status: int,
    title: str,
    detail: str,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    body["detail"] = detail
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _field_of(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header"}:
        parts = parts[1:] or parts
    return ".".join(parts)


async def _domain_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)  # noqa: S101 - registered for DomainError only
    return problem(exc.status_code, exc.title, exc.detail, exc.errors, exc.headers)


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)  # noqa: S101
    errors = [
        {"field": _field_of(e.get("loc", ())), "message": e.get("msg", "")} for e in exc.errors()
    ]
    first = errors[0] if errors else {"field": "", "message": "invalid request"}
    detail = f"Invalid value for '{first['field']}': {first['message']}"
    if len(errors) > 1:
        detail += f" (and {len(errors) - 1} more)"
    return problem(422, "Invalid input", detail, errors)


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)  # noqa: S101
    headers = dict(exc.headers) if exc.headers else None
    return problem(exc.status_code, _reason(exc.status_code), str(exc.detail), headers=headers)


async def _integrity_error(_request: Request, exc: Exception) -> JSONResponse:
    logger.info("integrity error: %s", exc)
    return problem(
        409,
        "Conflict",
        "The change conflicts with the data already stored "
        "(a duplicate, a broken reference or a rule of the database)",
    )


async def _stale_data(_request: Request, _exc: Exception) -> JSONResponse:
    return problem(
        409, "Conflict", "The record was changed by someone else meanwhile; reload and retry"
    )


_DB_INT_MAX = 2**63 - 1


async def _unstorable(request: Request, exc: Exception) -> JSONResponse:
    """A value the database cannot take (SQLite raises OverflowError for a number too large,
    PostgreSQL a DataError, also for a NUL character): the caller's mistake, named where the
    parameter can be found."""
    logger.info("value the database cannot store: %s", exc)
    field, problem_text = "body", "a value is out of range or holds characters not allowed"
    for name, value in [*request.path_params.items(), *request.query_params.items()]:
        if _too_large(value):
            field, problem_text = name, "the number is out of range"
            break
        if CONTROL_CHARACTERS.search(str(value)):
            field, problem_text = name, "control characters (such as NUL) are not allowed"
            break
    detail = f"Invalid value for '{field}': {problem_text}"
    return problem(422, "Invalid input", detail, [{"field": field, "message": detail}])


def _too_large(value: object) -> bool:
    text = str(value).strip().lstrip("+-")
    return text.isdigit() and int(text) > _DB_INT_MAX


async def _database_error(request: Request, exc: Exception) -> JSONResponse:
    unavailable = database_unavailable(exc)
    if unavailable is None:
        return await _unexpected(request, exc)
    logger.warning("database unavailable: %s", exc)
    return await _domain_error(request, unavailable)


async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
    logger.exception("unhandled error", exc_info=exc)
    return problem(500, "Internal server error", "An unexpected error occurred")


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(IntegrityError, _integrity_error)
    app.add_exception_handler(StaleDataError, _stale_data)
    app.add_exception_handler(OverflowError, _unstorable)
    app.add_exception_handler(DataError, _unstorable)
    app.add_exception_handler(OperationalError, _database_error)
    app.add_exception_handler(InternalError, _database_error)
    app.add_exception_handler(Exception, _unexpected)
