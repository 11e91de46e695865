"""Jinja2 templates with gettext: one environment per interface language (thread-safe, each with
its catalogue installed), autoescaping on, and the helpers every page uses."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from babel.dates import format_date, format_time
from babel.numbers import format_decimal
from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape
from starlette.routing import NoMatchFound

from app.auth.principal import Principal
from app.matches import reasons
from app.notifications import repository as notifications_repository
from app.reference import repository as reference_repository
from app.web import labels
from app.web.i18n import (
    LANGUAGE_COOKIE,
    LANGUAGES,
    direction,
    negotiate,
    supported,
    translations,
)
from app.web.security import CSRF_FORM_FIELD, CSRF_SESSION_KEY, csrf_token
from app.web.sessions import shown_user

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
LANGUAGE_COOKIE_MAX_AGE = 365 * 24 * 3600


@lru_cache(maxsize=len(LANGUAGES))
def environment(lang: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html"], default_for_string=True, default=True),
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(lang=lang, dir=direction(lang), LANGUAGES=LANGUAGES, labels=labels)
    env.filters["date"] = lambda value: _format_date(value, lang)
    env.filters["time"] = lambda value, seconds=False: _format_time(value, lang, seconds)
    env.filters["number"] = lambda value: format_decimal(value, locale=lang)
    env.filters["label"] = lambda row: row.label(lang) if row is not None else ""
    env.globals["options"] = lambda rows, key="code", sort=True: _options(rows, key, sort, lang)
    env.globals["choices"] = lambda mapping: _choices(mapping, lang)
    env.globals["option_tags"] = option_tags
    return env


def sort_key(text: str) -> str:
    """Alphabetical order across accents ('Égypte' between 'Équateur' and 'Érythrée')."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# The options of the cached reference lists (app/reference/cache.py: tuples, kept a minute),
# by the list's identity: sorting 193 country names across accents on every page is not free.
_options_memo: dict[tuple[int, str, bool, str], tuple[Any, list[tuple[str, str]]]] = {}
_OPTIONS_MEMO_SIZE = 256


def _options(rows: Iterable[Any], key: str, sort: bool, lang: str) -> list[tuple[str, str]]:
    """(value, label in the page's language) for a <select> of reference rows."""
    memo_key = (id(rows), key, sort, lang)
    if isinstance(rows, tuple):
        found = _options_memo.get(memo_key)
        if found is not None and found[0] is rows:
            return found[1]
    pairs = [(str(getattr(row, key)), str(row.label(lang))) for row in rows]
    if sort:
        pairs.sort(key=lambda pair: sort_key(pair[1]))
    if isinstance(rows, tuple):
        if len(_options_memo) >= _OPTIONS_MEMO_SIZE:
            _options_memo.clear()
        _options_memo[memo_key] = (rows, pairs)
    return pairs


# The <option>s of the long memoized options lists (see _options), by the list's identity.
_option_tags_memo: dict[int, tuple[list[tuple[str, str]], dict[str, str], str]] = {}
_MEMO_FROM = 30  # shorter lists are rendered each time


def option_tags(pairs: list[tuple[str, str]], selected: Any) -> Markup:
    """The <option>s of `pairs` (value, label), the `selected` value marked: a filter form lists
    193 countries and 84 themes, and looping over them in the template cost milliseconds."""
    found = _option_tags_memo.get(id(pairs))
    if found is None or found[0] is not pairs:
        tags = {
            str(value): f'<option value="{escape(value)}">{escape(text)}</option>'
            for value, text in pairs
        }
        found = (pairs, tags, "\n".join(tags.values()))
        if len(pairs) >= _MEMO_FROM:
            if len(_option_tags_memo) >= _OPTIONS_MEMO_SIZE:
                _option_tags_memo.clear()
            _option_tags_memo[id(pairs)] = found
    _pairs, tags, joined = found
    plain = tags.get(str(selected)) if selected is not None else None
    if plain is None:
        return Markup(joined)  # noqa: S704 - every value and label escaped above
    marked = plain.replace('">', '" selected>', 1)
    # values are unique: `plain` occurs once in `joined`
    return Markup(joined.replace(plain, marked, 1))  # noqa: S704 - escaped above


def _choices(mapping: dict[Any, str], lang: str) -> list[tuple[str, str]]:
    """(value, translated label) for a <select> of one of the labels.py enumerations."""
    gettext = translations(lang).gettext
    return [(str(value), gettext(text)) for value, text in mapping.items()]


def _format_date(value: date | datetime | None, lang: str) -> str:
    return format_date(value, format="medium", locale=lang) if value is not None else ""


def _format_time(value: datetime | None, lang: str, seconds: bool) -> str:
    """Hours and minutes (and seconds) as the language writes them ("14:05", "下午2:05")."""
    if value is None:
        return ""
    return format_time(value, format="medium" if seconds else "short", locale=lang)


