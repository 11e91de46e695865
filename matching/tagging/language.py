"""Which of the six UN languages a text is written in.

The writing system settles Chinese (Han characters) outright; the other five go through
`py3langid` (a naive Bayes byte n-gram model, loaded lazily on first use). Its answer is mapped
onto the six UN languages: Arabic dialect codes count as Arabic, and a text that the model
confidently assigns to another language (German, Ukrainian, Persian ...) gets `None`.
"""

from __future__ import annotations

import threading
import unicodedata
from collections import Counter
from typing import Final, Literal, Protocol

UNLanguage = Literal["ar", "zh", "en", "fr", "ru", "es"]

UN_LANGUAGES: Final[tuple[UNLanguage, ...]] = ("ar", "zh", "en", "fr", "ru", "es")

# py3langid labels that are varieties of Arabic (written Arabic is often scored as a dialect).
_ARABIC_VARIETIES: Final = frozenset(
    {"ar", "arb", "ary", "arz", "apc", "acm", "ajp", "aeb", "arq", "ars", "acq", "afb", "ayl"}
)
# Above this probability, an answer outside the six languages stands (the text gets None).
_OTHER_LANGUAGE_CONFIDENCE: Final = 0.5
# Otherwise the best of the candidate UN languages wins if it is at least this share of the top.
_RELATIVE_FLOOR: Final = 0.5

_BY_CODE: Final[dict[str, UNLanguage]] = {lang: lang for lang in UN_LANGUAGES}

_SCRIPT_LANGUAGES: Final[dict[str, tuple[UNLanguage, ...]]] = {
    "latin": ("en", "fr", "es"),
    "cyrillic": ("ru",),
    "arabic": ("ar",),
}


class _Ranker(Protocol):
    def rank(self, text: str) -> list[tuple[str, float]]: ...


_identifier: _Ranker | None = None
_identifier_lock = threading.Lock()


def _get_identifier() -> _Ranker:
    global _identifier
    if _identifier is None:
        with _identifier_lock:
            if _identifier is None:
                from py3langid.langid import (  # type: ignore[import-untyped]
                    MODEL_FILE,
                    LanguageIdentifier,
                )

                identifier: _Ranker = LanguageIdentifier.from_model_file(
                    MODEL_FILE, norm_probs=True
                )
                _identifier = identifier
    return _identifier


def _script(char: str) -> str | None:
    code = ord(char)
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF:
        return "han"
    if 0x3040 <= code <= 0x30FF or 0xAC00 <= code <= 0xD7AF:
        return "kana-hangul"
    try:
        name = unicodedata.name(char)
    except ValueError:
        return None
    for script in ("LATIN", "CYRILLIC", "ARABIC"):
        if name.startswith(script):
            return script.lower()
    return "other"


def dominant_script(text: str) -> str | None:
    """The writing system of most letters of `text` ('latin', 'han', ...), None without letters."""
    counts = Counter(s for s in (_script(c) for c in text if c.isalpha()) if s is not None)
    if not counts:
        return None
    if counts["han"] and not counts["kana-hangul"] and counts["han"] * 3 >= sum(counts.values()):
        # Chinese text often embeds Latin acronyms or numbers: a third of the letters is enough.
        return "han"
    return counts.most_common(1)[0][0]


def detect_language(text: str) -> UNLanguage | None:
    """'ar', 'zh', 'en', 'fr', 'ru' or 'es'; None for empty text, other languages, or no clue."""
    script = dominant_script(text)
    if script == "han":
        return "zh"
    candidates = _SCRIPT_LANGUAGES.get(script or "")
    if not candidates:
        return None
    ranking = _get_identifier().rank(text)
    top_label, top_prob = ranking[0]
    probs: dict[str, float] = {}
    for label, prob in ranking:
        lang = "ar" if label in _ARABIC_VARIETIES else label
        probs[lang] = probs.get(lang, 0.0) + prob
    if top_label in _ARABIC_VARIETIES:
        top_label, top_prob = "ar", probs["ar"]
    if top_label in candidates:
        return _BY_CODE[top_label]
    if top_prob >= _OTHER_LANGUAGE_CONFIDENCE:
        return None
    best = max(candidates, key=lambda lang: probs.get(lang, 0.0))
    return best if probs.get(best, 0.0) >= _RELATIVE_FLOOR * top_prob else None
