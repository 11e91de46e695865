"""Imports on a page: upload a file for each source, follow the run as it goes (htmx asks for
the run's state every second while it runs), and read its report with the rejected rows and
why. The same importers as `uprtc import` and POST /api/v1/imports/{source}.

The upload is checked as a whole first, while the browser waits (a truncated or mis-encoded file
is said next to the file field, nothing written); the rows are then written in a thread of the
serving process, batch by batch, each batch committed with the run's counts, so that the run's
page shows them as they grow. Should the process stop midway, the run is marked interrupted
(`app.imports.liveness`) and importing the same file again completes it."""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from starlette.datastructures import FormData, UploadFile

from app.auth.principal import Principal
from app.core.errors import DomainError, NotFound
from app.db.session import SessionDep
from app.imports.liveness import reconcile
from app.imports.models import ImportRun, ImportStatus
from app.imports.rows import ReportTextOptions
from app.imports.service import ImportSource, run_import
from app.imports.tagging import default_tagger
from app.recommendations.models import Position
from app.reference import repository as reference_repository
from app.reference.models import Country, Language
from app.web import forms
from app.web.labels import N_
from app.web.listing import Column, Listing, by
from app.web.sessions import StaffPagePrincipal
from app.web.staff.common import IMPORT_SOURCE, IMPORT_STATUS, page, see_other

logger = logging.getLogger(__name__)
router = APIRouter()

RECENT_RUNS = 20
START_TIMEOUT_SECONDS = 600  # the whole-file check of the largest upload, on a busy machine
POLL_SECONDS = 2
# source -> (title, what file it takes, the file extensions it accepts)
SOURCES = {
    source: (IMPORT_SOURCE[source.value], hint, suffixes)
    for source, hint, suffixes in (
        (ImportSource.upr_info, N_("A CSV file from the UPR Info database."), (".csv",)),
        (ImportSource.uhri, N_("A UHRI export, as JSON or XLSX."), (".json", ".xlsx")),
        (
            ImportSource.report_text,
            N_("The recommendations section of a report, pasted into a plain text file."),
            (".txt",),
        ),
    )
}
LANGUAGES = ("en", "fr", "es", "ru", "ar", "zh")
REPORT_FIELDS = ("state", "session", "document_symbol", "position", "language")


RUNS: Listing[ImportRun] = Listing(
    "imports",
    N_("Recent imports"),
    [
        Column("run", N_("Import"), lambda r, _c: r.id, by(ImportRun.id)),
        Column(
            "source",
            N_("Source"),
            lambda r, c: c.choice(IMPORT_SOURCE, r.source),
            by(ImportRun.source),
        ),
        Column("file", N_("File"), lambda r, _c: r.filename, by(ImportRun.filename)),
        Column("started", N_("Started"), lambda r, _c: r.started_at, by(ImportRun.started_at)),
        Column("finished", N_("Finished"), lambda r, _c: r.finished_at),
        Column("by", N_("By"), lambda r, _c: r.actor_name, by(ImportRun.actor_name)),
        Column(
            "status",
            N_("Status"),
            lambda r, c: c.choice(IMPORT_STATUS, r.status),
            by(ImportRun.status),
        ),
        Column("inserted", N_("Inserted"), lambda r, _c: r.inserted, by(ImportRun.inserted)),
        Column("updated", N_("Updated"), lambda r, _c: r.updated),
        Column("unchanged", N_("Unchanged"), lambda r, _c: r.unchanged),
        Column("rejected", N_("Rejected"), lambda r, _c: r.rejected, by(ImportRun.rejected)),
        Column("skipped", N_("Skipped"), lambda r, _c: r.skipped),
    ],
    default="-run",
    tiebreak=ImportRun.id,
    page_size=RECENT_RUNS,
)


# --- runs in the background -----------------------------------------------------------------
@dataclass
class _Start:
    """What the request that uploaded waits for: the run's id, or why the file was refused."""

    done: threading.Event = field(default_factory=threading.Event)
    run_id: int | None = None
    refused: str | None = None


# run id -> (bytes read, bytes in the file), for runs of this process; the counts are in the
# database, this adds how far through the file a run is.
PROGRESS: dict[int, tuple[int, int]] = {}


def _start(
    sessions: sessionmaker[Session],
    source: ImportSource,
    folder: Path,
    path: Path,
    *,
    actor: Principal,
    filename: str,
    report: ReportTextOptions | None,
) -> _Start:
    size = path.stat().st_size
    start = _Start()

    def started(run_id: int) -> None:
        start.run_id = run_id
        PROGRESS[run_id] = (0, size)
        start.done.set()

    def progress(_summary: object, read: int) -> None:
        if start.run_id is not None:
            PROGRESS[start.run_id] = (read, size)

    def work() -> None:
        try:
            run_import(
                sessions,
                source,
                path,
                actor=actor,
                filename=filename,
                report=report,
                tagger=default_tagger(),
                on_progress=progress,
                on_start=started,
            )
        except DomainError as exc:
            start.refused = exc.detail
        except Exception:  # the run records its failure; the log says the rest
            logger.exception("import %s of %s failed", source.value, filename)
            start.refused = "the import failed; the log says why"
        finally:
            if start.run_id is not None:
                PROGRESS.pop(start.run_id, None)
            shutil.rmtree(folder, ignore_errors=True)
            start.done.set()

    threading.Thread(target=work, name=f"import-{source.value}", daemon=True).start()
    start.done.wait(START_TIMEOUT_SECONDS)
    return start


