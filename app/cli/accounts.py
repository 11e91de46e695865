"""`uprtc token ...` (API bearer tokens) and `uprtc user ...` (people who sign in on the web
pages)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from app.auth import service as auth_service
from app.auth.models import Role
from app.cli.common import _, fail, session_scope
from app.config import get_settings
from app.core.errors import DomainError

token_cli = typer.Typer(help="API bearer tokens", no_args_is_help=True)
user_cli = typer.Typer(help="Users who sign in on the web pages", no_args_is_help=True)


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
    typer.echo(issued.token)
    typer.echo(
        _("token %(token)s created for user %(user)s (%(role)s)")
        % {"token": issued.token_id, "user": issued.user_id, "role": role.value},
        err=True,
    )


@token_cli.command("list")
def token_list() -> None:
    """List tokens (never their secret): id, prefix, user, role, expiry, revoked."""
    with session_scope() as session:
        for t in auth_service.list_tokens(session):
            binding = t.user.state_iso3 or t.user.organization_id or ""
            revoked = (
                _("revoked %(date)s") % {"date": f"{t.revoked_at:%Y-%m-%d}"}
                if t.revoked_at
                else _("active")
            )
            expires = f"{t.expires_at:%Y-%m-%d}" if t.expires_at else _("never")
            typer.echo(
                f"{t.id}\t{t.prefix}…\t{t.user.name}\t{t.user.role.value}\t{binding}"
                f"\t{_('expires %(date)s') % {'date': expires}}\t{revoked}"
            )


@token_cli.command("revoke")
def token_revoke(token_id: int) -> None:
    """Revoke a token at once."""
    try:
        with session_scope() as session:
            auth_service.revoke_token(session, token_id)
    except DomainError as exc:
        fail(exc.detail)
    typer.echo(_("token %(token)s revoked") % {"token": token_id}, err=True)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password: str = typer.prompt(_("Password"), hide_input=True, confirmation_prompt=True)
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
    language: Annotated[
        str | None,
        typer.Option(help="Of their emails: ar, en, es, fr, ru or zh (default: at sign-in)"),
    ] = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Create a user who signs in on the web pages; asks for the password (typed twice)."""
    state_iso3 = state.upper() if state else None
    try:
        if language is not None:
            auth_service.check_language(language)
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
                language=language,
            )
    except DomainError as exc:
        fail(exc.detail)
    typer.echo(
        _("user %(user)s created: %(email)s (%(role)s)")
        % {"user": user.id, "email": user.email, "role": role.value},
        err=True,
    )


@user_cli.command("set-password")
def user_set_password(
    email: Annotated[str, typer.Option(help="The user's address")],
    password_stdin: PasswordStdin = False,
) -> None:
    """Set a user's password; their open web sessions end."""
    try:
        with session_scope() as session:
            if auth_service.get_user_by_email(session, email) is None:
                fail(_("no user with email %(email)r") % {"email": email.strip().lower()})
        password = _read_password(password_stdin)
        with session_scope() as session:
            user = auth_service.set_password(session, email, password)
    except DomainError as exc:
        fail(exc.detail)
    typer.echo(
        _("password set for user %(user)s (%(email)s)") % {"user": user.id, "email": user.email},
        err=True,
    )


def register(cli: typer.Typer) -> None:
    cli.add_typer(token_cli, name="token")
    cli.add_typer(user_cli, name="user")