def _path_for(request: Request, route_name: str) -> str | None:
    """The path of a route without parameters, or None when the app has no such route."""
    try:
        return str(request.app.url_path_for(route_name))
    except NoMatchFound:
        return None


@lru_cache(maxsize=512)
def _path_template(app: Any, name: str, params: tuple[str, ...]) -> str:
    """A route's path with a marker for each parameter: the router's own lookup walks every
    route (milliseconds each), and a list page asks for hundreds of links."""
    return str(app.url_path_for(name, **{key: f"\x00{key}\x00" for key in params}))


def url_for(app: Any, name: str, **params: Any) -> str:
    """The path of a named route, as `app.url_path_for` gives it (its parameters are plain
    path segments: ids and codes)."""
    path = _path_template(app, name, tuple(sorted(params)))
    for key, value in params.items():
        text = str(value)
        if "/" in text or "\x00" in text:  # what the router would refuse: let it say so
            return str(app.url_path_for(name, **params))
        path = path.replace(f"\x00{key}\x00", text)
    return path


def query_with(request: Request, **changes: Any) -> str:
    """The current query string with some parameters changed (None or '' removes one)."""
    params = {k: v for k, v in request.query_params.items() if k not in changes}
    params.update({k: v for k, v in changes.items() if v not in (None, "")})
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return "?" + urlencode(params) if params else "?"


def current_path(request: Request) -> str:
    query = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "lang"])
    return request.url.path + (f"?{query}" if query else "")


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """Render a page in the request's language. Pages showing a signed-in user's data or a
    form with a CSRF token are marked `no-store`."""
    lang = negotiate(request)
    user = shown_user(request)
    used_csrf = False

    def csrf() -> str:
        nonlocal used_csrf
        used_csrf = True
        return csrf_token(request)

    def csrf_input() -> Markup:
        return Markup('<input type="hidden" name="{}" value="{}">').format(
            CSRF_FORM_FIELD, escape(csrf())
        )

    def role_area() -> tuple[str, str] | None:
        if user is None or user[1] not in labels.ROLE_AREA:
            return None
        route, label = labels.ROLE_AREA[user[1]]
        path = _path_for(request, route)
        return (path, label) if path is not None else None

    def unread_notifications() -> int:
        """For the header: the signed-in user's unread notifications (a query only when a
        page shows a signed-in user)."""
        principal = getattr(request.state, "principal", None)
        if not isinstance(principal, Principal) or principal.user_id is None:
            return 0
        with request.app.state.session_factory() as session:
            return notifications_repository.unread_count(session, principal.user_id)

    names: dict[str, str] | None = None

    def explain(match: Any) -> str:
        """A match's reasons in the page's language (the labels of the codes they name are
        looked up once per page); a match without reasons: its stored English sentence."""
        nonlocal names
        given = reasons.plain(getattr(match, "reasons", None) or ())
        if not given:
            return str(match.explanation or "")
        if names is None:
            names = {}
        missing = reasons.codes_of(given) - names.keys()
        if missing:
            with request.app.state.session_factory() as session:
                names.update(reference_repository.labels(session, missing, lang))
        return reasons.word(given, lang, names)

    here = current_path(request)
    values: dict[str, Any] = {
        "request": request,
        "user": user,
        "csrf_input": csrf_input,
        "csrf_header": (
            {"X-CSRF-Token": request.session[CSRF_SESSION_KEY]}
            if request.session.get(CSRF_SESSION_KEY)
            else None
        ),
        "role_area": role_area,
        "unread_notifications": unread_notifications,
        "explain": explain,
        "url": lambda name, **params: url_for(request.app, name, **params),
        "static": lambda path: f"/static/{path}",
        "query_with": lambda **changes: query_with(request, **changes),
        "here": here,
        "language_links": [
            (code, name, f"/language/{code}?" + urlencode({"next": here}))
            for code, name in LANGUAGES.items()
        ],
        **(context or {}),
    }
    html = environment(lang).get_template(template).render(values)
    response = HTMLResponse(html, status_code=status_code, headers=headers)
    response.headers.append("Vary", "Accept-Language, Cookie")
    if used_csrf or user is not None:
        response.headers["Cache-Control"] = "no-store"
    chosen = supported(request.query_params.get("lang"))
    if chosen and chosen != request.cookies.get(LANGUAGE_COOKIE):
        set_language_cookie(response, chosen)
    return response


def set_language_cookie(response: Response, lang: str) -> None:
    response.set_cookie(
        LANGUAGE_COOKIE, lang, max_age=LANGUAGE_COOKIE_MAX_AGE, samesite="lax", httponly=True
    )
