"""Resolve country names (from UPR documents and third-party data) to ISO 3166 alpha-3 codes.

The index is built from the six UN-language names in ``seed_data/countries.csv`` plus a curated
alias table (``seed_data/country_aliases.csv``: short, older and common names). Look-up order:

1. **Exact** match of the normalised name (see :func:`normalize_name`: case, accents, apostrophe
   variants, ``&``/``St``, punctuation, leading articles and the word "the" do not matter).
   Keys come in three tiers, the first tier that knows a key wins:
   aliases (curated; an alias with a blank ISO3 marks a name as *ambiguous*, e.g. "Korea"),
   then official names, then forms derived from official names with a trailing parenthetical
   ("Bolivia (Plurinational State of)" also gives "Bolivia" and "Plurinational State of Bolivia").
   A key that maps to more than one ISO3 within its tier is ambiguous (e.g. French
   "Saint-Martin", derived from both the French and the Dutch part).
2. **Re-ordered** forms of the query: "Korea (Republic of)" → "Republic of Korea",
   "Congo, Democratic Republic of the" → "Democratic Republic of the Congo".
3. **Fuzzy** fallback (rapidfuzz ``token_sort_ratio``) for typos, only for queries of at least
   :data:`FUZZY_MIN_LENGTH` characters, only against Latin/Cyrillic keys, and only when the best
   candidate scores at least :data:`FUZZY_THRESHOLD`, beats the best candidate of any *other*
   country by :data:`FUZZY_MARGIN`, is not an ambiguous key, is not the beginning of another
   country's name (Niger/Nigeria, Guinea/Guinea-Bissau, Dominica/Dominican Republic: typos of
   these never resolve), and the query neither extends nor truncates the name of another country
   (so "Dominican" never becomes Dominica or Dominican Republic, nor "Nigerian" Niger or Nigeria;
   "Banglades" still becomes Bangladesh).

Ambiguous names resolve to ``None``. Every answer is cached per input string, so resolving a name
seen before is a single dict look-up.
"""

from __future__ import annotations

import csv
import html
import re
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Final

from rapidfuzz import fuzz, process

__all__ = [
    "FUZZY_MARGIN",
    "FUZZY_MIN_LENGTH",
    "FUZZY_THRESHOLD",
    "NAME_COLUMNS",
    "CountryNameIndex",
    "load_aliases",
    "normalize_name",
]

NAME_COLUMNS: Final = ("name_en", "name_fr", "name_es", "name_ru", "name_zh", "name_ar")
"""Columns of countries.csv holding names; zh/ar names are used for exact matches only."""
_FUZZY_COLUMNS: Final = frozenset({"name_en", "name_fr", "name_es", "name_ru"})

FUZZY_THRESHOLD: Final = 86.0
FUZZY_MARGIN: Final = 6.0
FUZZY_MIN_LENGTH: Final = 5

_AMBIGUOUS: Final = ""  # stored value of an ambiguous key
_ALIAS_TIER: Final = 0
_OFFICIAL_TIER: Final = 1
_DERIVED_TIER: Final = 2

_APOSTROPHES = re.compile(r"[\u2018\u2019\u02bc\u02b9\u00b4\u0060\u2032]")
_LEADING_ARTICLE = re.compile(r"^(?:(?:the|la|le|les|el|los|las)\s+|l'\s*)")
_TRAILING_ARTICLE_PAREN = re.compile(r"\s*\(\s*(?:the|la|le|les|el|los|las|l')\s*\)\s*$")
_NON_WORD = re.compile(r"[\W_]+")
_TOKEN_REPLACEMENTS: Final = {"st": "saint", "ste": "sainte"}
_DROPPED_TOKENS: Final = frozenset({"the"})
_TRAILING_PAREN = re.compile(r"^(?P<base>[^()]+?)\s*\((?P<paren>[^()]+)\)\s*$")
_COMMA_FORM = re.compile(r"^(?P<base>[^,()]+?)\s*,\s*(?P<rest>[^,()]+)$")
_LATIN_OR_CYRILLIC = re.compile(r"^[a-z0-9\u0400-\u04ff ]+$")


