"""`uprtc import ...`: recommendations from UPR Info, UHRI and Working Group report texts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from app.cli.common import SYSTEM_IMPORTER, _, engine, fail, ngettext
from app.core.errors import DomainError
from app.db.session import create_session_factory
from app.imports.rows import ReportTextOptions
from app.imports.service import ImportSource, run_import
from app.imports.tagging import default_tagger
from app.imports.writer import ImportSummary
from app.recommendations.models import Position

import_cli = typer.Typer(
    help="Import recommendations (idempotent; safe to re-run)", no_args_is_help=True
)


def _run_import(
    source: ImportSource, path: Path, batch_size: int, report: ReportTextOptions | None = None
) -> None:
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn

    if not path.is_file():
        fail(_("no such file: %(path)s") % {"path": path})
    bound = engine()
    sessions = create_session_factory(bound)
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TextColumn("{task.fields[rows]} rows"),
        TimeElapsedColumn(),
    )
    try:
        with Progress(*columns, transient=True) as progress:
            task = progress.add_task(path.name, total=path.stat().st_size, rows=0)

            def on_progress(summary: ImportSummary, position: int) -> None:
                progress.update(task, completed=position, rows=summary.processed)

            run = run_import(
                sessions,
                source,
                path,
                actor=SYSTEM_IMPORTER,
                batch_size=batch_size,
                report=report,
                tagger=default_tagger(),
                on_progress=on_progress,
            )
    except DomainError as exc:
        fail(exc.detail)
    finally:
        bound.dispose()
    typer.echo(
        _(
            "import %(run)s of %(file)s: inserted %(inserted)s, updated %(updated)s, "
            "unchanged %(unchanged)s, rejected %(rejected)s, skipped %(skipped)s"
        )
        % {
            "run": run.id,
            "file": path.name,
            "inserted": run.inserted,
            "updated": run.updated,
            "unchanged": run.unchanged,
            "rejected": run.rejected,
            "skipped": run.skipped,
        }
    )
    for line in dropped_label_lines(run.dropped_labels):
        typer.echo(line)
    for error in run.errors[:50]:
        typer.echo(
            "  "
            + _("line %(line)s: %(reason)s") % {"line": error["line"], "reason": error["reason"]},
            err=True,
        )
    if (more := run.rejected - 50) > 0:
        typer.echo(
            "  "
            + ngettext(
                "... and %(num)s more rejected row", "... and %(num)s more rejected rows", more
            )
            % {"num": more},
            err=True,
        )


LISTED_LABELS = 20
FIELD_NAMES = {"theme": "theme", "group": "affected persons", "sdg": "SDG", "issue": "issue"}


def dropped_label_lines(report: dict[str, Any]) -> list[str]:
    """The run's dropped labels in words: which, in how many rows, the first rows' lines."""
    if not report.get("rows"):
        return []
    lines = [f"{_rows(report['rows'])} imported without the labels below, which give no code:"]
    for kind, title in (("unknown", "unknown"), ("no_counterpart", "no counterpart")):
        for tally in report[kind][:LISTED_LABELS]:
            where = ", ".join(str(n) for n in tally["lines"])
            more = ", ..." if tally["rows"] > len(tally["lines"]) else ""
            lines.append(
                f"  {title} {FIELD_NAMES.get(tally['field'], tally['field'])} "
                f"{tally['label']!r}: {_rows(tally['rows'])} "
                f"({'line' if tally['rows'] == 1 else 'lines'} {where}{more})"
            )
        if len(report[kind]) > LISTED_LABELS:
            lines.append(f"  ... and {len(report[kind]) - LISTED_LABELS} more {title} labels")
    if report.get("not_listed"):
        lines.append(f"  ... and {report['not_listed']} more labels, not listed")
    return lines


def _rows(count: int) -> str:
    return f"{count} row" if count == 1 else f"{count} rows"


BatchSize = Annotated[int, typer.Option(min=1, max=10_000, help="Rows per transaction")]


@import_cli.command("upr-info")
def import_upr_info(path: Path, batch_size: BatchSize = 1000) -> None:
    """A UPR Info database CSV (state names, Accepted/Noted, issues)."""
    _run_import(ImportSource.upr_info, path, batch_size)


@import_cli.command("uhri")
def import_uhri(path: Path, batch_size: BatchSize = 1000) -> None:
    """The OHCHR Universal Human Rights Index full export (.json or .xlsx)."""
    _run_import(ImportSource.uhri, path, batch_size)


@import_cli.command("report-text")
def import_report_text(
    path: Path,
    state: Annotated[str, typer.Option(help="ISO3 of the State under review")],
    session: Annotated[int, typer.Option(min=1, max=100, help="UPR Working Group session")],
    symbol: Annotated[str, typer.Option(help="Document symbol, e.g. A/HRC/52/9")],
    position: Annotated[Position, typer.Option(help="pending until the addendum")] = (
        Position.pending
    ),
    language: Annotated[
        str | None, typer.Option(help="Language of the text (default: read from it)")
    ] = None,
    batch_size: BatchSize = 1000,
) -> None:
    """Recommendations pasted from a Working Group report (numbered paragraphs)."""
    options = ReportTextOptions(
        state_iso3=state.upper(),
        session=session,
        document_symbol=symbol.strip(),
        position=position,
        language=language,
    )
    _run_import(ImportSource.report_text, path, batch_size, options)


def register(cli: typer.Typer) -> None:
    cli.add_typer(import_cli, name="import")
