"""OHCHR Universal Human Rights Index full export, as JSON (an array of objects) or XLSX.

Quirks of the export, kept as they are: the column names are misspelt ("Reccomending"),
multi-value cells hold one value per line with a "- " prefix, dates are Excel serial numbers,
and the paragraph number only appears at the start of `Text`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO, Any

import ijson

from app.imports.errors import BadFile
from app.imports.rows import DroppedLabel, ParsedRow, RecommendationRecord, cycle_of
from app.imports.vocabulary import ImportVocabulary
from app.recommendations.models import Position, RecommendationSource

REQUIRED = ("Text", "Countries Concerned", "Type", "OHCHR Annotation Id", "UPR Session")
UPR_TYPE = "recommendations from the upr"
_UPR_BODY = re.compile(r"\bupr\b|universal periodic review")
POSITIONS = {
    "supported": Position.supported,
    "noted": Position.noted,
    "": Position.pending,
}
# What a cell line may start with before its value: a hyphen ("- " is the export's own) or a
# bullet that a copy through a word processor or a spreadsheet left.
BULLETS = "-\u2022\u2023\u2043\u25aa\u25e6\u00b7*\u2013\u2014 \t"
PARAGRAPH = re.compile(r"^\s*(\d{1,4}(?:\.\d{1,4})+)\.?\s+(.*)$", re.DOTALL)


def split_multi(value: Any) -> list[str]:
    """'- Women\\n- Children' -> ['Women', 'Children'] (also with "•" or another bullet)."""
    if value is None:
        return []
    items = []
    for line in str(value).splitlines():
        item = line.strip()
        item = item[2:].strip() if item.startswith("- ") else item.lstrip(BULLETS).strip()
        if item:
            items.append(item)
    return items


def read_uhri_json(stream: IO[bytes], vocabulary: ImportVocabulary) -> Iterator[ParsedRow]:
    """Streams the array: memory stays flat whatever the file size."""
    try:
        for index, item in enumerate(ijson.items(stream, "item", use_float=True), start=1):
            if not isinstance(item, dict):
                yield ParsedRow(index, error="not a JSON object")
                continue
            yield _parse(index, item, vocabulary)
    except ijson.JSONError as exc:
        raise BadFile(f"not a valid UHRI JSON export: {json_reason(exc)}") from exc


def read_uhri_xlsx(path: str, vocabulary: ImportVocabulary) -> Iterator[ParsedRow]:
    for line, item in xlsx_rows(path):
        yield _parse(line, item, vocabulary)


def xlsx_rows(path: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number, {column: value}) for each non-empty row of the first sheet; BadFile names
    the row after which the sheet could not be read."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise BadFile(f"not a readable XLSX file: {xml_reason(exc)}") from exc
    line = 1
    try:
        if not workbook.worksheets:
            raise BadFile("the workbook has no sheet")
        sheet = workbook.worksheets[0]
        try:
            rows = sheet.iter_rows(values_only=True)
            header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
            _check_columns(header)
            for line, values in enumerate(rows, start=2):
                if all(v in (None, "") for v in values):
                    continue
                yield line, dict(zip(header, values, strict=False))
        except BadFile:
            raise
        except Exception as exc:
            where = f"sheet {sheet.title!r}, after row {line}"
            raise BadFile(f"{where} the file cannot be read: {xml_reason(exc)}") from exc
    finally:
        workbook.close()


def xml_reason(exc: Exception) -> str:
    """Why openpyxl could not read the workbook, in words (entity declarations are refused
    outright: billion laughs, external entities)."""
    cause: BaseException | None = exc
    seen: set[int] = set()
    while cause is not None and id(cause) not in seen:  # openpyxl wraps the parser's error
        seen.add(id(cause))
        if type(cause).__name__ in {
            "EntitiesForbidden",
            "DTDForbidden",
            "ExternalReferenceForbidden",
        }:
            return "it declares XML entities or a DTD (an XML bomb or external entity), refused"
        cause = cause.__cause__ or cause.__context__
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0] if lines else ''}"


def json_reason(exc: Exception) -> str:
    """The parser's complaint in one line ('lexical error: ...', 'premature EOF' explained)."""
    raw = exc.args[0] if exc.args else exc
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    reason = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    if "premature EOF" in reason or "Incomplete" in reason:
        return f"not valid JSON ({reason}): the file ends mid-document, it looks truncated"
    if "invalid bytes in UTF8" in reason:
        return f"not valid JSON ({reason}): the file is not UTF-8 text, save it as UTF-8"
    return f"not valid JSON ({reason})"


def _check_columns(header: list[str]) -> None:
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise BadFile(f"not a UHRI export: missing columns {', '.join(missing)}")


