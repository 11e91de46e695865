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
from app.config import get_settings
from app.core.errors import DomainError
from app.db.session import create_db_engine, create_session_factory

ROOT = Path(__file__).resolve().parents[1]

cli = typer.Typer(help="UPR technical cooperation repository", no_args_is_help=True)
db_cli = typer.Typer(help="Database schema (Alembic migrations)", no_args_is_help=True)
token_cli = typer.Typer(help="API bearer tokens", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
cli.add_typer(token_cli, name="token")


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
def seed() -> None:
    """Load reference data (countries, regions, vocabularies). Safe to re-run."""
    from app.reference.seed import load_reference_data

    with session_scope() as session:
        report = load_reference_data(session)
    typer.echo(f"seeded {report}", err=True)


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
