"""The backup file: a ZIP archive with one JSON Lines member per table and a manifest.

    manifest.json             format, format version, Alembic revision, creation time, and
                              for every table (in dependency order): its columns with their
                              portable types, primary key, row count and the SHA-256 of its
                              member
    tables/<table>.jsonl      one JSON object per row, keyed by column name

Values are portable between SQLite and PostgreSQL: integers, floats (non-finite ones as the
strings "NaN", "Infinity", "-Infinity") and booleans as JSON; exact decimals as strings;
datetimes as ISO 8601 in UTC with the offset; dates and times as ISO 8601; JSON columns as
JSON; binary columns as base64. A JSON column holding SQL NULL (rather than JSON null) is listed
in the row's "$null" key, the only key that is not a column name.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field

from app.core.errors import DomainError

FORMAT = "uprtc-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQL_NULL_KEY = "$null"

PortableType = Literal[
    "integer", "float", "numeric", "string", "boolean", "date", "datetime", "time", "json", "binary"
]


class BackupError(DomainError):
    """A backup that cannot be written or restored; the message says why."""


class ColumnEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    type: PortableType


class TableEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    file: str
    columns: list[ColumnEntry]
    primary_key: list[str]
    rows: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: Literal["uprtc-backup"] = "uprtc-backup"
    format_version: int
    created_at: datetime
    alembic_revision: str
    source_dialect: str
    tables: list[TableEntry]

    @property
    def total_rows(self) -> int:
        return sum(t.rows for t in self.tables)


def portable_type(column: sa.Column[Any]) -> PortableType:
    """The portable type of a reflected column; a type this format cannot carry is refused."""
    kind = column.type
    checks: list[tuple[type[Any], PortableType]] = [
        (sa.Boolean, "boolean"),
        (sa.Integer, "integer"),
        (sa.Float, "float"),  # before Numeric: Float is a Numeric
        (sa.Numeric, "numeric"),
        (sa.DateTime, "datetime"),
        (sa.Date, "date"),
        (sa.Time, "time"),
        (sa.JSON, "json"),
        (sa.LargeBinary, "binary"),
        (sa.String, "string"),  # VARCHAR, TEXT, and enums stored as VARCHAR
    ]
    for cls, name in checks:
        if isinstance(kind, cls):
            return name
    raise BackupError(
        f"column {column.table.name}.{column.name} has type {kind}, which a backup cannot carry"
    )


def _float(value: Any) -> Any:
    number = float(value)
    if math.isfinite(number):
        return number
    return "NaN" if math.isnan(number) else ("Infinity" if number > 0 else "-Infinity")


def _datetime(value: datetime) -> str:
    # Naive datetimes come from SQLite, where the service stores UTC (UTCDateTime).
    moment = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return moment.isoformat()


_ENCODERS: dict[PortableType, Callable[[Any], Any] | None] = {
    "integer": int,
    "float": _float,
    "numeric": str,
    "string": None,
    "boolean": bool,
    "date": date.isoformat,
    "datetime": _datetime,
    "time": time.isoformat,
    "json": None,
    "binary": lambda value: base64.b64encode(bytes(value)).decode("ascii"),
}


def encoder(kind: PortableType) -> Callable[[Any], Any] | None:
    """The function that turns a non-NULL database value of `kind` into JSON; None when the
    value is JSON already (strings, JSON documents)."""
    return _ENCODERS[kind]


def encode(value: Any, kind: PortableType) -> Any:
    """A database value as JSON."""
    function = _ENCODERS[kind]
    return value if value is None or function is None else function(value)


def decode(value: Any, kind: PortableType, *, naive_datetimes: bool = False) -> Any:
    """A JSON value from a backup as the Python value to insert; ValueError when it is not one.

    `naive_datetimes`: the column stores naive UTC (SQLite); otherwise datetimes are aware."""
    if value is None or kind == "json":
        return value
    expected: dict[PortableType, type[Any] | tuple[type[Any], ...]] = {
        "integer": int,
        "float": (int, float, str),
        "numeric": str,
        "string": str,
        "boolean": bool,
        "date": str,
        "datetime": str,
        "time": str,
        "binary": str,
    }
    if not isinstance(value, expected[kind]) or (kind == "integer" and isinstance(value, bool)):
        raise ValueError(f"{value!r} is not a valid {kind}")
    try:
        if kind == "float":
            return float(value)
        if kind == "numeric":
            return Decimal(value)
        if kind == "datetime":
            return _moment(datetime.fromisoformat(value), naive_datetimes)
        if kind == "date":
            return date.fromisoformat(value)
        if kind == "time":
            return time.fromisoformat(value)
        if kind == "binary":
            return base64.b64decode(value, validate=True)
    except _NoOffset:
        raise
    except (InvalidOperation, ValueError, TypeError) as exc:  # binascii.Error is a ValueError
        raise ValueError(f"{value!r} is not a valid {kind}") from exc
    return value  # integer, string, boolean


def _moment(moment: datetime, naive: bool) -> datetime:
    if moment.tzinfo is None:
        raise _NoOffset(f"{moment.isoformat()!r} has no UTC offset")
    moment = moment.astimezone(UTC)
    return moment.replace(tzinfo=None) if naive else moment


class _NoOffset(ValueError):
    pass
