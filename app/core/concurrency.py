"""Optimistic concurrency: clients send back the version they read (If-Match or `version`)."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from fastapi import Header, Response
from pydantic import BaseModel

from app.core.errors import Conflict, PreconditionFailed, PreconditionRequired

IfMatch = Annotated[
    str | None,
    Header(description='The ETag from the last read, e.g. "3"; or send `version` in the body'),
]


S = TypeVar("S", bound=BaseModel)


def etag(version: int) -> str:
    return f'"{version}"'


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag(version)


def versioned(response: Response, record: Any, schema: type[S]) -> S:
    """`record` read as `schema`, its version in the ETag header for the next write."""
    set_etag(response, record.version)
    return schema.model_validate(record)


def check_version(current: int, if_match: str | None, body_version: int | None) -> None:
    """Refuse a write made against a stale read: 412 for If-Match, 409 for a body version."""
    if if_match is not None:
        wanted = if_match.removeprefix("W/").strip()
        if wanted != "*" and wanted not in {etag(current), str(current)}:
            raise PreconditionFailed(
                f"If-Match {if_match} does not match the current version {etag(current)}; "
                "reload and retry"
            )
        return
    if body_version is None:
        raise PreconditionRequired(
            "Send the version you read, as an If-Match header or a `version` field",
            field="version",
        )
    if body_version != current:
        raise Conflict(
            f"version {body_version} is stale: the record is at version {current}; "
            "reload and retry",
            field="version",
        )
