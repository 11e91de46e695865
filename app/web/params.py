"""Lenient query values for the pages: a form sends '' for "any", and a value that makes no
sense is ignored (the page shows everything) rather than answered with an error page. The API
validates strictly; the pages, which people reach by editing addresses and old links, do not."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import TypeVar

from app.core.pagination import PageParams

E = TypeVar("E", bound=enum.Enum)
PAGE_SIZE = 20
MAX_PAGE = 100_000
MAX_ID = 2**31


def text_value(value: str | None, max_length: int = 200) -> str | None:
    value = (value or "").strip()[:max_length]
    return value or None


def iso3_value(value: str | None) -> str | None:
    value = (value or "").strip().upper()
    return value if len(value) == 3 and value.isascii() and value.isalpha() else None


def int_value(value: str | None, low: int, high: int) -> int | None:
    try:
        number = int((value or "").strip())
    except ValueError:
        return None
    return number if low <= number <= high else None


def enum_value(cls: type[E], value: str | None) -> E | None:
    try:
        return cls((value or "").strip())
    except ValueError:
        return None


def id_values(values: Iterable[str]) -> list[int]:
    """The valid record ids among `values`, in order, once each."""
    found = [int(v) for v in (v.strip() for v in values) if v.isdigit() and 0 < int(v) < MAX_ID]
    return list(dict.fromkeys(found))


def page_value(value: str | None, size: int = PAGE_SIZE) -> tuple[int, PageParams]:
    """The page number asked for (1 when it makes no sense) and the rows it holds."""
    number = int_value(value, 1, MAX_PAGE) or 1
    return number, PageParams(limit=size, offset=(number - 1) * size)


def page_count(total: int, size: int = PAGE_SIZE) -> int:
    return max(1, -(-total // size))
