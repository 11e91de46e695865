"""The `uprtc` command line: database, seed data, tokens, users, and the server."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from alembic import command
from alembic.config import Config
from sqlalchemy.orm import Session

from app.auth import service as auth_service
from app.auth.models import Role
from app.auth.principal import Principal
from app.config import get_settings
from app.core.errors import DomainError
from app.db.session import create_db_engine, create_session_factory
from app.imports.records import ReportTextOptions
from app.imports.service import ImportSource, run_import
from app.imports.tagging import default_tagger
from app.imports.writer import ImportSummary
from app.recommendations.models import Position
from app.reports.schemas import ReportFormat

ROOT = Path(__file__).resolve().parents[1]
SYSTEM_IMPORTER = Principal(user_id=None, name="uprtc import (command line)", role=Role.admin)
SYSTEM_MATCHER = Principal(user_id=None, name="uprtc match (command line)", role=Role.admin)

cli = typer.Typer(help="UPR technical cooperation repository", no_args_is_help=True)
db_cli = typer.Typer(help="Database schema (Alembic migrations)", no_args_is_help=True)
token_cli = typer.Typer(help="API bearer tokens", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
cli.add_typer(token_cli, name="token")
user_cli = typer.Typer(help="Users who sign in on the web pages", no_args_is_help=True)
cli.add_typer(user_cli, name="user")
import_cli = typer.Typer(
    help="Import recommendations (idempotent; safe to re-run)", no_args_is_help=True
)
cli.add_typer(import_cli, name="import")


def alembic_config(database_url: str | None = None) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", database_url or get_settings().database_url)
    return config


@contextmanager
def session_scope() -> Iterator[Session]:
    """One transaction for one command: committed if it succeeds, rolled back otherwise."""
    engine = create_db_engine(get_settings().database_url)
    session = create_session_factory(engine)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
        engine.dispose()


def fail(message: str) -> None:
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    raise typer.Exit(code=2)


@db_cli.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Apply migrations up to REVISION (default: the latest)."""
    command.upgrade(alembic_config(), revision)


@db_cli.command("downgrade")
def db_downgrade(revision: str) -> None:
    """Revert migrations down to REVISION ('base' empties the database)."""
    command.downgrade(alembic_config(), revision)


@db_cli.command("current")
def db_current() -> None:
    """Show the revision the database is at."""
    command.current(alembic_config())


@cli.command()
def seed(
    demo: Annotated[
        bool, typer.Option(help="Also load demo data: real recommendations, invented offers")
    ] = False,
) -> None:
    """Load reference data (countries, regions, vocabularies). Safe to re-run."""
    from app.reference.seed import load_reference_data

    with session_scope() as session:
        report = load_reference_data(session)
    typer.echo(f"seeded {report}", err=True)
    if demo:
        from app.demo.seed import load_demo_data

        engine = create_db_engine(get_settings().database_url)
        try:
            demo_report = load_demo_data(create_session_factory(engine))
        finally:
            engine.dispose()
        typer.echo(f"demo data: {demo_report}", err=True)
        match(top_k=10)


@cli.command()
def match(
    top_k: Annotated[int, typer.Option(min=1, max=50, help="Suggestions kept per request")] = 10,
) -> None:
    """Run matching: score open requests against active offers, store suggestions for review."""
    from app.matching.schemas import MatchingRunCreate
    from app.matching.service import run

    with session_scope() as session:
        summary = run(session, SYSTEM_MATCHER, MatchingRunCreate(top_k=top_k))
    typer.echo(
        f"matching: {summary.requests} open requests x {summary.offers} active offers -> "
        f"{summary.created} new, {summary.updated} updated, {summary.unchanged} unchanged, "
        f"{summary.removed} removed suggestions; {len(summary.without_suggestion)} requests "
        f"without a suitable offer ({summary.seconds:.1f} s)",
        err=True,
    )


