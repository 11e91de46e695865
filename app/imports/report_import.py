"""Plain text pasted from a UPR Working Group report: provisional recommendations."""

from __future__ import annotations

from collections.abc import Iterator

from app.imports.report_text import ParsedParagraph, ParseProblem, parse_report_text
from app.imports.rows import ParsedRow, RecommendationRecord, ReportTextOptions, cycle_of
from app.imports.vocabulary import ImportVocabulary
from app.recommendations.models import RecommendationSource
from matching.tagging.language import detect_language


def read_report_text(
    text: str, vocabulary: ImportVocabulary, options: ReportTextOptions
) -> Iterator[ParsedRow]:
    seen: dict[str, int] = {}
    parsed = parse_report_text(text, vocabulary.countries)
    language = options.language or _language_of(parsed)
    for item in parsed:
        if not isinstance(item, ParsedParagraph):
            yield ParsedRow(item.line, error=item.reason)
            continue
        external_id = f"{options.document_symbol}:{item.paragraph}"
        if external_id in seen:
            yield ParsedRow(
                item.line, error=f"paragraph {item.paragraph} repeats line {seen[external_id]}"
            )
            continue
        seen[external_id] = item.line
        yield ParsedRow(
            item.line,
            record=RecommendationRecord(
                source=RecommendationSource.report_text,
                external_id=external_id,
                state_iso3=options.state_iso3,
                text=item.text,
                position=options.position,
                cycle=cycle_of(options.session),
                session=options.session,
                document_symbol=options.document_symbol,
                paragraph=item.paragraph,
                language=language,
                recommending_states=tuple(sorted(set(item.recommending_states))),
            ),
        )


def _language_of(parsed: list[ParsedParagraph | ParseProblem]) -> str:
    """The report's language, read from its recommendations' texts (English when unclear)."""
    texts = "\n".join(item.text for item in parsed if isinstance(item, ParsedParagraph))
    return detect_language(texts) or "en"
