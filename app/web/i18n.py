"""Interface languages: gettext catalogues (Babel .po files), and which language a request gets.

English is the source language. The .po catalogues in `locales/` are compiled in memory the
first time a language is used, so there is no compile step and no binary file to keep in step
with its source (`make messages` re-extracts the strings after templates change)."""

from __future__ import annotations

from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from starlette.requests import HTTPConnection

LANGUAGES: dict[str, str] = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "ru": "Русский",
}
DEFAULT_LANGUAGE = "en"
LANGUAGE_COOKIE = "uprtc_lang"
LOCALES_DIR = Path(__file__).resolve().parent / "locales"
DOMAIN = "messages"


def catalogue_path(lang: str) -> Path:
    return LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=len(LANGUAGES))
def translations(lang: str) -> NullTranslations:
    """The compiled catalogue for `lang` (fuzzy entries left out, as msgfmt does)."""
    if lang == DEFAULT_LANGUAGE or lang not in LANGUAGES:
        return NullTranslations()
    with catalogue_path(lang).open("rb") as po:
        catalog = read_po(po, locale=lang, domain=DOMAIN)
    mo = BytesIO()
    write_mo(mo, catalog, use_fuzzy=False)
    mo.seek(0)
    return Translations(fp=mo, domain=DOMAIN)


def supported(code: str | None) -> str | None:
    if not code:
        return None
    code = code.strip().lower()
    return code if code in LANGUAGES else None


def from_accept_language(header: str | None) -> str | None:
    """The supported language the browser prefers most (RFC 9110 weights; `fr-CA` counts as
    `fr`)."""
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
        lang = supported(tag.split("-")[0])
        if lang is None or weight <= 0:
            continue
        candidate = (weight, -position, lang)
        if best is None or candidate > best:
            best = candidate
    return best[2] if best else None


def negotiate(connection: HTTPConnection) -> str:
    """`?lang=`, else the switcher's cookie, else Accept-Language, else English."""
    return (
        supported(connection.query_params.get("lang"))
        or supported(connection.cookies.get(LANGUAGE_COOKIE))
        or from_accept_language(connection.headers.get("accept-language"))
        or DEFAULT_LANGUAGE
    )