def normalize_name(name: str) -> str:
    """Normalise a country name for comparison.

    HTML entities are decoded, accents and other combining marks removed (NFKD), case folded,
    apostrophe variants unified, ``&`` read as "and", a trailing parenthesised article
    ("Bahamas (The)", "Afghanistan (l')") and a leading article ("the", "la", "le", "l'", "les",
    "el", "los", "las") dropped, punctuation and hyphens turned into spaces, "St"/"Ste" expanded
    to "saint"/"sainte" and the word "the" dropped everywhere.
    """
    text = html.unescape(name)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold()
    text = _APOSTROPHES.sub("'", text).replace("&", " and ")
    text = _TRAILING_ARTICLE_PAREN.sub("", text).strip()
    text = _LEADING_ARTICLE.sub("", text)
    tokens = _NON_WORD.sub(" ", text).split()
    return " ".join(
        _TOKEN_REPLACEMENTS.get(token, token) for token in tokens if token not in _DROPPED_TOKENS
    )


def _derived_forms(name: str) -> list[str]:
    """Forms of an official name with a trailing parenthetical: the base and the re-ordered name.

    "Iran (Islamic Republic of)" → ["Iran", "Islamic Republic of Iran"];
    "Netherlands (Kingdom of the)" → ["Netherlands", "Kingdom of the Netherlands"].
    """
    match = _TRAILING_PAREN.match(name.strip())
    if match is None:
        return []
    base, paren = match["base"].strip(), match["paren"].strip()
    return [base, f"{paren} {base}"]


def _reordered(name: str) -> list[str]:
    """Re-ordered readings of a query ("Korea (Republic of)", "Korea, Republic of")."""
    forms: list[str] = []
    for pattern in (_TRAILING_PAREN, _COMMA_FORM):
        match = pattern.match(name.strip())
        if match is not None:
            groups = match.groupdict()
            rest = groups.get("paren") or groups.get("rest") or ""
            forms.append(f"{rest.strip()} {groups['base'].strip()}")
    return forms


def load_aliases(path: str | Path) -> dict[str, str]:
    """Read an alias file (columns ``alias,iso3,note``); a blank iso3 marks an ambiguous name."""
    with Path(path).open(encoding="utf-8", newline="") as handle:
        return {row["alias"]: (row["iso3"] or "").strip() for row in csv.DictReader(handle)}


