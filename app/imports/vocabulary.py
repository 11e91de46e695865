"""Lookups that turn source labels into the repository's codes (built once per import)."""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.imports.country_names import CountryNameIndex
from app.reference.models import GroupOfPersons, Language, Theme
from app.reference.seed import SEED_DIR


def normalise_label(label: str) -> str:
    text = unicodedata.normalize("NFKC", label).casefold().replace("&", " and ")
    return re.sub(r"\s+", " ", text).strip(" -\u2013\u2022\t")


@dataclass
class ImportVocabulary:
    countries: CountryNameIndex
    themes_by_label: dict[str, str]
    groups_by_label: dict[str, str]
    crosswalk: dict[str, tuple[str, ...]]
    languages: frozenset[str]

    @classmethod
    def load(cls, session: Session, seed_dir: Path = SEED_DIR) -> ImportVocabulary:
        themes = {normalise_label(t.label_en): t.code for t in session.scalars(select(Theme))}
        themes.update({normalise_label(code): code for code in themes.values()})
        with (seed_dir / "theme_aliases.csv").open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row["theme_code"]:
                    themes[normalise_label(row["alias"])] = row["theme_code"]
        groups = {
            normalise_label(g.label_en): g.code for g in session.scalars(select(GroupOfPersons))
        }
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

    def theme_codes(self, labels: list[str]) -> tuple[tuple[str, ...], list[str]]:
        """Codes for UHRI theme labels (current or older wording), and the unknown labels."""
        return _lookup(self.themes_by_label, labels)

    def group_codes(self, labels: list[str]) -> tuple[tuple[str, ...], list[str]]:
        return _lookup(self.groups_by_label, labels)

    def issue_theme_codes(self, issues: list[str]) -> tuple[tuple[str, ...], list[str]]:
        """UPR Info issues mapped onto UHRI themes through the crosswalk."""
        codes: list[str] = []
        unknown = []
        for issue in issues:
            mapped = self.crosswalk.get(normalise_label(issue))
            if mapped is None:
                unknown.append(issue)
            else:
                codes.extend(mapped)
        return tuple(sorted(set(codes))), unknown


def _lookup(table: dict[str, str], labels: list[str]) -> tuple[tuple[str, ...], list[str]]:
    codes, unknown = set(), []
    for label in labels:
        code = table.get(normalise_label(label))
        if code is None:
            unknown.append(label)
        else:
            codes.add(code)
    return tuple(sorted(codes)), unknown
