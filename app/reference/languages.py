"""Delivery languages: any ISO 639 language, not only those the seed lists.

Which codes exist comes from ISO 639-3 as `pycountry` ships it (offline); a language with a
two-letter ISO 639-1 code is always kept under that code ("swa" and "sw" are one language).
Names in the six UN languages come from the Unicode CLDR that Babel ships ("Dhivehi",
"Haitian Creole"), else ISO 639's English name. The seed loads every ISO 639-1 language
(`iso639_1_rows`); a request or an offer naming any other valid code adds its row
(`ensure`), so the foreign keys of the link tables hold as before."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import pycountry
from babel import Locale
from sqlalchemy.orm import Session

from app.reference.models import LANGUAGE_COLUMNS, Language

ISO_SORT_START = 1000
"""Sort order of languages beyond the seed's list (which come first, in its order)."""


def normalise(code: str) -> str | None:
    """The stored code of an ISO 639 language ('SW', 'swa' -> 'sw'; 'quc' -> 'quc'), or None
    when ISO 639 has no such code."""
    code = code.strip().lower()
    if len(code) == 2:
        found = pycountry.languages.get(alpha_2=code)
    elif len(code) == 3:
        found = pycountry.languages.get(alpha_3=code)
        if found is None:  # an ISO 639-2/B code (fre, ger...): pycountry knows its 639-2/T twin
            found = next(
                (
                    lang
                    for lang in pycountry.languages
                    if getattr(lang, "bibliographic", "") == code
                ),
                None,
            )
    else:
        return None
    if found is None:
        return None
    return str(getattr(found, "alpha_2", None) or found.alpha_3)


@lru_cache(maxsize=8)
def _names(lang: str) -> dict[str, str]:
    return dict(Locale.parse(lang).languages)


def labels(code: str) -> dict[str, str | None]:
    """label_<lang> of a (normalised) code in the six UN languages (CLDR, else ISO 639)."""
    found = pycountry.languages.get(alpha_2=code) if len(code) == 2 else None
    found = found or pycountry.languages.get(alpha_3=code)
    english = _names("en").get(code) or (str(found.name) if found else code)
    result: dict[str, str | None] = {
        f"label_{lang}": _names(lang).get(code) for lang in LANGUAGE_COLUMNS
    }
    result["label_en"] = english
    return result


def iso639_1_rows(known: Iterable[str]) -> list[dict[str, Any]]:
    """Every ISO 639-1 language not in `known`, as rows of `languages`, in code order."""
    skip = set(known)
    codes = sorted(str(lang.alpha_2) for lang in pycountry.languages if hasattr(lang, "alpha_2"))
    return [
        {"code": code, "sort_order": ISO_SORT_START + i, **labels(code)}
        for i, code in enumerate(c for c in codes if c not in skip)
    ]


def ensure(session: Session, codes: Iterable[str]) -> list[str]:
    """The codes normalised (unknown ones left as given, for the caller to refuse), with a row
    added for each valid ISO 639 language the table does not have yet."""
    normalised = [normalise(code) or code for code in codes]
    wanted = {c for c in normalised if normalise(c) is not None}
    if wanted:
        present = {lang.code for lang in session.query(Language).filter(Language.code.in_(wanted))}
        for code in sorted(wanted - present):
            session.add(Language(code=code, sort_order=ISO_SORT_START + 9000, **labels(code)))
        if wanted - present:
            session.flush()
    return normalised


def code_for(text: str) -> str | None:
    """A language typed in a form: an ISO 639 code, or its name in any of the six languages
    ('Swahili', 'суахили', 'سواحلية' not: names as CLDR writes them), case ignored."""
    text = text.strip()
    if not text:
        return None
    code = normalise(text)
    if code is not None:
        return code
    wanted = text.casefold()
    for lang in LANGUAGE_COLUMNS:
        for candidate, name in _names(lang).items():
            if name.casefold() == wanted and normalise(candidate) is not None:
                return normalise(candidate)
    found = pycountry.languages.get(name=text)
    return str(getattr(found, "alpha_2", None) or found.alpha_3) if found else None
