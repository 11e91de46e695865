"""Translations shared by the pages and the emails: the gettext catalogues (Babel .po files),
compiled in memory the first time a language is used, so there is no compile step and no
binary file to keep in step with its source.

The catalogues live beside the pages that use most of their strings (`app/web/locales`), but
the emails of `app/notifications` are written through them too, so loading them belongs here,
below both. `make messages` extracts the strings of `app/web` and `app/notifications`."""

from __future__ import annotations

from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Annotated

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from fastapi import Depends, Header

SOURCE_LANGUAGE = "en"
# The six official languages of the UN, each in its own name: what a user may choose for the
# emails and notifications they receive (the pages offer those listed in app/web/i18n.py).
UN_LANGUAGES: dict[str, str] = {
    "ar": "العربية",
    "zh": "中文",
    "en": "English",
    "fr": "Français",
    "ru": "Русский",
    "es": "Español",
}
# Written right to left: pages and emails in these languages get `dir="rtl"`.
RTL_LANGUAGES = frozenset({"ar"})
LOCALES_DIR = Path(__file__).resolve().parents[1] / "web" / "locales"
DOMAIN = "messages"


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "translate later"
    return message


def direction(lang: str) -> str:
    """The HTML `dir` of a language: "rtl" or "ltr"."""
    return "rtl" if lang in RTL_LANGUAGES else "ltr"


def catalogue_path(lang: str) -> Path:
    return LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=len(UN_LANGUAGES))
def translations(lang: str) -> NullTranslations:
    """The compiled catalogue for `lang` (fuzzy entries left out, as msgfmt does); English, an
    unknown language or a missing catalogue: the source strings."""
    if lang == SOURCE_LANGUAGE or lang not in UN_LANGUAGES or not catalogue_path(lang).exists():
        return NullTranslations()
    with catalogue_path(lang).open("rb") as po:
        catalog = read_po(po, locale=lang, domain=DOMAIN)
    mo = BytesIO()
    write_mo(mo, catalog, use_fuzzy=False)
    mo.seek(0)
    return Translations(fp=mo, domain=DOMAIN)


def from_accept_language(header: str | None) -> str | None:
    """The UN language the client prefers most (RFC 9110 weights; `fr-CA` counts as `fr`,
    `zh-Hans-CN` as `zh`)."""
    best: tuple[float, int, str] | None = None
    for position, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                weight = float(params[2:])
            except ValueError:
                continue
        lang = tag.split("-")[0].strip().lower()
        if lang not in UN_LANGUAGES or weight <= 0:
            continue
        candidate = (weight, -position, lang)
        if best is None or candidate > best:
            best = candidate
    return best[2] if best else None


async def reader_language(accept_language: Annotated[str | None, Header()] = None) -> str:
    """The language of an API response's human text: Accept-Language, else English."""
    return from_accept_language(accept_language) or SOURCE_LANGUAGE


ReaderLanguage = Annotated[str, Depends(reader_language)]
