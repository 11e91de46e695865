"""UPR Info database CSV (state names, Accepted/Noted, issues joined by " | ")."""

from __future__ import annotations

import csv
import hashlib
import html
from collections.abc import Iterator
from typing import IO

from app.imports.errors import BadFile
from app.imports.rows import DroppedLabel, ParsedRow, RecommendationRecord, cycle_of
from app.imports.vocabulary import ImportVocabulary
from app.recommendations.models import Position, RecommendationSource

REQUIRED_COLUMNS = (
    "state_under_review",
    "recommendation",
    "recommending_state",
    "response",
    "issues",
    "session",
)
POSITIONS = {"accepted": Position.supported, "noted": Position.noted}
UNKNOWN_STATE = {"unknown", ""}


def read_upr_info(stream: IO[str], vocabulary: ImportVocabulary) -> Iterator[ParsedRow]:
    reader = csv.DictReader(stream)
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise BadFile(f"not a UPR Info CSV: missing columns {', '.join(missing)}")
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        try:
            record, dropped = _record(row, vocabulary)
        except ValueError as exc:
            yield ParsedRow(line, error=str(exc))
            continue
        if record.external_id in seen:
            yield ParsedRow(line, error=f"duplicate of line {seen[record.external_id]}")
            continue
        seen[record.external_id] = line
        yield ParsedRow(line, record=record, dropped=dropped)


def _record(
    row: dict[str, str], vocabulary: ImportVocabulary
) -> tuple[RecommendationRecord, tuple[DroppedLabel, ...]]:
    """The record, and the issues the crosswalk does not know (they never refuse the row)."""
    text = html.unescape(row.get("recommendation") or "").strip()
    if not text:
        raise ValueError("empty recommendation text")
    state_name = (row.get("state_under_review") or "").strip()
    state = vocabulary.countries.resolve(state_name)
    if state is None:
        raise ValueError(f"unknown state under review {state_name!r}")
    recommending_name = html.unescape(row.get("recommending_state") or "").strip()
    if recommending_name.strip("()").casefold() in UNKNOWN_STATE:
        recommending_name = ""  # UPR Info's "(Unknown)": a real recommendation, no State named
    recommending = vocabulary.countries.resolve(recommending_name) if recommending_name else None
    if recommending_name and recommending is None:
        raise ValueError(f"unknown recommending state {recommending_name!r}")
    response = (row.get("response") or "").strip().casefold()
    if response not in POSITIONS:
        raise ValueError(f"response must be Accepted or Noted, not {row.get('response')!r}")
    session = _session(row.get("session"))
    issues = [i.strip() for i in (row.get("issues") or "").split("|") if i.strip()]
    themes = vocabulary.issue_theme_codes(issues)
    digest = hashlib.sha256(
        "\x1f".join([state, str(session), recommending_name, text]).encode()
    ).hexdigest()[:32]
    record = RecommendationRecord(
        source=RecommendationSource.upr_info,
        external_id=digest,
        state_iso3=state,
        text=text,
        position=POSITIONS[response],
        cycle=cycle_of(session),
        session=session,
        language="en",
        recommending_states=(recommending,) if recommending else (),
        themes=themes.codes,
    )
    return record, themes.dropped


def _session(value: str | None) -> int:
    try:
        session = int((value or "").strip())
    except ValueError:
        raise ValueError(f"session must be a number, not {value!r}") from None
    if not 1 <= session <= 100:
        raise ValueError(f"session {session} is out of range")
    return session