class CountryNameIndex:
    """Name → ISO3 index over official names in six languages plus aliases. See module doc."""

    def __init__(self, keys: Mapping[str, str], fuzzy_keys: Iterable[str]) -> None:
        """Use :meth:`from_rows` or :meth:`from_csv`; ``keys`` maps normalised names to ISO3
        (``""`` for an ambiguous name), ``fuzzy_keys`` are the keys the fuzzy fallback may use."""
        self._keys: dict[str, str] = dict(keys)
        self._fuzzy_choices: list[str] = sorted(set(fuzzy_keys) & set(self._keys))
        self._cache: dict[str, str | None] = {}
        self._exact_cache: dict[str, str | None] = {}

    # --- construction -------------------------------------------------------------------------

    @classmethod
    def from_rows(
        cls,
        rows: Iterable[Mapping[str, str]],
        aliases: Mapping[str, str | None] | None = None,
    ) -> CountryNameIndex:
        """Build from countries.csv-like rows (``iso3`` and ``name_en`` … ``name_ar``; blank names
        are skipped) and an optional alias mapping (alias → ISO3; blank/None = ambiguous).

        Raises ``ValueError`` if two aliases normalise to the same key with different codes, or an
        alias points to an ISO3 that is not in ``rows``.
        """
        tiers: dict[str, tuple[int, set[str]]] = {}
        fuzzy_keys: set[str] = set()

        def add(name: str, iso3: str, tier: int, fuzzy: bool) -> None:
            key = normalize_name(name)
            if not key:
                return
            current = tiers.get(key)
            if current is None or tier < current[0]:
                tiers[key] = (tier, {iso3})
            elif tier == current[0]:
                current[1].add(iso3)
            if fuzzy and _LATIN_OR_CYRILLIC.match(key):
                fuzzy_keys.add(key)

        known: set[str] = set()
        for row in rows:
            iso3 = row["iso3"].strip().upper()
            known.add(iso3)
            for column in NAME_COLUMNS:
                name = (row.get(column) or "").strip()
                if not name:
                    continue
                fuzzy = column in _FUZZY_COLUMNS
                add(name, iso3, _OFFICIAL_TIER, fuzzy)
                for form in _derived_forms(name):
                    add(form, iso3, _DERIVED_TIER, fuzzy)

        alias_keys: dict[str, str] = {}
        for alias, code in (aliases or {}).items():
            iso3 = (code or "").strip().upper()
            if iso3 and iso3 not in known:
                raise ValueError(f"alias {alias!r} points to unknown ISO3 {iso3!r}")
            key = normalize_name(alias)
            if not key:
                continue
            if alias_keys.setdefault(key, iso3) != iso3:
                raise ValueError(f"alias {alias!r} conflicts with another alias for the same name")
            tiers[key] = (_ALIAS_TIER, {iso3} if iso3 else {_AMBIGUOUS})
            if _LATIN_OR_CYRILLIC.match(key):
                fuzzy_keys.add(key)

        keys = {
            key: (next(iter(codes)) if len(codes) == 1 else _AMBIGUOUS)
            for key, (_tier, codes) in tiers.items()
        }
        return cls(keys, fuzzy_keys)

    @classmethod
    def from_csv(cls, path: str | Path, aliases_path: str | Path | None = None) -> CountryNameIndex:
        """Build from a countries.csv file; aliases from ``aliases_path``, by default the
        ``country_aliases.csv`` beside it when that file exists."""
        path = Path(path)
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        alias_file = Path(aliases_path) if aliases_path is not None else None
        if alias_file is None and (path.parent / "country_aliases.csv").exists():
            alias_file = path.parent / "country_aliases.csv"
        aliases = load_aliases(alias_file) if alias_file is not None else None
        return cls.from_rows(rows, aliases)

    # --- look-up ------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._keys)

    def is_ambiguous(self, name: str) -> bool:
        """True when the name is known but stands for several countries (e.g. "Korea")."""
        return self._keys.get(normalize_name(name)) == _AMBIGUOUS

    def resolve(self, name: str, *, fuzzy: bool = True) -> str | None:
        """ISO3 for ``name``, or ``None`` when unknown or ambiguous. ``fuzzy=False`` skips the
        typo-tolerant fallback (exact, alias and re-ordered forms only)."""
        cache = self._cache if fuzzy else self._exact_cache
        try:
            return cache[name]
        except KeyError:
            pass
        result = self._lookup(name, fuzzy=fuzzy)
        cache[name] = result
        return result

    def _lookup(self, name: str, *, fuzzy: bool) -> str | None:
        key = normalize_name(name)
        if not key:
            return None
        found = self._keys.get(key)
        if found is not None:
            return found or None
        for form in _reordered(name):
            found = self._keys.get(normalize_name(form))
            if found is not None:
                return found or None
        if not fuzzy or len(key) < FUZZY_MIN_LENGTH:
            return None
        return self._fuzzy(key)

    def _fuzzy(self, key: str) -> str | None:
        matches = process.extract(
            key,
            self._fuzzy_choices,
            scorer=fuzz.token_sort_ratio,
            limit=20,
            score_cutoff=FUZZY_THRESHOLD - FUZZY_MARGIN,
        )
        if not matches:
            return None
        best_key, best_score, _ = matches[0]
        best = self._keys[best_key]
        if best_score < FUZZY_THRESHOLD or best == _AMBIGUOUS:
            return None
        # A query that extends or truncates the name of another country is not a typo we can
        # judge ("Dominican": Dominica or Dominican Republic? "Nigerian": Niger or Nigeria?), and
        # a name that begins another country's name ("Niger", "Guinea") is never guessed.
        for other_key in self._fuzzy_choices:
            if self._keys[other_key] == best:
                continue
            if other_key.startswith((key, best_key)) or key.startswith(other_key):
                return None
        for other_key, other_score, _ in matches[1:]:
            if self._keys[other_key] != best and best_score - other_score < FUZZY_MARGIN:
                return None
        return best
