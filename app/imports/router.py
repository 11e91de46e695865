"""Staff upload a file to import; the same importers as `uprtc import`."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile, status
from sqlalchemy import select

from app.auth.dependencies import StaffPrincipal
from app.core.errors import InvalidInput, NotFound
from app.core.pagination import Pagination, paginate
from app.core.schemas import Page
from app.db.session import SessionDep
from app.imports.liveness import reconcile
from app.imports.models import ImportRun
from app.imports.rows import ReportTextOptions
from app.imports.schemas import ImportRunRead
from app.imports.service import ImportSource, run_import
from app.imports.tagging import default_tagger
from app.recommendations.models import Position

router = APIRouter(prefix="/imports", tags=["imports"])

SUFFIXES = {
    ImportSource.upr_info: {".csv"},
    ImportSource.uhri: {".json", ".xlsx"},
    ImportSource.report_text: {".txt"},
}


@router.post("/{source}", response_model=ImportRunRead, status_code=status.HTTP_201_CREATED)
def upload(
    actor: StaffPrincipal,
    source: ImportSource,
    request: Request,
    file: Annotated[UploadFile, File(description="The file to import")],
    state: Annotated[str | None, Form(max_length=3)] = None,
    session: Annotated[int | None, Form(ge=1, le=100)] = None,
    document_symbol: Annotated[str | None, Form(max_length=60)] = None,
    position: Annotated[Position, Form()] = Position.pending,
    language: Annotated[
        str | None, Form(max_length=10, description="Report text: its language (default: read)")
    ] = None,
) -> ImportRunRead:
    """Import a file (UPR Info CSV; UHRI export as .json or .xlsx; report text as .txt).
    Re-importing the same file changes nothing; bad rows are listed in `errors`."""
    filename = file.filename or "upload"
    suffix = Path(filename).suffix.lower()
    if suffix not in SUFFIXES[source]:
        allowed = ", ".join(sorted(SUFFIXES[source]))
        raise InvalidInput(f"a {source.value} import takes {allowed} files", field="file")
    report = _report_options(source, state, session, document_symbol, position, language)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"upload{suffix}"
        with path.open("wb") as target:
            shutil.copyfileobj(file.file, target)
        run = run_import(
            request.app.state.session_factory,
            source,
            path,
            actor=actor,
            filename=filename,
            report=report,
            tagger=default_tagger(),
        )
    return ImportRunRead.model_validate(run)


def _report_options(
    source: ImportSource,
    state: str | None,
    session: int | None,
    symbol: str | None,
    position: Position,
    language: str | None,
) -> ReportTextOptions | None:
    if source != ImportSource.report_text:
        return None
    if not state:
        raise InvalidInput("report text needs the State under review", field="state")
    if not session:
        raise InvalidInput("report text needs the UPR session", field="session")
    if not symbol:
        raise InvalidInput("report text needs the document symbol", field="document_symbol")
    return ReportTextOptions(
        state_iso3=state.upper(),
        session=session,
        document_symbol=symbol.strip(),
        position=position,
        language=language,
    )


@router.get("", response_model=Page[ImportRunRead])
def list_runs(
    _actor: StaffPrincipal, request: Request, db: SessionDep, page: Pagination
) -> Page[ImportRunRead]:
    """Past runs, latest first. A run whose process was killed says so (failed, "interrupted")
    rather than "running" for ever."""
    reconcile(request.app.state.session_factory)
    items, total = paginate(db, select(ImportRun).order_by(ImportRun.id.desc()), page)
    return Page(
        items=[ImportRunRead.model_validate(r) for r in items],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.get("/{run_id}", response_model=ImportRunRead)
def get_run(_actor: StaffPrincipal, request: Request, run_id: int, db: SessionDep) -> ImportRunRead:
    reconcile(request.app.state.session_factory)
    run = db.get(ImportRun, run_id)
    if run is None:
        raise NotFound(f"no import run with id {run_id}")
    return ImportRunRead.model_validate(run)
