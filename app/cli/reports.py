"""`uprtc report annual`: the annual report to the Human Rights Council, in any format."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from app.cli.common import _, cli_language, fail, session_scope
from app.core.errors import DomainError
from app.reports.schemas import ReportFormat

report_cli = typer.Typer(help="Reports to the Human Rights Council", no_args_is_help=True)


@report_cli.command("annual")
def report_annual(
    year: Annotated[int, typer.Option(min=2008, max=2100, help="Calendar year reported")],
    fmt: Annotated[
        ReportFormat, typer.Option("--format", help="json, csv, xlsx, html or pdf")
    ] = ReportFormat.json,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write (default: annual-report-YEAR.EXT here); '-': standard output, "
            "for json, html and csv with --table",
        ),
    ] = None,
    table: Annotated[
        str | None, typer.Option(help="With --format csv: only this table (default: a ZIP)")
    ] = None,
    language: Annotated[
        str | None,
        typer.Option(
            "--language",
            help="ar, zh, en, fr, ru or es: the report's language (default: the messages')",
        ),
    ] = None,
) -> None:
    """The annual report: the same figures in every format (see README, "Annual report")."""
    from app.reports.render import check_choice, render
    from app.reports.service import build_annual_report

    try:
        check_choice(fmt, table)
        with session_scope() as session:
            report = build_annual_report(session, year, language=language or cli_language())
        rendered = render(report, fmt, table)
    except DomainError as exc:
        fail(exc.detail)
    if output == "-":
        if not rendered.is_text:
            fail(_("%(file)s is binary: give --output a file name") % {"file": rendered.filename})
        stdout = typer.get_binary_stream("stdout")
        stdout.write(rendered.content)
        stdout.flush()
        return
    path = Path(output or rendered.filename)
    path.write_bytes(rendered.content)
    typer.echo(
        _("annual report %(year)s (%(format)s, %(tables)s tables) written to %(path)s")
        % {"year": year, "format": fmt.value, "tables": len(report.tables), "path": path},
        err=True,
    )


def register(cli: typer.Typer) -> None:
    cli.add_typer(report_cli, name="report")
