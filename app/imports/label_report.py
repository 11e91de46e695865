"""What an import did with labels that gave no code: the rows were kept, the labels dropped.
The report counts, per label, the imported rows that carried it and names the first few."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from app.imports.rows import DroppedLabel
from app.imports.vocabulary import normalise_label

MAX_LABELS = 200  # distinct labels listed per kind; the others are only counted
MAX_LINES = 5  # example rows per label


@dataclass
class _Tally:
    vocabulary: str  # DroppedLabel.field
    label: str  # the first wording seen, its spaces tidied (no-break spaces, runs)
    rows: int = 0
    lines: list[int] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "field": self.vocabulary,
            "label": self.label,
            "rows": self.rows,
            "lines": self.lines,
        }


@dataclass
class LabelReport:
    """`rows`: imported rows that lost at least one label. `unknown`: labels not in the
    vocabulary; `no_counterpart`: known labels that map to nothing by a documented decision."""

    rows: int = 0
    unknown: dict[tuple[str, str], _Tally] = field(default_factory=dict)
    no_counterpart: dict[tuple[str, str], _Tally] = field(default_factory=dict)
    not_listed: int = 0

    def add(self, line: int, dropped: Iterable[DroppedLabel]) -> None:
        seen: set[tuple[bool, str, str]] = set()
        for label in dropped:
            key = (label.field, normalise_label(label.label))
            if (label.known, *key) in seen:
                continue  # a label repeated within a row counts once
            seen.add((label.known, *key))
            tallies = self.no_counterpart if label.known else self.unknown
            tally = tallies.get(key)
            if tally is None:
                if len(tallies) >= MAX_LABELS:
                    self.not_listed += 1
                    continue
                tally = tallies[key] = _Tally(label.field, " ".join(label.label.split()))
            tally.rows += 1
            if len(tally.lines) < MAX_LINES:
                tally.lines.append(line)
        if seen:
            self.rows += 1

    def as_json(self) -> dict[str, Any]:
        """Most frequent labels first."""
        return {
            "rows": self.rows,
            "unknown": _listing(self.unknown.values()),
            "no_counterpart": _listing(self.no_counterpart.values()),
            "not_listed": self.not_listed,
        }


def _listing(tallies: Iterable[_Tally]) -> list[dict[str, Any]]:
    ordered = sorted(tallies, key=lambda t: (-t.rows, t.vocabulary, t.label.casefold()))
    return [t.as_json() for t in ordered]