def _parse(line: int, item: dict[str, Any], vocabulary: ImportVocabulary) -> ParsedRow:
    missing = [c for c in REQUIRED if c not in item]
    if missing:
        return ParsedRow(line, error=f"missing fields {', '.join(missing)}")
    if not _is_upr_recommendation(item):
        return ParsedRow(line, skipped=f"type {item.get('Type')!r} is not a UPR recommendation")
    try:
        record, dropped = _record(item, vocabulary)
    except ValueError as exc:
        return ParsedRow(line, error=str(exc))
    return ParsedRow(line, record=record, dropped=dropped)


def _is_upr_recommendation(item: dict[str, Any]) -> bool:
    """ "Recommendations from the UPR", or a recommendation whose recommending body is the UPR
    ("Recommendation" with "- Universal Periodic Review" or "- UPR"): exports word it both ways."""
    kind = " ".join(str(item.get("Type") or "").casefold().split())
    if kind == UPR_TYPE or _UPR_BODY.search(kind):
        return True
    if kind not in {"recommendation", "recommendations"}:  # e.g. "... from Treaty Bodies"
        return False
    bodies = split_multi(item.get("Reccomending Body") or item.get("Recommending Body"))
    return any(_UPR_BODY.search(body.casefold()) for body in bodies)


def _record(
    item: dict[str, Any], vocabulary: ImportVocabulary
) -> tuple[RecommendationRecord, tuple[DroppedLabel, ...]]:
    """The record, and the labels that gave no code: an unknown label never refuses the row."""
    external_id = str(item.get("OHCHR Annotation Id") or "").strip()
    if not external_id:
        raise ValueError("no OHCHR Annotation Id")
    paragraph, text = _paragraph_and_text(str(item.get("Text") or ""))
    states = split_multi(item.get("Countries Concerned"))
    if len(states) != 1:
        raise ValueError(f"expected one country concerned, got {states}")
    state = _country(vocabulary, states[0], "country concerned")
    recommending = tuple(
        sorted(
            {
                _country(vocabulary, n, "recommending state")
                for n in split_multi(item.get("UPR Reccomending States"))
            }
        )
    )
    session = _session(item.get("UPR Session"))
    position_label = str(item.get("UPR Position") or "").strip().casefold()
    if position_label not in POSITIONS:
        raise ValueError(
            f"UPR Position must be Supported or Noted, not {item.get('UPR Position')!r}"
        )
    themes, groups = vocabulary.theme_and_group_codes(
        split_multi(item.get("Themes")), split_multi(item.get("Affected Persons"))
    )
    sdgs, unknown_sdgs = _sdgs(split_multi(item.get("Sdgs")))
    record = RecommendationRecord(
        source=RecommendationSource.uhri,
        external_id=external_id,
        state_iso3=state,
        text=text,
        position=POSITIONS[position_label],
        cycle=cycle_of(session),
        session=session,
        document_symbol=(str(item.get("Document Symbol") or "").strip() or None),
        paragraph=paragraph,
        recommending_states=recommending,
        themes=themes.codes,
        groups=groups.codes,
        sdgs=sdgs,
    )
    return record, themes.dropped + groups.dropped + unknown_sdgs


def _paragraph_and_text(raw: str) -> tuple[str | None, str]:
    raw = raw.strip()
    if not raw:
        raise ValueError("empty Text")
    match = PARAGRAPH.match(raw)
    if match is None:
        return None, raw
    return match.group(1), match.group(2).strip()


def _country(vocabulary: ImportVocabulary, name: str, what: str) -> str:
    iso3 = vocabulary.countries.resolve(name)
    if iso3 is None:
        raise ValueError(f"unknown {what} {name!r}")
    return iso3


def _session(value: Any) -> int:
    digits = re.search(r"\d+", str(value or ""))
    if digits is None:
        raise ValueError(f"UPR Session has no number: {value!r}")
    session = int(digits.group())
    if not 1 <= session <= 100:
        raise ValueError(f"UPR Session {session} is out of range")
    return session


def _sdgs(values: list[str]) -> tuple[tuple[str, ...], tuple[DroppedLabel, ...]]:
    """Goal codes from "16 - Peace, justice and strong institutions" (or "16.3", "Goal 16"),
    and the values that name no goal."""
    codes = set()
    dropped = []
    for value in values:
        number = re.search(r"\d+", value)
        if number is None or not 1 <= int(number.group()) <= 17:
            dropped.append(DroppedLabel("sdg", value))
        else:
            codes.add(f"sdg-{int(number.group())}")
    return tuple(sorted(codes, key=lambda c: int(c.split("-")[1]))), tuple(dropped)
