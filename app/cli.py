"""The `uprtc` command line: database, seed data, tokens, and the server."""

from __future__ import annotations

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

ROOT = Path(__file__).resolve().parents[1]
SYSTEM_IMPORTER = Principal(user_id=None, name="uprtc import (command line)", role=Role.admin)
SYSTEM_MATCHER = Principal(user_id=None, name="uprtc match (command line)", role=Role.admin)

cli = typer.Typer(help="UPR technical cooperation repository", no_args_is_help=True)
db_cli = typer.Typer(help="Database schema (Alembic migrations)", no_args_is_help=True)
token_cli = typer.Typer(help="API bearer tokens", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
cli.add_typer(token_cli, name="token")
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
    )


def main() -> None:
    cli()