@token_cli.command("create")
def token_create(
    role: Annotated[Role, typer.Option(help="admin, staff, state or provider")],
    name: Annotated[str, typer.Option(help="Who the token is for")],
    state: Annotated[str | None, typer.Option(help="ISO3, for role 'state'")] = None,
    organization: Annotated[
        int | None, typer.Option(help="Organization id, for 'provider'")
    ] = None,
    expires_days: Annotated[
        int | None, typer.Option(help="Days until it expires (default from settings; 0: never)")
    ] = None,
) -> None:
    """Create a user and a token; print the token alone on standard output (shown once)."""
    ttl = get_settings().token_ttl_days if expires_days is None else expires_days
    try:
        with session_scope() as session:
            user = auth_service.create_user(
                session,
                name=name,
                role=role,
                state_iso3=state.upper() if state else None,
                organization_id=organization,
            )
            issued = auth_service.issue_token(session, user, ttl_days=ttl or None)
    except DomainError as exc:
        fail(exc.detail)
        return
    typer.echo(issued.token)
    typer.echo(
        f"token {issued.token_id} created for user {issued.user_id} ({role.value})", err=True
    )


@token_cli.command("list")
def token_list() -> None:
    """List tokens (never their secret): id, prefix, user, role, expiry, revoked."""
    with session_scope() as session:
        for t in auth_service.list_tokens(session):
            binding = t.user.state_iso3 or t.user.organization_id or ""
            revoked = f"revoked {t.revoked_at:%Y-%m-%d}" if t.revoked_at else "active"
            expires = f"{t.expires_at:%Y-%m-%d}" if t.expires_at else "never"
            typer.echo(
                f"{t.id}\t{t.prefix}…\t{t.user.name}\t{t.user.role.value}\t{binding}"
                f"\texpires {expires}\t{revoked}"
            )


@token_cli.command("revoke")
def token_revoke(token_id: int) -> None:
    """Revoke a token at once."""
    try:
        with session_scope() as session:
            auth_service.revoke_token(session, token_id)
    except DomainError as exc:
        fail(exc.detail)
    typer.echo(f"token {token_id} revoked", err=True)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from standard input")
]


