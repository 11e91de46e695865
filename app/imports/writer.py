"""Write imported records in batches: each batch is one transaction, so a crash leaves whole
batches only, and a re-run inserts what is missing and leaves the rest as it is. The batch's
transaction also updates the run's counts, so that they always match what was committed."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from app.audit.models import AuditEntry
from app.auth.principal import Principal
from app.db.base import utcnow
from app.imports.label_report import LabelReport
from app.imports.models import ImportRun
from app.imports.rows import ParsedRow, RecommendationRecord, storable_problem
from app.recommendations.models import (
    Recommendation,
    TagSource,
    recommendation_groups,
    recommendation_recommending_states,
    recommendation_sdgs,
    recommendation_themes,
)
from app.recommendations.tagging import Tagger

__all__ = ["ImportSummary", "Tagger", "write_all"]


MAX_STORED_ERRORS = 1000
LINKS: tuple[tuple[Table, str, str], ...] = (
    (recommendation_recommending_states, "country_iso3", "recommending_states"),
    (recommendation_themes, "theme_code", "themes"),
    (recommendation_groups, "group_code", "groups"),
    (recommendation_sdgs, "sdg_code", "sdgs"),
)


@dataclass
class ImportSummary:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    skipped: int = 0
    tagged: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    labels: LabelReport = field(default_factory=LabelReport)

    def reject(self, line: int, reason: str) -> None:
        self.rejected += 1
        if len(self.errors) < MAX_STORED_ERRORS:
            self.errors.append({"line": line, "reason": reason})

    @property
    def processed(self) -> int:
        return self.inserted + self.updated + self.unchanged + self.rejected + self.skipped


def batched(rows: Iterable[ParsedRow], size: int) -> Iterator[list[ParsedRow]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def write_all(
    sessions: sessionmaker[Session],
    rows: Iterable[ParsedRow],
    *,
    actor: Principal,
    run_id: int,
    batch_size: int = 1000,
    tagger: Tagger | None = None,
    on_batch: Callable[[ImportSummary], None] | None = None,
) -> ImportSummary:
    summary = ImportSummary()
    for number, batch in enumerate(batched(rows, batch_size), start=1):
        with sessions() as session, session.begin():
            records = _triage(batch, summary)
            written = _write_batch(session, records, summary, tagger)
            _audit_batch(session, actor, run_id, number, written)
            _record_progress(session, run_id, summary)
        if on_batch is not None:
            on_batch(summary)
    return summary


def _record_progress(session: Session, run_id: int, summary: ImportSummary) -> None:
    """The run's counts so far, in the batch's own transaction: after a crash, the run says
    exactly what the committed batches did."""
    session.execute(
        update(ImportRun)
        .where(ImportRun.id == run_id)
        .values(
            inserted=summary.inserted,
            updated=summary.updated,
            unchanged=summary.unchanged,
            rejected=summary.rejected,
            skipped=summary.skipped,
            errors=list(summary.errors),
            dropped_labels=summary.labels.as_json(),
        )
    )


def _triage(batch: list[ParsedRow], summary: ImportSummary) -> list[RecommendationRecord]:
    records = []
    for row in batch:
        if row.record is not None:
            problem = storable_problem(row.record)
            if problem is not None:
                summary.reject(row.line, problem)
            else:
                records.append(row.record)
                summary.labels.add(row.line, row.dropped)
        elif row.skipped is not None:
            summary.skipped += 1
        else:
            summary.reject(row.line, row.error or "unreadable row")
    return records


def _write_batch(
    session: Session,
    records: list[RecommendationRecord],
    summary: ImportSummary,
    tagger: Tagger | None,
) -> list[RecommendationRecord]:
    """Insert new records, update changed ones; returns what was written."""
    if not records:
        return []
    hashes = {r.external_id: r.content_hash() for r in records}
    existing: dict[str, tuple[int, str | None, int]] = {
        str(ext): (rec_id, digest, version)
        for rec_id, ext, digest, version in session.execute(
            select(
                Recommendation.id,
                Recommendation.external_id,
                Recommendation.content_hash,
                Recommendation.version,
            ).where(
                Recommendation.source == records[0].source,
                Recommendation.external_id.in_(list(hashes)),
            )
        )
    }
    new = [r for r in records if r.external_id not in existing]
    changed = [
        r
        for r in records
        if r.external_id in existing and existing[r.external_id][1] != hashes[r.external_id]
    ]
    summary.unchanged += len(records) - len(new) - len(changed)
    kept = _curated_kinds(session, [existing[r.external_id][0] for r in changed])
    tags = _tags(new + changed, existing, kept, tagger, summary)
    ids = _insert(session, new, hashes) if new else {}
    summary.inserted += len(new)
    if changed:
        _update(session, changed, hashes, existing)
        ids.update({r.external_id: existing[r.external_id][0] for r in changed})
        summary.updated += len(changed)
    _replace_links(session, new + changed, ids, tags, kept, replace_existing=bool(changed))
    return new + changed


# (code, source, score, model version) of one theme or group of a record
TagRow = tuple[str, TagSource, float | None, str | None]


def _curated_kinds(session: Session, ids: list[int]) -> set[tuple[int, str]]:
    """(recommendation id, "themes"/"groups") that a re-import must leave as they are: staff
    reviewed the recommendation, or gave that kind themselves."""
    if not ids:
        return set()
    reviewed = set(
        session.scalars(
            select(Recommendation.id).where(
                Recommendation.id.in_(ids), Recommendation.tags_reviewed_at.is_not(None)
            )
        )
    )
    out = {(rec_id, kind) for rec_id in reviewed for kind in ("themes", "groups")}
    for table, kind in ((recommendation_themes, "themes"), (recommendation_groups, "groups")):
        staff = session.scalars(
            select(table.c.recommendation_id)
            .where(table.c.recommendation_id.in_(ids), table.c.source == TagSource.staff.value)
            .distinct()
        )
        out.update((rec_id, kind) for rec_id in staff)
    return out


def _tags(
    records: list[RecommendationRecord],
    existing: dict[str, tuple[int, str | None, int]],
    kept: set[tuple[int, str]],
    tagger: Tagger | None,
    summary: ImportSummary,
) -> dict[tuple[str, str], list[TagRow]]:
    """Themes and groups to store per (external id, kind): the source's labels (import), or,
    for a kind the row leaves empty, the tagger's decision (machine, with score and model)."""
    out: dict[tuple[str, str], list[TagRow]] = {}
    to_tag: list[RecommendationRecord] = []
    for r in records:
        rec_id = existing[r.external_id][0] if r.external_id in existing else None
        missing = False
        for kind in ("themes", "groups"):
            if rec_id is not None and (rec_id, kind) in kept:
                continue
            codes: tuple[str, ...] = getattr(r, kind)
            out[(r.external_id, kind)] = [(c, TagSource.imported, None, None) for c in codes]
            missing = missing or not codes
        if missing:
            to_tag.append(r)
    if tagger is None or not to_tag:
        return out
    for r, decision in zip(to_tag, tagger([r.text for r in to_tag]), strict=True):
        for kind, suggestions in (("themes", decision.themes), ("groups", decision.groups)):
            key = (r.external_id, kind)
            if key in out and not out[key]:
                out[key] = [
                    (s.code, TagSource.machine, s.score, decision.model_version)
                    for s in suggestions
                ]
        summary.tagged += int(not r.themes and bool(decision.themes))
    return out


