"""Portable values: what a backup writes for each column type, and reads back."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

import pytest

from app.backup.format import PortableType, decode, encode


@pytest.mark.parametrize(
    ("kind", "value", "written"),
    [
        ("integer", 2**40, 2**40),
        ("float", 0.1, 0.1),
        ("float", -0.0, -0.0),
        ("numeric", Decimal("12345678901234.56"), "12345678901234.56"),
        ("string", '人权 — حقوق\n"x"', '人权 — حقوق\n"x"'),
        ("boolean", True, True),
        ("date", date(2027, 2, 28), "2027-02-28"),
        ("time", time(23, 59, 58, 1), "23:59:58.000001"),
        ("binary", b"\x00\xff\x10", "AP8Q"),
        ("json", {"a": [1, None, "b"]}, {"a": [1, None, "b"]}),
        (
            "datetime",
            datetime(2026, 11, 23, 12, 0, 0, 123456, tzinfo=UTC),
            "2026-11-23T12:00:00.123456+00:00",
        ),
    ],
)
def test_values_round_trip(kind: PortableType, value: object, written: object) -> None:
    assert encode(value, kind) == written
    assert decode(written, kind) == value
    assert encode(None, kind) is None
    assert decode(None, kind) is None


def test_datetimes_are_written_in_utc() -> None:
    """SQLite returns naive UTC; PostgreSQL aware values in the session's time zone."""
    naive = datetime(2026, 11, 23, 12, 0)
    paris = datetime(2026, 11, 23, 13, 0, tzinfo=timezone(timedelta(hours=1)))
    assert encode(naive, "datetime") == encode(paris, "datetime") == "2026-11-23T12:00:00+00:00"
    assert decode("2026-11-23T13:00:00+01:00", "datetime", naive_datetimes=True) == naive
    with pytest.raises(ValueError, match="no UTC offset"):
        decode("2026-11-23T12:00:00", "datetime")


def test_non_finite_floats_are_strings() -> None:
    assert [encode(v, "float") for v in (math.inf, -math.inf)] == ["Infinity", "-Infinity"]
    assert math.isnan(decode(encode(math.nan, "float"), "float"))


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("integer", "1"),
        ("integer", True),
        ("boolean", 1),
        ("numeric", "twelve"),
        ("date", "2027-02-30"),
        ("binary", "not base64!"),
        ("string", 5),
    ],
)
def test_wrong_values_are_refused(kind: PortableType, value: object) -> None:
    with pytest.raises(ValueError, match="is not a valid"):
        decode(value, kind)