@user_cli.command("create")
def user_create(
    email: Annotated[str, typer.Option(help="Signs in with this address")],
    name: Annotated[str, typer.Option(help="Full name")],
    role: Annotated[Role, typer.Option(help="admin, staff, state or provider")],
    state: Annotated[str | None, typer.Option(help="ISO3, for role 'state'")] = None,
    organization: Annotated[
        int | None,
        typer.Option("--organization-id", "--organization", help="Organization id, for 'provider'"),
    ] = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Create a user who signs in on the web pages; asks for the password (typed twice)."""
    state_iso3 = state.upper() if state else None
    try:
        with session_scope() as session:  # refuse a bad user before asking for a password
            auth_service.check_new_user(
                session,
                role=role,
                state_iso3=state_iso3,
                organization_id=organization,
                email=email,
            )
        password = _read_password(password_stdin)
        with session_scope() as session:
            user = auth_service.create_user(
                session,
                name=name,
                role=role,
                state_iso3=state_iso3,
                organization_id=organization,
                email=email,
                password=password,
            )
    except DomainError as exc:
        fail(exc.detail)
        return
    typer.echo(f"user {user.id} created: {user.email} ({role.value})", err=True)


@user_cli.command("set-password")
def user_set_password(
    email: Annotated[str, typer.Option(help="The user's address")],
    password_stdin: PasswordStdin = False,
) -> None:
    """Set a user's password; their open web sessions end."""
    try:
        with session_scope() as session:
            if auth_service.get_user_by_email(session, email) is None:
                fail(f"no user with email {email.strip().lower()!r}")
        password = _read_password(password_stdin)
        with session_scope() as session:
            user = auth_service.set_password(session, email, password)
    except DomainError as exc:
        fail(exc.detail)
        return
    typer.echo(f"password set for user {user.id} ({user.email})", err=True)


def _run_import(
    source: ImportSource, path: Path, batch_size: int, report: ReportTextOptions | None = None
) -> None:
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn

    if not path.is_file():
        fail(f"no such file: {path}")
    engine = create_db_engine(get_settings().database_url)
    sessions = create_session_factory(engine)
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
        return
    finally:
        engine.dispose()
    typer.echo(
        f"import {run.id} of {path.name}: inserted {run.inserted}, updated {run.updated}, "
        f"unchanged {run.unchanged}, rejected {run.rejected}, skipped {run.skipped}"
    )
    for error in run.errors[:50]:
        typer.echo(f"  line {error['line']}: {error['reason']}", err=True)
    if run.rejected > 50:
        typer.echo(f"  ... and {run.rejected - 50} more rejected rows", err=True)


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
    language: Annotated[str, typer.Option(help="Language of the text")] = "en",
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


report_cli = typer.Typer(help="Reports to the Human Rights Council", no_args_is_help=True)
cli.add_typer(report_cli, name="report")


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
) -> None:
    """The annual report: the same figures in every format (see README, "Annual report")."""
    from app.reports.render import check_choice, render
    from app.reports.service import build_annual_report

    try:
        check_choice(fmt, table)
        with session_scope() as session:
            report = build_annual_report(session, year)
        rendered = render(report, fmt, table)
    except DomainError as exc:
        fail(exc.detail)
        return
    if output == "-":
        if not rendered.is_text:
            fail(f"{rendered.filename} is binary: give --output a file name")
        stdout = typer.get_binary_stream("stdout")
        stdout.write(rendered.content)
        stdout.flush()
        return
    path = Path(output or rendered.filename)
    path.write_bytes(rendered.content)
    typer.echo(
        f"annual report {year} ({fmt.value}, {len(report.tables)} tables) written to {path}",
        err=True,
    )


@cli.command()
def backup(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="File to write (default: uprtc-backup-<UTC time>.zip here)"
        ),
    ] = None,
) -> None:
    """Write a portable backup of the whole database (see README, "Backup and restore")."""
    from app.backup.service import write_backup

    engine = create_db_engine(get_settings().database_url)
    try:
        summary = write_backup(engine, output)
    except DomainError as exc:
        fail(exc.detail)
        return
    finally:
        engine.dispose()
    typer.echo(str(summary.path))
    typer.echo(
        f"backup of {summary.rows} rows in {summary.tables} tables (schema revision "
        f"{summary.revision}) written to {summary.path}",
        err=True,
    )


@cli.command()
def restore(
    path: Path,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Replace everything in a database that is not empty (the audit log too)",
        ),
    ] = False,
) -> None:
    """Restore a backup into a freshly migrated database; all or nothing."""
    from app.backup.service import restore_backup

    engine = create_db_engine(get_settings().database_url)
    try:
        summary = restore_backup(engine, path, force=force)
    except DomainError as exc:
        fail(f"{exc.detail}\nnothing was restored")
        return
    finally:
        engine.dispose()
    replaced = f", replacing {summary.removed} rows" if summary.removed else ""
    typer.echo(
        f"restored {summary.rows} rows in {summary.tables} tables (schema revision "
        f"{summary.revision}, backed up from {summary.source_dialect} on "
        f"{summary.created_at:%Y-%m-%d %H:%M} UTC){replaced}",
        err=True,
    )


@cli.command()
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    reload: bool = False,
) -> None:
    """Serve the API with uvicorn (OpenAPI docs at /docs)."""
    import uvicorn

    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        # Our JSON logging (app.core.observability) instead of uvicorn's; on SIGTERM, finish
        # the requests in flight (up to 30 s) before stopping.
        log_config=None,
        timeout_graceful_shutdown=30,
    )


def main() -> None:
    cli()
