"""Resolve codes sent by clients into reference rows; an unknown code is a 422 naming the field."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from sqlalchemy.orm import Session

from app.core.errors import UnknownCodes
from app.db.base import Base
from app.reference import cache as reference_cache
from app.reference import languages, repository
from app.reference.models import (
    AssistanceType,
    Country,
    GroupOfPersons,
    Language,
    Region,
    SdgGoal,
    Theme,
)

M = TypeVar("M", bound=Base)

VOCABULARY_NAMES: dict[type[Base], str] = {
    Theme: "theme code",
    AssistanceType: "assistance type code",
    Language: "language code",
    GroupOfPersons: "group of persons code",
    SdgGoal: "SDG code",
    Country: "country code (ISO 3166 alpha-3)",
    Region: "region or group code",
}


def resolve(session: Session, model: type[M], codes: Sequence[str], field: str) -> list[M]:
    """Rows for `codes`, duplicates removed, sorted by code as reads return them; all must exist
    (languages: any ISO 639 code, its row added when new, `app.reference.languages`)."""
    if model is Language:
        codes = languages.ensure(session, codes)
    unique = list(dict.fromkeys(codes))
    found = repository.get_by_keys(session, model, unique)
    missing = [c for c in unique if c not in found]
    if missing:
        raise UnknownCodes(field, missing, VOCABULARY_NAMES.get(model, "code"))
    # SDGs read back in goal order (1, 2, ... 17); every other vocabulary in code order.
    return (
        sorted((found[c] for c in unique), key=lambda row: getattr(row, "sort_order", 0))
        if (model is SdgGoal)
        else [found[c] for c in sorted(unique)]
    )


def resolve_one(session: Session, model: type[M], code: str, field: str) -> M:
    return resolve(session, model, [code], field)[0]


def known_country(session: Session, iso3: str, field: str) -> str:
    """`iso3` if it is a country's code (from the cached list: a write naming a State reads no
    row for it), else the 422 `resolve` gives."""
    if iso3 not in reference_cache.countries_by_iso3(session, {iso3}):
        raise UnknownCodes(field, [iso3], VOCABULARY_NAMES[Country])
    return iso3
