"""`uprtc db ...`, `uprtc seed`, `uprtc backup` and `uprtc restore`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from alembic import command

from app.cli.common import engine, fail, require_set_up, session_scope
from app.core.errors import DomainError
from app.db.migrations import alembic_config

db_cli = typer.Typer(help="Database schema (Alembic migrations)", no_args_is_help=True)


@db_cli.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Apply migrations up to REVISION (default: the latest)."""
    command.upgrade(alembic_config(), revision)


@db_cli.command("downgrade")
def db_downgrade(revision: str) -> None:
    """Revert migrations down to REVISION ('base' empties the database)."""
    require_set_up()
    command.downgrade(alembic_config(), revision)


@db_cli.command("current")
def db_current() -> None:
    """Show the revision the database is at."""
    require_set_up()
    command.current(alembic_config())


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
        from app.cli.pairing import match
        from app.db.session import create_session_factory
        from app.demo.seed import load_demo_data

        bound = engine()
        try:
            demo_report = load_demo_data(create_session_factory(bound))
        finally:
            bound.dispose()
        typer.echo(f"demo data: {demo_report}", err=True)
        match(top_k=10)
        _demo_accounts()


def _demo_accounts() -> None:
    from app.config import get_settings
    from app.demo.accounts import ensure_demo_accounts

    if get_settings().environment != "development":
        typer.echo("demo accounts are made in development only (UPRTC_ENVIRONMENT)", err=True)
        return
    with session_scope() as session:
        accounts = ensure_demo_accounts(session)
    typer.echo("sign in at /login with a demo account (development only):", err=True)
    for account in accounts:
        note = "" if account.created else " (already there; password unchanged)"
        typer.echo(f"  {account.role.value:<9}{account.email}  {account.password}{note}", err=True)


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

    bound = engine()
    try:
        summary = write_backup(bound, output)
    except DomainError as exc:
        fail(exc.detail)
    finally:
        bound.dispose()
    typer.echo(str(summary.path))
    typer.echo(
        f"backup of {summary.rows} rows in {summary.tables} tables (schema revision "
        f"{summary.revision}) written to {summary.path}",
        err=True,
    )


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

    bound = engine()
    try:
        summary = restore_backup(bound, path, force=force)
    except DomainError as exc:
        fail(f"{exc.detail}\nnothing was restored")
    finally:
        bound.dispose()
    replaced = f", replacing {summary.removed} rows" if summary.removed else ""
    typer.echo(
        f"restored {summary.rows} rows in {summary.tables} tables (schema revision "
        f"{summary.revision}, backed up from {summary.source_dialect} on "
        f"{summary.created_at:%Y-%m-%d %H:%M} UTC){replaced}",
        err=True,
    )


def register(cli: typer.Typer) -> None:
    cli.add_typer(db_cli, name="db")
    cli.command()(seed)
    cli.command()(backup)
    cli.command()(restore)
