"""A short query read as a concept: the themes and groups of persons whose labels name it.

A word alone is far, in meaning, from every sentence, also from those about it: on long texts
"femmes" scores under the search by meaning's floor with every recommendation on women, and no
English text holds the word. But it is a word of the French labels of four themes and a group
of persons, and the recommendations tagged with them are about women. So a short query (at
most three words that say something - "pena de muerte" is two - and 30 characters) that no text
holds names the codes whose label, in any of the six languages, holds each of its words
(`benchmarks/README.md`, "Short queries").

A word is compared after folding case and accents; a word of five letters or more also matches
the same word with up to two more or fewer letters at its end ("femme" / "femmes", "mujer" /
"mujeres", "женщины" / "женщин"); Arabic words are lightly stemmed (a leading "and" (و), the
article with or without a preposition, a plural ending: "بالمرأة" / "المرأة", "اللاجئين" /
"اللاجئون"); Chinese, written without spaces, matches within the label. A query naming more than
`MAX_CODES` codes ("droits", "rights", "human": 8 or more) names none: it says too little to
choose; disability (six themes and the group) is the widest concept kept. A query whose words
are in no label (a synonym: "jails", "cárceles", "тюрьмы", "elections"), a word or two, names
what the tagger reads in it with some confidence (`GUESS_FLOOR`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy.orm import Session

from app.core.schemas import ConceptsRead
from app.core.tagger import current_tagger
from app.reference import cache
from app.reference.models import GroupOfPersons, Theme

MAX_CODES = 7
STEM_LENGTH = 5  # from this length a word matches its forms with another ending ...
ENDING = 2  # ... of at most this many letters more or fewer
_WORD = re.compile(r"\w+")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# A synonym in no label: the tagger's guesses from this score (unrelated words such as "pizza",
# "report", "rights" score under 0.2; "jails", "тюрьмы", "elections" 0.25-0.99).
GUESS_FLOOR = 0.25
GUESS_CODES = 3
GUESS_WORDS = 2  # a longer phrase is a search for its words, not a subject
MAX_WORDS = 3  # words that say something: "peine de mort" is two
MAX_CHARACTERS = 30
# Words that say nothing of a subject, left out of a query ("pena de muerte": pena, muerte).
_FUNCTION_WORDS = frozenset(
    {"of", "the", "and", "in", "on", "for", "to", "a", "an"}
    | {"de", "des", "du", "la", "le", "les", "l", "d", "et", "en", "au", "aux", "un", "une"}
    | {"del", "las", "el", "los", "y", "un", "una", "unos", "unas"}
    | {"и", "в", "на", "о", "об", "с", "по", "для"}  # noqa: RUF001 (Russian words)
    | {"في", "من", "على", "عن"}
)
_ARABIC = re.compile(r"[\u0600-\u06ff]")
# Arabic light stemming: "and" (و), then the article with a preposition (بال "with the"), then
# a plural ending: "بالمرأة" and "المرأة", "اللاجئين" and "اللاجئون" compare equal.
_ARABIC_PREFIXES = ("بال", "كال", "فال", "لل", "ال")
_ARABIC_SUFFIXES = ("ون", "ين", "ات", "ان")


@dataclass(frozen=True)
class Concepts:
    """The theme and group codes a query names (both empty: it names none)."""

    themes: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.themes or self.groups)

    @property
    def codes(self) -> list[str]:
        return [*self.themes, *self.groups]


def concepts_in(session: Session, query: str) -> Concepts:
    """The themes and groups of persons that `query`, a word or a few, names (see the module)."""
    words = [word for word in _words(query) if word not in _FUNCTION_WORDS]
    if not words or len(words) > MAX_WORDS or len(query.strip()) > MAX_CHARACTERS:
        return Concepts()
    themes = _naming(cache.vocabulary(session, Theme), tuple(words))
    groups = _naming(cache.vocabulary(session, GroupOfPersons), tuple(words))
    if len(themes) + len(groups) > MAX_CODES:
        return Concepts()
    if not themes and not groups and len(words) <= GUESS_WORDS:
        return _guessed(query)
    return Concepts(tuple(themes), tuple(groups))


def _guessed(query: str) -> Concepts:
    """What the tagger reads in a query the labels do not hold ("jails", "тюрьмы", "elderly"):
    its themes and groups from `GUESS_FLOOR`, at most `GUESS_CODES` of each."""
    tags = current_tagger().tag_many([query])[0]
    return Concepts(
        tuple(s.code for s in tags.themes if s.score >= GUESS_FLOOR)[:GUESS_CODES],
        tuple(s.code for s in tags.groups if s.score >= GUESS_FLOOR)[:GUESS_CODES],
    )


@lru_cache(maxsize=1024)
def _naming(rows: tuple[cache.LabelRow, ...], words: tuple[str, ...]) -> tuple[str, ...]:
    """The codes whose labels name every one of `words`, once per list and words (~1.5 ms
    each: every word against every label of 84 themes or 24 groups, in six languages)."""
    return tuple(
        code
        for code, labels in _folded(rows)
        if all(any(_names(word, label) for label in labels) for word in words)
    )


@lru_cache(maxsize=16)
def _folded(
    rows: tuple[cache.LabelRow, ...],
) -> list[tuple[str, list[tuple[str, frozenset[str]]]]]:
    """Each code's labels folded and split into words, once per cached list (the cache hands
    out the same tuple for a minute)."""
    return [
        (row.code, [(_fold(label), frozenset(_words(label))) for label in row.labels.values()])
        for row in rows
    ]


def _names(word: str, label: tuple[str, frozenset[str]]) -> bool:
    folded, words = label
    if _CJK.search(word):
        return word in folded
    return word in words or any(_same_word(word, other) for other in words)


def _same_word(word: str, other: str) -> bool:
    if word == other:
        return True
    shorter, longer = sorted((word, other), key=len)
    return (
        len(shorter) >= STEM_LENGTH
        and len(longer) - len(shorter) <= ENDING
        and longer.startswith(shorter)
    )


def _words(text: str) -> list[str]:
    return [_arabic_stem(word) for word in _WORD.findall(_fold(text))]


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _arabic_stem(word: str) -> str:
    if not _ARABIC.match(word):
        return word
    if word.startswith("و") and len(word) > 4:
        word = word[1:]
    for prefix in _ARABIC_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            word = word[len(prefix) :]
            break
    for suffix in _ARABIC_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def concepts_read(concepts: Concepts) -> ConceptsRead | None:
    """What the API says of the concepts a search read (None: it read none)."""
    if not concepts:
        return None
    return ConceptsRead(themes=list(concepts.themes), groups=list(concepts.groups))


def labelled(session: Session, concepts: Concepts) -> list[cache.LabelRow]:
    """The themes and groups of `concepts` to show, each label once (the theme and the group
    "Migrants" are both named by "migrants")."""
    rows = [
        *_rows(cache.vocabulary(session, Theme), concepts.themes),
        *_rows(cache.vocabulary(session, GroupOfPersons), concepts.groups),
    ]
    shown: dict[str, cache.LabelRow] = {}
    for row in rows:
        shown.setdefault(row.label(), row)
    return list(shown.values())


def _rows(rows: tuple[cache.LabelRow, ...], codes: tuple[str, ...]) -> list[cache.LabelRow]:
    by_code = {row.code: row for row in rows}
    return [by_code[code] for code in codes if code in by_code]
