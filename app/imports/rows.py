"""What every importer produces: plain records, or a rejection naming the row and the reason."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

from app.core.schemas import CONTROL_CHARACTERS
from app.recommendations.models import Position, RecommendationSource, cycle_for_session

# The longest values a record may hold: those of the API (app/recommendations/schemas.py) and
# of the columns (PostgreSQL refuses a longer value, which would stop an import midway).
MAX_LENGTHS = {"text": 20_000, "document_symbol": 60, "paragraph": 20, "external_id": 100}


@dataclass(frozen=True)
class RecommendationRecord:
    source: RecommendationSource
    external_id: str
    state_iso3: str
    text: str
    position: Position
    cycle: int
    session: int | None = None
    document_symbol: str | None = None
    paragraph: str | None = None
    language: str = "en"
    recommending_states: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    sdgs: tuple[str, ...] = ()

    def content_hash(self) -> str:
        """A digest of the source data: the same row imported again is recognised as unchanged."""
        payload = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(payload.encode()).hexdigest()


def storable_problem(record: RecommendationRecord) -> str | None:
    """Why the record cannot be stored as it is (a value too long, a control character such
    as NUL), or None. Checked for every row before its batch is written."""
    for name, limit in MAX_LENGTHS.items():
        value: str | None = getattr(record, name)
        if value is None:
            continue
        if len(value) > limit:
            return f"{name} is {len(value):,} characters long; at most {limit:,} are allowed"
        found = CONTROL_CHARACTERS.search(value)
        if found is not None:
            return f"{name} holds the control character {found.group()!r} (binary data?)"
    return None


@dataclass(frozen=True)
class DroppedLabel:
    """A label of an imported row that gave no code: `known` labels have no counterpart by a
    documented decision (seed_data/README.md), the others are not in the vocabulary at all.
    `field` names the vocabulary: theme, group, sdg or issue."""

    field: str
    label: str
    known: bool = False


@dataclass(frozen=True)
class ParsedRow:
    """One input row: a record (with the labels that gave no code), a rejection (`error`), or a
    row deliberately `skipped`."""

    line: int
    record: RecommendationRecord | None = None
    error: str | None = None
    skipped: str | None = None
    dropped: tuple[DroppedLabel, ...] = ()


def cycle_of(session: int | None, given: int | None = None) -> int:
    if session is not None:
        return cycle_for_session(session)
    if given is None:
        raise ValueError("neither a session nor a cycle")
    return given


@dataclass(frozen=True)
class ReportTextOptions:
    """What pasted report text does not say itself."""

    state_iso3: str
    session: int
    document_symbol: str
    position: Position = Position.pending
    language: str | None = None  # None: read from the text
