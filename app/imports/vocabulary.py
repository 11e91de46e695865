"""Lookups that turn source labels into the repository's codes (built once per import).

A label (a UHRI theme or affected-persons wording, a UPR Info issue) is compared after
:func:`normalise_label`. It is then either *mapped* to a code (a current label, a code, or an
alias in ``seed_data/theme_aliases.csv`` / ``group_aliases.csv``), *known without counterpart*
(an alias whose documented kind is ``none``), or *unknown*. A label with a trailing bracketed
explanation that is not known as a whole ("Children in vulnerable situations (street children,
...)") is looked up without it, and so is the heading code of the older UHRI taxonomy ("A12
Acceptance of international norms"). The current labels count in the six UN languages (UHRI is
read in English, French and Spanish, and exports carry the labels of the interface used). A
cell line that is unknown but holds several labels separated by ";" or "," ("Children, Persons
deprived of liberty") gives their codes when every one of them is known. An older sub-heading
"Theme - topic" gives the topic's code when the topic is a label ("Women's rights - violence
against women"), the theme's when the topic is "general"; a label of 15 letters or more one slip
(a letter added, dropped, changed, or two swapped) from exactly one code's label gives that
code. Importers keep the row whatever its labels: the ones that map give its codes, the others
are :class:`DroppedLabel`\\ s that the run reports."""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import OSA
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.imports.country_names import CountryNameIndex
from app.imports.rows import DroppedLabel
from app.reference.models import GroupOfPersons, Language, Theme
from app.reference.seed import SEED_DIR

NO_COUNTERPART = ""  # the code of a known label that maps to nothing, by a documented decision

_NOT_LETTERS = re.compile(r"[\W_]+")
_TRAILING_EXPLANATION = re.compile(r"^(.*\S)\s*\([^()]*\)\s*$", re.DOTALL)
# The older UHRI taxonomy numbered its headings: "A12 Acceptance of international norms".
_TAXONOMY_CODE = re.compile(r"^[A-Ha-h]\d{1,3}(?:\.\d{1,2})?\s+(\S.*)$", re.DOTALL)
_SEPARATORS = re.compile(r"[;,]")
# "Theme - topic", the older taxonomy's sub-headings ("Right to life - general").
_SUB_HEADING = re.compile(r"^(.*\S)\s+[-\u2013\u2014]\s+(\S.*)$", re.DOTALL)
_GENERAL = frozenset({"general", "généralités", "generalites", "generalidades"})
_SLIP_MIN_LENGTH = 15


def normalise_label(label: str) -> str:
    """The form labels are compared in: their letters and digits only, "&" read as "and".
    Case, compatibility forms (no-break spaces...), spaces, dashes, slashes and punctuation do
    not matter: "Civil & political rights \u2013 general measures" and "civil and political
    rights -general measures" compare equal, as do "resources(for" and "resources (for",
    "Extra-judicial" and "Extrajudicial", "non-discrimination" and "non discrimination",
    "definition/general principles/protection" and "definition\u2013general principles\u2013
    protection" (older exports and hand-made lists write them all)."""
    text = unicodedata.normalize("NFKC", label).casefold().replace("&", " and ")
    return _NOT_LETTERS.sub("", text)


@dataclass(frozen=True)
class LabelLookup:
    """The codes of some labels, and the labels that gave none."""

    codes: tuple[str, ...]
    dropped: tuple[DroppedLabel, ...]


@dataclass
class ImportVocabulary:
    countries: CountryNameIndex
    themes_by_label: dict[str, str]
    groups_by_label: dict[str, str]
    crosswalk: dict[str, tuple[str, ...]]
    languages: frozenset[str]

    @classmethod
    def load(cls, session: Session, seed_dir: Path = SEED_DIR) -> ImportVocabulary:
        themes = label_table(
            _labels(session.scalars(select(Theme))),
            _aliases(seed_dir / "theme_aliases.csv", "theme_code"),
        )
        groups = label_table(
            _labels(session.scalars(select(GroupOfPersons))),
            _aliases(seed_dir / "group_aliases.csv", "group_code"),
        )
        with (seed_dir / "upr_info_issue_crosswalk.csv").open(
            encoding="utf-8", newline=""
        ) as handle:
            crosswalk = {
                normalise_label(row["upr_info_issue"]): tuple(row["theme_codes"].split("|"))
                for row in csv.DictReader(handle)
            }
        languages = frozenset(session.scalars(select(Language.code)))
        countries = CountryNameIndex.from_csv(seed_dir / "countries.csv")
        return cls(countries, themes, groups, crosswalk, languages)

    def theme_codes(self, labels: list[str]) -> LabelLookup:
        """Codes for UHRI theme labels (current or older wording)."""
        return _lookup(self.themes_by_label, labels, "theme")

    def group_codes(self, labels: list[str]) -> LabelLookup:
        """Codes for UHRI affected-persons labels (the 24 groups and the UHRI's other wordings)."""
        return _lookup(self.groups_by_label, labels, "group")

    def theme_and_group_codes(
        self, theme_labels: list[str], group_labels: list[str]
    ) -> tuple[LabelLookup, LabelLookup]:
        """Codes for a row's themes and affected persons. A theme label that is no theme but
        names a group of persons counts as that group: older UHRI themes were people
        ("Internally displaced persons", "Human rights defenders", "Stateless persons")."""
        themes = self.theme_codes(theme_labels)
        as_groups = [d.label for d in themes.dropped if lookup_label(self.groups_by_label, d.label)]
        groups = self.group_codes([*group_labels, *as_groups])
        kept = tuple(d for d in themes.dropped if d.label not in as_groups)
        return LabelLookup(themes.codes, kept), groups

    def issue_theme_codes(self, issues: list[str]) -> LabelLookup:
        """UPR Info issues mapped onto UHRI themes through the crosswalk."""
        codes: set[str] = set()
        dropped = []
        for issue in issues:
            mapped = self.crosswalk.get(normalise_label(issue))
            if mapped is None:
                dropped.append(DroppedLabel("issue", issue, known=False))
            else:
                codes.update(mapped)
        return LabelLookup(tuple(sorted(codes)), tuple(dropped))


