"""Reference lists for the pages' <select>s and checkboxes: label columns only, kept a minute.

A search page fills its filters with 193 countries and a few vocabularies on every request;
loading them as ORM objects (a country with its regions and languages) cost more than the search
itself. Here each list is read once as plain rows (code and the six labels) and kept per
database for `TTL_SECONDS`: reference data is seeded and read-only while the service runs, and a
re-seed shows within a minute.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.reference.models import (
    LANGUAGE_COLUMNS,
    AssistanceType,
    Country,
    GroupOfPersons,
    Language,
    Region,
    SdgGoal,
    Theme,
)

TTL_SECONDS = 60.0
Vocabulary = type[Theme] | type[GroupOfPersons] | type[SdgGoal] | type[AssistanceType]


@dataclass(frozen=True, eq=False)
class LabelRow:
    """A reference row as the pages show it: `code` (`iso3` for a country) and its labels."""

    code: str
    labels: dict[str, str]
    sort_order: int = 0

    @property
    def iso3(self) -> str:
        return self.code

    def label(self, language: str = "en") -> str:
        return self.labels.get(language) or self.labels["en"]


_lock = threading.Lock()
_cache: dict[tuple[str, str, str | None], tuple[float, tuple[LabelRow, ...]]] = {}


def _labels(row: Any) -> dict[str, str]:
    return {
        lang: value
        for lang, value in zip(LANGUAGE_COLUMNS, row[-len(LANGUAGE_COLUMNS) :], strict=True)
        if value
    }


def _cached(session: Session, name: str, variant: str | None, load: Any) -> tuple[LabelRow, ...]:
    rows = _fresh(session, name, variant)
    if rows is not None:
        return rows
    rows = tuple(load())
    with _lock:
        _cache[_key(session, name, variant)] = (time.monotonic() + TTL_SECONDS, rows)
    return rows


def _key(session: Session, name: str, variant: str | None) -> tuple[str, str, str | None]:
    return (str(session.get_bind().engine.url), name, variant)


def _fresh(session: Session, name: str, variant: str | None) -> tuple[LabelRow, ...] | None:
    """The cached list, if it is there and not expired (never reads the database)."""
    found = _cache.get(_key(session, name, variant))
    return found[1] if found is not None and found[0] > time.monotonic() else None


def _label_columns(model: Any) -> list[Any]:
    return [getattr(model, f"label_{lang}") for lang in LANGUAGE_COLUMNS]


def countries(session: Session, un_status: str | None = None) -> tuple[LabelRow, ...]:
    """Countries by ISO3 code (of one UN status, e.g. members, or all)."""

    def load() -> list[LabelRow]:
        stmt = select(Country.iso3, *_label_columns(Country)).order_by(Country.iso3)
        if un_status is not None:
            stmt = stmt.where(Country.un_status == un_status)
        return [LabelRow(row[0], _labels(row)) for row in session.execute(stmt)]

    return _cached(session, "countries", un_status, load)


def countries_by_iso3(session: Session, codes: set[str]) -> dict[str, LabelRow]:
    """The countries among `codes` (ISO3), as `get_by_keys` gives them, from the cached list."""
    index = _index(session, "countries", (countries(session),))
    return {code: index[code] for code in codes if code in index}


def vocabulary(session: Session, model: Vocabulary | type[Language]) -> tuple[LabelRow, ...]:
    """A vocabulary in its own order (sort order, then code), as `list_vocabulary` gives it."""

    def load() -> list[LabelRow]:
        stmt = select(model.code, model.sort_order, *_label_columns(model)).order_by(
            model.sort_order, model.code
        )
        return [LabelRow(row[0], _labels(row), row[1]) for row in session.execute(stmt)]

    return _cached(session, model.__tablename__, None, load)


def regions(session: Session) -> tuple[LabelRow, ...]:
    """Regions and groups of States (M49 regions, HRC and UN groups) by code."""

    def load() -> list[LabelRow]:
        stmt = select(Region.code, *_label_columns(Region)).order_by(Region.code)
        return [LabelRow(row[0], _labels(row)) for row in session.execute(stmt)]

    return _cached(session, "regions", None, load)


def by_code(session: Session) -> dict[str, LabelRow]:
    """Every country (ISO3), region or group, theme, kind of help and language by its code: a
    code two kinds share is the first kind's (a country before a region)."""
    lists = (
        countries(session),
        regions(session),
        vocabulary(session, Theme),
        vocabulary(session, AssistanceType),
        vocabulary(session, Language),
    )
    return _index(session, "codes", lists)


# Lookups by code built from cached lists, kept while those lists are the cached ones.
_indexes: dict[tuple[str, str], tuple[tuple[tuple[LabelRow, ...], ...], dict[str, LabelRow]]] = {}


def _index(
    session: Session, name: str, lists: tuple[tuple[LabelRow, ...], ...]
) -> dict[str, LabelRow]:
    """`lists` merged by code (the first list that has a code gives its row)."""
    key = (str(session.get_bind().engine.url), name)
    found = _indexes.get(key)
    if found is not None and all(a is b for a, b in zip(found[0], lists, strict=True)):
        return found[1]
    merged: dict[str, LabelRow] = {}
    for rows in lists:
        for row in rows:
            merged.setdefault(row.code, row)
    with _lock:
        _indexes[key] = (lists, merged)
    return merged


def is_known(session: Session, model: type[Any], code: str) -> bool:
    """True when `code` is in `model`'s cached list; False when it is not or when that list is
    not cached right now (the caller then asks the database). Never reads the database, so an
    async dependency can call it."""
    if model not in _LISTS:
        return False
    name = _LISTS[model][0]
    rows = _fresh(session, name, None)
    return rows is not None and code in _index(session, f"known:{name}", (rows,))


def load_known(session: Session, model: type[Any], code: str) -> bool:
    """`is_known`, reading `model`'s list into the cache first when it is not there."""
    if model in _LISTS:
        _LISTS[model][1](session)
    return is_known(session, model, code)


# Each vocabulary's cached list: its name (as `_cached` keys it) and what reads it.
_LISTS: dict[type[Any], tuple[str, Callable[[Session], tuple[LabelRow, ...]]]] = {
    Country: ("countries", countries),
    Region: ("regions", regions),
    **{
        m: (m.__tablename__, partial(vocabulary, model=m))
        for m in (Theme, GroupOfPersons, SdgGoal, AssistanceType, Language)
    },
}


def clear() -> None:
    """Forget every list (after a re-seed in the same process, e.g. in tests)."""
    with _lock:
        _cache.clear()
        _indexes.clear()
