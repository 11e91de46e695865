"""Run an import: check the file as a whole, then write it batch by batch, and keep a record
of the run. This is the one place besides the request-scoped session that commits: an import
is a batch job whose batches must each be durable on their own."""

from __future__ import annotations

import csv
import enum
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import IO

import ijson
from sqlalchemy.orm import Session, sessionmaker

from app.auth.principal import Principal
from app.core.errors import InvalidInput
from app.db.base import utcnow
from app.imports import liveness
from app.imports.models import ImportRun, ImportStatus
from app.imports.records import ParsedRow, ReportTextOptions
from app.imports.report_import import read_report_text
from app.imports.uhri import read_uhri_json, read_uhri_xlsx
from app.imports.upr_info import BadFile, read_upr_info
from app.imports.vocabulary import ImportVocabulary
from app.imports.writer import ImportSummary, Tagger, write_all


class ImportSource(enum.StrEnum):
    upr_info = "upr-info"
    uhri = "uhri"
    report_text = "report-text"


ProgressCallback = Callable[[ImportSummary, int], None]  # summary so far, bytes read


def run_import(
    sessions: sessionmaker[Session],
    source: ImportSource,
    path: Path,
    *,
    actor: Principal,
    filename: str | None = None,
    report: ReportTextOptions | None = None,
    batch_size: int = 1000,
    tagger: Tagger | None = None,
    on_progress: ProgressCallback | None = None,
) -> ImportRun:
    """Import `path`; a file that cannot be read as a whole raises InvalidInput, writing nothing."""
    check_whole_file(source, path)
    liveness.reconcile(sessions)  # runs a killed process left "running"
    with sessions() as session:
        vocabulary = ImportVocabulary.load(session)
        run = ImportRun(source=source.value, filename=filename or path.name, actor_name=actor.name)
        session.add(run)
        session.flush()
        run_id = run.id
        alive = liveness.claim(session.get_bind(), run_id)
        try:
            session.commit()
        except BaseException:
            alive.release()
            raise
    with ExitStack() as stack:
        stack.callback(alive.release)  # last: once the run's final state is committed
        try:
            rows, position = _open_rows(stack, source, path, vocabulary, report)
            summary = write_all(
                sessions,
                rows,
                actor=actor,
                run_id=run_id,
                batch_size=batch_size,
                tagger=tagger,
                on_batch=(lambda s: on_progress(s, position())) if on_progress else None,
            )
        except (BadFile, UnicodeDecodeError) as exc:
            _finish(sessions, run_id, None, ImportStatus.failed, str(exc))
            raise InvalidInput(f"{path.name}: {exc}", field="file") from exc
        except BaseException as exc:
            _finish(sessions, run_id, None, ImportStatus.failed, f"interrupted: {exc!r}")
            raise
        return _finish(sessions, run_id, summary, ImportStatus.completed, None)


def _finish(
    sessions: sessionmaker[Session],
    run_id: int,
    summary: ImportSummary | None,
    status: ImportStatus,
    message: str | None,
) -> ImportRun:
    """The run's final state; without a summary its counts stay those of the committed batches
    (`write_all` records them with each batch)."""
    with sessions() as session:
        run = session.get_one(ImportRun, run_id)
        run.status = status
        run.message = message
        run.finished_at = utcnow()
        if summary is not None:
            for name in ("inserted", "updated", "unchanged", "rejected", "skipped"):
                setattr(run, name, getattr(summary, name))
            run.errors = summary.errors
        session.commit()
        session.refresh(run)
        session.expunge(run)
        return run


def check_whole_file(source: ImportSource, path: Path) -> None:
    """Refuse a truncated or mis-encoded file before anything is written."""
    try:
        if source == ImportSource.uhri and path.suffix.lower() == ".xlsx":
            _check_xlsx(path)
        elif source == ImportSource.uhri:
            with path.open("rb") as stream:
                for _ in ijson.parse(stream):
                    pass
        else:
            with path.open(encoding="utf-8-sig", newline="") as text:
                for _ in csv.reader(text) if source == ImportSource.upr_info else text:
                    pass
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"{path.name} is not UTF-8 text (byte {exc.start}): save it as UTF-8", field="file"
        ) from exc
    except (ijson.JSONError, csv.Error, BadFile) as exc:
        raise InvalidInput(f"{path.name} cannot be read as a whole: {exc}", field="file") from exc


def _check_xlsx(path: Path) -> None:
    import zipfile

    if not zipfile.is_zipfile(path):
        raise BadFile("not an XLSX file (truncated or another format)")
    with zipfile.ZipFile(path) as archive:
        broken = archive.testzip()
    if broken is not None:
        raise BadFile(f"damaged XLSX member {broken}")


def _open_rows(
    stack: ExitStack,
    source: ImportSource,
    path: Path,
    vocabulary: ImportVocabulary,
    report: ReportTextOptions | None,
) -> tuple[Iterator[ParsedRow], Callable[[], int]]:
    if source == ImportSource.uhri and path.suffix.lower() == ".xlsx":
        size = path.stat().st_size
        return read_uhri_xlsx(str(path), vocabulary), lambda: size
    if source == ImportSource.uhri:
        binary: IO[bytes] = stack.enter_context(path.open("rb"))
        return read_uhri_json(binary, vocabulary), binary.tell
    text = stack.enter_context(path.open(encoding="utf-8-sig", newline=""))
    position = _byte_position(text)
    if source == ImportSource.upr_info:
        return read_upr_info(text, vocabulary), position
    if report is None:
        raise InvalidInput("report text needs the State, session and document symbol")
    return read_report_text(text.read(), vocabulary, report), position


def _byte_position(text: IO[str]) -> Callable[[], int]:
    buffer: IO[bytes] = getattr(text, "buffer")  # noqa: B009 - TextIO hides its buffer from mypy
    return buffer.tell
