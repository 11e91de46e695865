"""The interface in the six UN languages (Arabic right to left); taxonomy labels in the chosen
language."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from app.reference.models import Region, Theme
from app.web import i18n
from app.web.i18n import from_accept_language
from tests.support.factories import ApiFactory

WEB_DIR = Path(i18n.__file__).parent
# The emails, the match reasons, the annual report and the command line are written through the
# same catalogues (`make messages` extracts them all).
SOURCE_DIRS = [WEB_DIR] + [
    WEB_DIR.parent / d for d in ("notifications", "matches", "reports", "cli")
]
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def test_french_page_shows_french_interface_strings(web: TestClient) -> None:
    page = web.get("/recommendations?lang=fr")
    assert page.status_code == 200
    html = page.text
    assert '<html lang="fr"' in html
    assert "Recommandations" in html
    assert "Aller au contenu principal" in html  # the skip link
    assert "Se connecter" in html
    assert "Appliquer les filtres" in html
    assert "Skip to main content" not in html
    # ?lang= is remembered for the next pages
    assert "uprtc_lang=fr" in page.headers["set-cookie"]
    assert '<html lang="fr"' in web.get("/offers").text


@pytest.mark.parametrize(
    ("lang", "strings"),
    [
        ("es", ["Recomendaciones", "Iniciar sesión", "Ir al contenido principal"]),
        ("ru", ["Рекомендации", "Войти", "Перейти к основному содержанию"]),
        ("ar", ["التوصيات", "تسجيل الدخول", "الانتقال إلى المحتوى الرئيسي"]),
        ("zh", ["建议", "登录", "跳至主要内容"]),
        ("en", ["Recommendations", "Sign in", "Skip to main content"]),
    ],
)
def test_accept_language_chooses_the_language(
    web: TestClient, lang: str, strings: list[str]
) -> None:
    header = {
        "es": "es-MX,es;q=0.9,en;q=0.5",
        "ru": "ru-RU, en;q=0.3",
        "ar": "ar-EG,ar;q=0.9",
        "zh": "zh-CN, en;q=0.5",
        "en": "de-DE, pt",
    }[lang]
    html = web.get("/recommendations", headers={"Accept-Language": header}).text
    direction = "rtl" if lang == "ar" else "ltr"
    assert f'<html lang="{lang}" dir="{direction}">' in html
    for text in strings:
        assert text in html


def test_the_switcher_remembers_the_choice(web: TestClient) -> None:
    page = web.get("/offers?q=x", headers={"Accept-Language": "fr"})
    assert 'href="/language/ru?next=%2Foffers%3Fq%3Dx"' in page.text
    assert 'lang="ru" hreflang="ru">Русский</a>' in page.text
    switched = web.get("/language/ru?next=%2Foffers%3Fq%3Dx", follow_redirects=False)
    assert switched.status_code == 303
    assert switched.headers["location"] == "/offers?q=x"
    cookie = switched.headers["set-cookie"]
    assert "uprtc_lang=ru" in cookie
    assert "samesite=lax" in cookie.lower()
    html = web.get("/offers", headers={"Accept-Language": "fr"}).text  # the cookie wins
    assert '<html lang="ru"' in html
    assert "Предложения о помощи" in html
    assert 'lang="ru" hreflang="ru" aria-current="true"' in html
    # unknown languages and other sites are ignored
    odd = web.get("/language/xx?next=https://evil.example/", follow_redirects=False)
    assert odd.headers["location"] == "/"
    assert "set-cookie" not in odd.headers


def test_taxonomy_labels_follow_the_language(web: TestClient, api: ApiFactory) -> None:
    api.recommendation("KAZ", text="Reduce poverty", themes=["torture"], sdgs=["sdg-1"])
    fr = web.get("/recommendations?lang=fr").text
    assert "Pas de pauvreté" in fr  # the SDG's French label, in the filter
    assert '<option value="KAZ">Kazakhstan</option>' in fr
    es = web.get("/recommendations?lang=es").text
    assert "Fin de la pobreza" in es
    assert "Kazajstán" in es
    ru = web.get("/states/KAZ?lang=ru").text
    assert "<h1>Казахстан</h1>" in ru
    # themes, in the filter and on the State's page
    assert "Interdiction de la torture et des mauvais traitements" in fr
    assert "Prohibition of torture" not in fr
    assert "Prohibición de la tortura y los malos tratos" in es
    assert "Запрещение пыток и жестокого обращения" in ru
    # regions and groups, in an offer's coverage
    api.offer(countries=[], regions=["m49-143", "sids"], title="Regional offer")
    offers_fr = web.get("/offers?lang=fr").text
    assert "Asie centrale, Petits États insulaires en développement" in offers_fr
    offers_ru = web.get("/offers?lang=ru").text
    assert "Центральная Азия, Малые островные развивающиеся государства" in offers_ru
    assert "Asia central" in web.get("/offers?lang=es").text
    assert "Central Asia, Small Island Developing States" in web.get("/offers?lang=en").text


def test_taxonomy_labels_fall_back_to_english() -> None:
    theme = Theme(code="x", label_en="English label", label_fr="Libellé", label_es=None)
    assert theme.label("fr") == "Libellé"
    assert theme.label("es") == "English label"  # no Spanish label: English
    assert theme.label("zh") == "English label"
    region = Region(code="y", label_en="Region", label_ru="")
    assert region.label("ru") == "Region"  # an empty label counts as missing


def test_plural_forms_and_numbers_follow_the_language(web: TestClient, api: ApiFactory) -> None:
    for _ in range(2):
        api.recommendation("KAZ")
    assert "2 recommandations" in web.get("/recommendations?lang=fr").text
    assert "2 рекомендации" in web.get("/recommendations?lang=ru").text
    assert "2 recomendaciones" in web.get("/recommendations?lang=es").text


def test_arabic_pages_mirror_and_name_every_language(web: TestClient) -> None:
    html = web.get("/offers?lang=ar").text
    assert '<html lang="ar" dir="rtl">' in html
    for code, name in [("ar", "العربية"), ("zh", "中文"), ("en", "English"), ("es", "Español")]:
        assert f'lang="{code}" hreflang="{code}"' in html
        assert f">{name}</a>" in html
    css = web.get("/static/app.css").text
    for needed in ("margin-inline-end", "Noto Sans Arabic", "Noto Sans CJK SC"):
        assert needed in css
    for physical in ("margin-left", "margin-right", "padding-left", "border-left", "align: left"):
        assert physical not in css


def test_error_pages_are_translated(web: TestClient) -> None:
    page = web.get("/nowhere?lang=es")
    assert page.status_code == 404
    assert "Página no encontrada" in page.text


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("fr-CA,fr;q=0.9,en;q=0.8", "fr"),
        ("en;q=0.5, ru", "ru"),
        ("de, es;q=0.1", "es"),
        ("fr;q=0, es;q=0.2", "es"),
        ("de, zh", "zh"),
        ("zh-Hans-CN, ar;q=0.9", "zh"),
        ("de, pt", None),
        ("", None),
        (None, None),
        ("fr;q=abc, ru;q=0.5", "ru"),
    ],
)
def test_accept_language_parsing(header: str | None, expected: str | None) -> None:
    assert from_accept_language(header) == expected


def _source_messages() -> set[str]:
    """Every interface and email string in the code and templates, as `make messages` extracts
    them."""
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2.ext.babel_extract")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}}
    messages: set[str] = set()
    for directory in SOURCE_DIRS:
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(directory),
            method_map=method_map,
            options_map=options,
            keywords={"_": None, "gettext": None, "ngettext": (1, 2), "N_": None},
        ):
            messages.add(message if isinstance(message, str) else message[0])
    return messages


@pytest.mark.parametrize("lang", ["fr", "es", "ru", "ar", "zh"])
def test_every_interface_string_is_translated(lang: str) -> None:
    source = _source_messages()
    assert len(source) > 150
    catalog = read_po(BytesIO(i18n.catalogue_path(lang).read_bytes()), locale=lang)
    missing, fuzzy, broken = [], [], []
    for msgid in sorted(source):
        message = catalog.get(msgid)
        strings = (
            list(message.string)
            if message and isinstance(message.string, tuple)
            else [message.string]
            if message
            else []
        )
        if not message or not all(strings):
            missing.append(msgid)
        elif message.fuzzy:
            fuzzy.append(msgid)
        elif any(
            set(PLACEHOLDER.findall(s)) - set(PLACEHOLDER.findall(str(msgid))) for s in strings
        ):
            broken.append(msgid)
    assert not missing, f"{lang}: untranslated: {missing}"
    assert not fuzzy, f"{lang}: fuzzy: {fuzzy}"
    assert not broken, f"{lang}: unknown placeholders in: {broken}"
    assert "written by the uprtc developers" in catalog.header_comment
