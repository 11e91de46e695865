"""Run an import: check the file as a whole, then write it batch by batch, and keep a record
of the run. This is the one place besides the request-scoped session that commits: an import
is a batch job whose batches must each be durable on their own."""

from __future__ import annotations

import codecs
import csv
import enum
import zipfile
import zlib
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
from app.imports.errors import BadFile
from app.imports.models import ImportRun, ImportStatus
from app.imports.report_import import read_report_text
from app.imports.rows import ParsedRow, ReportTextOptions
from app.imports.uhri import json_reason, read_uhri_json, read_uhri_xlsx, xlsx_rows
from app.imports.upr_info import read_upr_info
from app.imports.vocabulary import ImportVocabulary
from app.imports.writer import ImportSummary, Tagger, write_all
from app.reference.models import Country


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
    on_start: Callable[[int], None] | None = None,
) -> ImportRun:
    """Import `path`; a file that cannot be read as a whole raises InvalidInput, writing nothing.
    `on_start` hears the run's id once its row is committed (a page can then follow it)."""
    check_whole_file(source, path)
    liveness.reconcile(sessions)  # runs a killed process left "running"
    with sessions() as session:
        if report is not None:
            check_report_options(session, report)
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
            if on_start is not None:
                on_start(run_id)
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


def check_report_options(session: Session, report: ReportTextOptions) -> None:
    """What report text needs besides the file, checked before a run is recorded: a State
    under review that exists (its recommendations refer to it)."""
    if session.get(Country, report.state_iso3) is None:
        raise InvalidInput(
            f"unknown State {report.state_iso3!r}: give the ISO 3166 alpha-3 code of the State "
            "under review (such as KAZ)",
            field="state",
        )


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
            run.dropped_labels = summary.labels.as_json()
        session.commit()
        session.refresh(run)
        session.expunge(run)
        return run


def check_whole_file(source: ImportSource, path: Path) -> None:
    """Refuse a truncated, mis-encoded, malformed or malicious file before anything is written:
    the file is read to its end once (parsed, not stored), and each failure names the file and,
    where it can, the line or row."""
    try:
        if source == ImportSource.uhri and path.suffix.lower() == ".xlsx":
            _check_xlsx(path)
            return
        _check_not_utf16(path)
        if source == ImportSource.uhri:
            _check_json(path)
        else:
            _check_utf8(path)
            if source == ImportSource.upr_info:
                _check_csv(path)
    except NotUtf8 as exc:
        raise InvalidInput(
            f"{path.name} is not UTF-8 text ({exc}): save it as UTF-8", field="file"
        ) from exc
    except BadFile as exc:
        raise InvalidInput(f"{path.name} cannot be read as a whole: {exc}", field="file") from exc


class NotUtf8(ValueError):
    """The file is text in another encoding (Latin-1, UTF-16...) or binary data."""


def _check_not_utf16(path: Path) -> None:
    with path.open("rb") as stream:
        start = stream.read(4)
    if start.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise NotUtf8("it is UTF-32 text")
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise NotUtf8("it is UTF-16 text")


def _check_utf8(path: Path) -> None:
    """Line by line, so that the message names the line (a leading byte-order mark is fine)."""
    offset = 0
    with path.open("rb") as stream:
        for number, raw in enumerate(stream, start=1):
            try:
                raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise NotUtf8(f"line {number}, byte {offset + exc.start + 1}") from exc
            offset += len(raw)


def _check_csv(path: Path) -> None:
    with path.open(encoding="utf-8-sig", newline="") as text:
        reader = csv.reader(text, strict=True)
        header: list[str] | None = None
        last: list[str] = []
        try:
            header = next(reader, None)
            for row in reader:
                last = row
        except csv.Error as exc:
            reason = str(exc)
            if "unexpected end of data" in reason:
                reason = "the file ends inside a quoted field: it looks truncated"
            raise BadFile(f"line {reader.line_num}: {reason}") from exc
    if header is None:
        raise BadFile("the file is empty")
    if last and len(last) < len(header):
        raise BadFile(
            f"line {reader.line_num}: the last row has {len(last)} of the {len(header)} "
            "columns: the file looks truncated"
        )


def open_json(path: Path) -> IO[bytes]:
    """The file, past a UTF-8 byte-order mark if it has one (the JSON parser refuses it)."""
    stream = path.open("rb")
    if stream.read(len(codecs.BOM_UTF8)) != codecs.BOM_UTF8:
        stream.seek(0)
    return stream


def _check_json(path: Path) -> None:
    with open_json(path) as stream:
        events = ijson.parse(stream)
        try:
            first = next(events, None)
            if first is None:
                raise BadFile("the file is empty")
            if first[1] != "start_array":
                raise BadFile("not a UHRI export: expected a JSON array of records")
            for _ in events:
                pass
        except ijson.JSONError as exc:
            raise BadFile(json_reason(exc)) from exc


# An XLSX is a zip of XML files, which compress 5-30 times; a zip bomb, about 1,000 times.
MAX_XLSX_UNPACKED = 1 << 30
MAX_XLSX_RATIO = 200
_SMALL_MEMBER = 1 << 20


def _check_xlsx(path: Path) -> None:
    if not zipfile.is_zipfile(path):
        raise BadFile("not an XLSX file (truncated or another format)")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            unpacked = sum(m.file_size for m in members)
            if unpacked > MAX_XLSX_UNPACKED:
                raise BadFile(
                    f"the XLSX unpacks to {unpacked:,} bytes, more than {MAX_XLSX_UNPACKED:,} "
                    "(a zip bomb?)"
                )
            for member in members:
                ratio = member.file_size / max(1, member.compress_size)
                if member.file_size > _SMALL_MEMBER and ratio > MAX_XLSX_RATIO:
                    raise BadFile(
                        f"XLSX member {member.filename} unpacks to {member.file_size:,} bytes, "
                        f"{ratio:,.0f} times its packed size (a zip bomb?)"
                    )
            broken = archive.testzip()
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError) as exc:
        raise BadFile(f"damaged XLSX file: {exc}") from exc
    if broken is not None:
        raise BadFile(f"damaged XLSX member {broken}")
    for _ in xlsx_rows(str(path)):  # every cell parsed: a broken sheet is refused up front
        pass


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
        binary: IO[bytes] = stack.enter_context(open_json(path))
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
