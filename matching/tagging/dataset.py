"""The labelled UPR Info data used to train and evaluate the theme tagger.

Standard library only: the training script (`tools/train_tagger.py`) and the benchmark
(`benchmarks/tagging_eval.py`) share these helpers so that both see the same examples and the
same train / validation / test split.

Source: UPR Info database (upr-info.org), cycle-1 extract in `seed_data/upr_info/`.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Split = Literal["train", "validation", "test"]

#: Buckets of `split_of`: 0-7 train (80 %), 8 validation (10 %), 9 test (10 %).
SPLIT_BUCKETS = 10


@dataclass(frozen=True)
class LabelledText:
    """One distinct recommendation text and its gold UHRI theme codes."""

    text: str
    codes: tuple[str, ...]
    split: Split


def normalise_text(text: str) -> str:
    """Collapse runs of whitespace; the key used for de-duplication and for the split."""
    return " ".join(text.split())


def split_of(text: str) -> Split:
    """Stable split of a (normalised) text: sha256 of its UTF-8 bytes, modulo 10."""
    bucket = int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16) % SPLIT_BUCKETS
    if bucket == SPLIT_BUCKETS - 1:
        return "test"
    if bucket == SPLIT_BUCKETS - 2:
        return "validation"
    return "train"


def load_crosswalk(path: Path) -> dict[str, tuple[str, ...]]:
    """UPR Info issue -> UHRI theme codes (`seed_data/upr_info_issue_crosswalk.csv`)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            row["upr_info_issue"]: tuple(c for c in row["theme_codes"].split("|") if c)
            for row in csv.DictReader(handle)
        }


def load_theme_codes(path: Path) -> list[str]:
    """Theme codes of `seed_data/themes.csv`, in file order."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [row["code"] for row in csv.DictReader(handle)]


def load_upr_info_examples(
    csv_path: Path, crosswalk: Mapping[str, tuple[str, ...]]
) -> list[LabelledText]:
    """All rows of a UPR Info export (supported and noted alike), one example per distinct text.

    Gold codes = union of the crosswalk codes of the row's issues (joined by " | "); a text that
    occurs in several rows (the same recommendation made to several States) gets the union over
    its rows. Sorted by text, so the order is stable.
    """
    labels: dict[str, set[str]] = {}
    with csv_path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            text = normalise_text(row["recommendation"])
            if not text:
                continue
            codes = labels.setdefault(text, set())
            for issue in row["issues"].split("|"):
                issue = issue.strip()
                if issue:
                    codes.update(crosswalk[issue])
    return [
        LabelledText(text=text, codes=tuple(sorted(codes)), split=split_of(text))
        for text, codes in sorted(labels.items())
        if codes
    ]


# ---------------------------------------------------------------------------------------------
# The UHRI vocabulary, the definitions and the hand-labelled gold set
# ---------------------------------------------------------------------------------------------

GoldSplit = Literal["train", "dev", "test"]
LabelKind = Literal["theme", "group"]


@dataclass(frozen=True)
class GoldRecord:
    """One line of `benchmarks/data/uhri_gold.jsonl` (an English item or a translation)."""

    id: str
    split: GoldSplit
    lang: str
    text: str
    themes: tuple[str, ...]
    groups: tuple[str, ...]


@dataclass(frozen=True)
class Definition:
    """One line of `seed_data/tagging/definitions/{lang}.jsonl`: what defines a theme or group."""

    kind: LabelKind
    code: str
    lang: str
    label: str
    definition: str
    includes: tuple[str, ...]
    excludes: tuple[str, ...]
    phrasings: tuple[str, ...]


def load_group_codes(path: Path) -> list[str]:
    """Group-of-persons codes of `seed_data/groups_of_persons.csv`, in file order."""
    return load_theme_codes(path)


def load_gold(path: Path) -> list[GoldRecord]:
    """All records of the gold set, in file order (texts whitespace-normalised)."""
    out: list[GoldRecord] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            row = json.loads(line)
            out.append(
                GoldRecord(
                    id=row["id"],
                    split=row["split"],
                    lang=row["lang"],
                    text=normalise_text(row["text"]),
                    themes=tuple(row["themes"]),
                    groups=tuple(row.get("groups", ())),
                )
            )
    return out


def load_request_eval(path: Path) -> list[GoldRecord]:
    """The hand-labelled requests of `benchmarks/data/request_tagging_eval.jsonl` (see
    `benchmarks/request_tagging_eval.py`; not training data), as gold records whose text is what
    the matcher tags: the title, a line break, the description."""
    out: list[GoldRecord] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                text = f"{row['title']}\n{row['description']}".strip()
                themes, groups = tuple(row["themes"]), tuple(row["groups"])
                out.append(GoldRecord(row["id"], row["split"], row["lang"], text, themes, groups))
    return out


def load_definitions(directory: Path, languages: Sequence[str]) -> list[Definition]:
    """The definitions of every theme and group in `languages`, in file order."""
    out: list[Definition] = []
    for lang in languages:
        with (directory / f"{lang}.jsonl").open(encoding="utf-8") as handle:
            for line in handle:
                if not line.strip():
                    continue
                row = json.loads(line)
                out.append(
                    Definition(
                        kind=row["kind"],
                        code=row["code"],
                        lang=row["lang"],
                        label=normalise_text(row["label"]),
                        definition=normalise_text(row["definition"]),
                        includes=tuple(normalise_text(x) for x in row["includes"]),
                        excludes=tuple(normalise_text(x) for x in row["excludes"]),
                        phrasings=tuple(normalise_text(x) for x in row["phrasings"]),
                    )
                )
    return out


@dataclass(frozen=True)
class RequestTexts:
    """Request-style texts of one theme or group in one language: titles, descriptions and
    plain-words paraphrases of requests for assistance (`seed_data/tagging/requests/`)."""

    kind: str  # "theme" or "group"
    code: str
    lang: str
    texts: tuple[str, ...]


def load_request_texts(directory: Path, languages: Sequence[str]) -> list[RequestTexts]:
    """The request-style texts of every theme and group in `languages`, in file order."""
    out: list[RequestTexts] = []
    for lang in languages:
        with (directory / f"{lang}.jsonl").open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    row = json.loads(line)
                    texts = tuple(normalise_text(x) for x in row["requests"])
                    out.append(RequestTexts(row["kind"], row["code"], row["lang"], texts))
    return out


@dataclass(frozen=True)
class IssueText:
    """One distinct UPR Info recommendation text and the UPR Info issues of its rows."""

    text: str
    issues: tuple[str, ...]
    split: Split


def load_upr_info_issues(csv_path: Path) -> list[IssueText]:
    """Like `load_upr_info_examples`, but keeps the UPR Info issues (not yet mapped to themes), so
    that a crosswalk pair (one issue -> two themes) can be told from two certain themes."""
    issues: dict[str, set[str]] = {}
    with csv_path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            text = normalise_text(row["recommendation"])
            if not text:
                continue
            found = issues.setdefault(text, set())
            found.update(i.strip() for i in row["issues"].split("|") if i.strip())
    return [
        IssueText(text=text, issues=tuple(sorted(found)), split=split_of(text))
        for text, found in sorted(issues.items())
        if found
    ]