# --- the form -------------------------------------------------------------------------------
def _imports_page(
    request: Request,
    session: Session,
    *,
    source: ImportSource | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    refusal: str | None = None,
    status_code: int = 200,
) -> Response:
    reconcile(request.app.state.session_factory)
    shown = RUNS.show(request, session, select(ImportRun))
    if isinstance(shown, Response):
        return shown
    languages = reference_repository.get_by_keys(session, Language, LANGUAGES)
    context: dict[str, Any] = {
        **shown.context(),
        "sources": SOURCES,
        "runs": shown.items,
        "failed_source": source,
        "errors": errors or {},
        "values": values or {},
        "refusal": refusal,
        "positions": list(Position),
        "languages": [(code, languages.get(code)) for code in LANGUAGES],
    }
    return page(request, "staff/imports.html", context, status_code=status_code)


@router.get("/imports", name="web_staff_imports")
def imports(request: Request, session: SessionDep, principal: StaffPagePrincipal) -> Response:
    return _imports_page(request, session)


def _report_options(
    session: Session, form: FormData, errors: forms.FieldErrors
) -> ReportTextOptions | None:
    state = forms.text(form, "state", 3).upper()
    if not state or session.get(Country, state) is None:
        errors.add("state", N_("Give the ISO code of the State under review, e.g. KAZ."))
    number = forms.parse_int(form, "session", errors, 1, 100)
    if number is None and "session" not in errors:
        errors.add("session", N_("Give the number of the UPR session (1 to 100)."))
    symbol = forms.text(form, "document_symbol", 60)
    if not symbol:
        errors.add("document_symbol", N_("Give the report's document symbol, e.g. A/HRC/56/9."))
    position = forms.text(form, "position", 20) or Position.pending.value
    if position not in {p.value for p in Position}:
        errors.add("position", N_("Choose a position from the list."))
    language = forms.text(form, "language", 10) or None  # None: read from the text
    if language is not None and language not in LANGUAGES:
        errors.add("language", N_("Choose a language from the list."))
    if errors or number is None:
        return None
    return ReportTextOptions(
        state_iso3=state,
        session=number,
        document_symbol=symbol,
        position=Position(position),
        language=language,
    )


@router.post("/imports/{source}", name="web_staff_import_upload")
def upload(
    request: Request,
    source: str,
    session: SessionDep,
    principal: StaffPagePrincipal,
    form: forms.PostedForm,
) -> Response:
    """Check the file, start the run, and go to its page (or say why the file was refused)."""
    try:
        chosen = ImportSource(source)
    except ValueError as exc:
        raise NotFound(f"no import source {source!r}") from exc
    errors = forms.FieldErrors()
    report = _report_options(session, form, errors) if chosen == ImportSource.report_text else None
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        errors.add("file", N_("Choose the file to import."))
    elif Path(upload.filename).suffix.lower() not in SOURCES[chosen][2]:
        errors.add("file", N_("This source takes other kinds of file: see the extensions above."))
    if errors or not isinstance(upload, UploadFile):
        values = {name: forms.text(form, name, 60) for name in REPORT_FIELDS}
        return _imports_page(
            request, session, source=chosen, errors=dict(errors), values=values, status_code=422
        )
    filename = upload.filename or "upload"
    folder = Path(tempfile.mkdtemp(prefix="uprtc-upload-"))
    path = folder / f"upload{Path(filename).suffix.lower()}"
    with path.open("wb") as target:
        shutil.copyfileobj(upload.file, target)
    sessions: sessionmaker[Session] = request.app.state.session_factory
    start = _start(
        sessions, chosen, folder, path, actor=principal, filename=filename, report=report
    )
    if start.run_id is None:
        return _imports_page(
            request,
            session,
            source=chosen,
            errors={"file": N_("The file was refused as a whole; nothing was imported.")},
            refusal=start.refused or "the import did not start in time",
            status_code=422,
        )
    return see_other(str(request.app.url_path_for("web_staff_import_run", run_id=start.run_id)))


# --- one run ----------------------------------------------------------------------------------
@router.get("/imports/{run_id}", name="web_staff_import_run")
def import_run(
    request: Request, run_id: int, session: SessionDep, principal: StaffPagePrincipal
) -> Response:
    reconcile(request.app.state.session_factory)
    run = session.get(ImportRun, run_id)
    if run is None:
        raise NotFound(f"no import run with id {run_id}")
    read, size = PROGRESS.get(run.id, (0, 0))
    context = {
        "run": run,
        "running": run.status == ImportStatus.running,
        "percent": round(100 * read / size) if size else None,
        "poll_seconds": POLL_SECONDS,
        "sources": SOURCES,
    }
    if request.headers.get("HX-Request") == "true" and request.headers.get("HX-Target") == "run":
        return page(request, "staff/_import_run.html", context)
    return page(request, "staff/import_run.html", context)