def _labels(rows: Iterable[Theme | GroupOfPersons]) -> list[tuple[str, str]]:
    """(label, code) for every row's label in each of the six languages, all the English ones
    first (the first code given to a label keeps it)."""
    rows = list(rows)
    return [
        (label, row.code)
        for language in ("en", "fr", "es", "ru", "zh", "ar")
        for row in rows
        if (label := getattr(row, f"label_{language}"))
    ]


def label_table(
    labels: Iterable[tuple[str, str]], aliases: Iterable[tuple[str, str]]
) -> dict[str, str]:
    """Normalised label -> code (NO_COUNTERPART for a documented "none"). Current labels and
    codes win over an alias that normalises to the same text."""
    table: dict[str, str] = {}
    for label, code in labels:
        table.setdefault(normalise_label(label), code)
        table[normalise_label(code)] = code
    for alias, code in aliases:
        table.setdefault(normalise_label(alias), code)
    return table


def _aliases(path: Path, code_column: str) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            (row["alias"], row[code_column] if row["kind"] != "none" else NO_COUNTERPART)
            for row in csv.DictReader(handle)
        ]


def lookup_label(table: dict[str, str], label: str) -> str | None:
    """The code of a label, NO_COUNTERPART for a known label without one, None if unknown."""
    forms = _forms(label.strip())
    for form in forms:
        code = table.get(normalise_label(form))
        if code is not None:
            return code
    for form in forms:
        code = _sub_heading(table, form) or _one_slip(table, normalise_label(form))
        if code is not None:
            return code
    return None


def _sub_heading(table: dict[str, str], label: str) -> str | None:
    """An older sub-heading, "Theme - topic": the topic's code when the topic is a label
    ("Women's rights - violence against women"), the theme's when the topic is "general"
    ("Conditions of detention - general"); never the broader theme for an unknown topic."""
    found = _SUB_HEADING.match(label)
    if found is None:
        return None
    theme, topic = found[1], found[2]
    if normalise_label(topic) in _GENERAL:
        return table.get(normalise_label(theme))
    return table.get(normalise_label(topic))


def _one_slip(table: dict[str, str], normalised: str) -> str | None:
    """The code of the one known label a long label is a typing slip away from: one letter
    added, dropped, changed or two swapped ("Persons with disaiblities: situations of risk",
    "Coopertaion with OHCHR"); None when unsure."""
    if len(normalised) < _SLIP_MIN_LENGTH:
        return None
    found = process.extract(
        normalised, table.keys(), scorer=OSA.distance, score_cutoff=1, limit=None
    )
    codes = {table[key] for key, _distance, _index in found}
    return codes.pop() if len(codes) == 1 else None


def _forms(label: str) -> list[str]:
    """The label as written, then without the older UHRI taxonomy's heading code ("D51
    Administration of justice & fair trial"), each also without a trailing bracketed
    explanation ("Children in vulnerable situations (street children, ...)")."""
    forms = [label]
    if (coded := _TAXONOMY_CODE.match(label)) is not None:
        forms.append(coded[1])
    for form in list(forms):
        if (stem := _TRAILING_EXPLANATION.match(form)) is not None:
            forms.append(stem[1])
    return forms


def _lookup(table: dict[str, str], labels: list[str], field: str) -> LabelLookup:
    codes: set[str] = set()
    dropped = []
    for label in labels:
        code = lookup_label(table, label)
        parts = _listed(table, label) if code is None else None
        if parts is not None:
            codes.update(c for c in parts if c)
        elif code:
            codes.add(code)
        else:
            dropped.append(DroppedLabel(field, label, known=code is not None))
    return LabelLookup(tuple(sorted(codes)), tuple(dropped))


def _listed(table: dict[str, str], label: str) -> list[str] | None:
    """The codes of an unknown label that lists known ones ("Children, Persons deprived of
    liberty"; a cell separated by ";" or "," instead of lines), None unless each part is known."""
    parts = [part for part in _SEPARATORS.split(label) if part.strip()]
    if len(parts) < 2:
        return None
    codes = [lookup_label(table, part) for part in parts]
    return None if any(code is None for code in codes) else [c for c in codes if c is not None]