def _columns(record: RecommendationRecord, digest: str) -> dict[str, Any]:
    return {
        "source": record.source,
        "external_id": record.external_id,
        "state_iso3": record.state_iso3,
        "text": record.text,
        "position": record.position,
        "cycle": record.cycle,
        "session": record.session,
        "document_symbol": record.document_symbol,
        "paragraph": record.paragraph,
        "language": record.language,
        "content_hash": digest,
    }


def _insert(
    session: Session, records: list[RecommendationRecord], hashes: dict[str, str]
) -> dict[str, int]:
    now = utcnow()
    rows = [
        {**_columns(r, hashes[r.external_id]), "created_at": now, "updated_at": now, "version": 1}
        for r in records
    ]
    result = session.execute(
        insert(Recommendation).returning(Recommendation.id, Recommendation.external_id), rows
    )
    return {str(external_id): rec_id for rec_id, external_id in result}


def _update(
    session: Session,
    records: list[RecommendationRecord],
    hashes: dict[str, str],
    existing: dict[str, tuple[int, str | None, int]],
) -> None:
    # Core executemany: the ORM bulk path would check the new version as the old one.
    now = utcnow()
    table: Table = Recommendation.__table__  # type: ignore[assignment]
    rows = []
    for r in records:
        rec_id, _digest, version = existing[r.external_id]
        rows.append(
            {
                **_columns(r, hashes[r.external_id]),
                "row_id": rec_id,
                "old_version": version,
                "version": version + 1,
                "updated_at": now,
            }
        )
    values: dict[str, Any] = {
        name: bindparam(name) for name in rows[0] if name not in {"row_id", "old_version"}
    }
    statement = (
        update(table)
        .where(table.c.id == bindparam("row_id"), table.c.version == bindparam("old_version"))
        .values(values)
    )
    session.connection().execute(statement, rows)


def _replace_links(
    session: Session,
    records: list[RecommendationRecord],
    ids: dict[str, int],
    tags: dict[tuple[str, str], list[TagRow]],
    kept: set[tuple[int, str]],
    *,
    replace_existing: bool,
) -> None:
    for table, column, attribute in LINKS:
        tagged = attribute in ("themes", "groups")
        targets = [
            ids[r.external_id]
            for r in records
            if not (tagged and (ids[r.external_id], attribute) in kept)
        ]
        if replace_existing and targets:
            session.execute(delete(table).where(table.c.recommendation_id.in_(targets)))
        if tagged:
            rows: list[dict[str, Any]] = [
                {
                    "recommendation_id": ids[r.external_id],
                    column: code,
                    "source": source.value,
                    "score": score,
                    "model_version": model,
                }
                for r in records
                for code, source, score, model in tags.get((r.external_id, attribute), [])
            ]
        else:
            rows = [
                {"recommendation_id": ids[r.external_id], column: code}
                for r in records
                for code in getattr(r, attribute)
            ]
        if rows:
            session.execute(insert(table), rows)


def _audit_batch(
    session: Session,
    actor: Principal,
    run_id: int,
    number: int,
    records: list[RecommendationRecord],
) -> None:
    """Imports are audited per batch (one entry naming every record it wrote), not per row."""
    if not records:
        return
    session.add(
        AuditEntry(
            actor_id=actor.user_id,
            actor_name=actor.name,
            action="import",
            entity_type="recommendation",
            entity_id=f"import-{run_id}-batch-{number}",
            before=None,
            after={
                "source": records[0].source.value,
                "external_ids": [r.external_id for r in records],
            },
        )
    )
