"""Interface languages: gettext catalogues (Babel .po files), and which language a request gets.

English is the source language. The .po catalogues in `locales/` are loaded by
`app.core.i18n` (the emails use them too); `make messages` re-extracts the strings after
templates change."""

from __future__ import annotations

from starlette.requests import HTTPConnection

from app.core.i18n import (
    UN_LANGUAGES,
    catalogue_path,
    direction,
    from_accept_language,
    translations,
)

__all__ = ["catalogue_path", "direction", "from_accept_language", "translations"]

# The pages speak the six official languages of the UN, each named in itself (Arabic is written
# right to left: `direction`). Adding one: README, "Interface languages".
LANGUAGES: dict[str, str] = dict(UN_LANGUAGES)
DEFAULT_LANGUAGE = "en"
LANGUAGE_COOKIE = "uprtc_lang"


def supported(code: str | None) -> str | None:
    if not code:
        return None
    code = code.strip().lower()
    return code if code in LANGUAGES else None


def negotiate(connection: HTTPConnection) -> str:
    """`?lang=`, else the switcher's cookie, else Accept-Language, else English."""
    return (
        supported(connection.query_params.get("lang"))
        or supported(connection.cookies.get(LANGUAGE_COOKIE))
        or from_accept_language(connection.headers.get("accept-language"))
        or DEFAULT_LANGUAGE
    )
