"""API tokens on the pages: any signed-in user makes and revokes their own (/account/tokens);
staff do the same for the accounts they manage (app/web/staff/users.py uses the helpers here).

A new token is shown once, in the answer to the form that made it: never in a redirect, the
session cookie (signed, not encrypted) or a log; only its SHA-256 digest is stored. Every
change is written to the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import and_, case
from sqlalchemy.orm import Session

from app.audit import service as audit
from app.auth import admin
from app.auth import service as auth_service
from app.auth.models import ApiToken, Role, User
from app.auth.principal import Principal
from app.db.base import utcnow
from app.db.session import SessionDep
from app.web import forms
from app.web.labels import N_
from app.web.listing import Cells, Column, Listing, Orderable, Shown, by
from app.web.params import int_value
from app.web.security import verify_csrf
from app.web.sessions import require_page_roles
from app.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])
# Any signed-in user, whatever their role.
SignedInPrincipal = Annotated[Principal, Depends(require_page_roles(*Role))]

TOKEN_DAYS = (30, 90, 365)


def user_snapshot(user: User) -> dict[str, Any]:
    """What the audit log keeps of an account (never a password hash)."""
    return {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "role": user.role.value,
        "state": user.state_iso3,
        "organization_id": user.organization_id,
        "is_active": user.is_active,
    }


def token_snapshot(token: ApiToken) -> dict[str, Any]:
    """What the audit log keeps of a token (never the token or its digest)."""
    return {
        "id": token.id,
        "user_id": token.user_id,
        "prefix": token.prefix,
        "expires_at": token.expires_at.isoformat() if token.expires_at else None,
        "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
    }


def token_days(value: str) -> int:
    """The lifetime chosen on the form (the longest when the value makes no sense)."""
    days = int_value(value, 1, 365)
    return days if days is not None and days in TOKEN_DAYS else TOKEN_DAYS[-1]


def issue(session: Session, actor: Principal, user: User, days: int) -> auth_service.IssuedToken:
    issued = auth_service.issue_token(session, user, ttl_days=days)
    token = session.get_one(ApiToken, issued.token_id)
    audit.write_entry(session, actor, "create", "api_token", token.id, None, token_snapshot(token))
    return issued


def revoke(session: Session, actor: Principal, token: ApiToken) -> None:
    if token.revoked_at is not None:
        return
    before = token_snapshot(token)
    token.revoked_at = utcnow()
    session.flush()
    audit.write_entry(
        session, actor, "revoke", "api_token", token.id, before, token_snapshot(token)
    )


def token_state(token: ApiToken, now: datetime) -> str:
    """active, expired or revoked."""
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at is not None and token.expires_at <= now:
        return "expired"
    return "active"


def token_rows(tokens: list[ApiToken]) -> list[dict[str, Any]]:
    """Tokens with what the page says of them: active, expired or revoked."""
    now = utcnow()
    return [{"token": token, "state": token_state(token, now)} for token in tokens]


TOKEN_STATES = {"active": N_("Active"), "expired": N_("Expired"), "revoked": N_("Revoked")}


def _state_order(_lang: str) -> list[Orderable]:
    """Active, then expired, then revoked (as of now)."""
    now = utcnow()
    expired = and_(ApiToken.expires_at.is_not(None), ApiToken.expires_at <= now)
    return [case((ApiToken.revoked_at.is_not(None), 2), (expired, 1), else_=0)]


def _state_cell(token: ApiToken, cells: Cells) -> str:
    return cells.choice(TOKEN_STATES, token_state(token, utcnow()))


# A token's list and export show its first characters only: never the token (it is not
# stored) nor its digest.
TOKENS: Listing[ApiToken] = Listing(
    "api-tokens",
    N_("API tokens"),
    [
        Column("token", N_("Token"), lambda t, _c: f"{t.prefix}…", by(ApiToken.prefix)),
        Column("created", N_("Created"), lambda t, _c: t.created_at, by(ApiToken.created_at)),
        Column("expires", N_("Expires"), lambda t, _c: t.expires_at, by(ApiToken.expires_at)),
        Column("used", N_("Last used"), lambda t, _c: t.last_used_at, by(ApiToken.last_used_at)),
        Column("state", N_("State"), _state_cell, _state_order),
    ],
    default="-created",
    tiebreak=ApiToken.id,
)


def token_list(
    request: Request, session: Session, user_id: int
) -> tuple[Shown[ApiToken] | Response, list[dict[str, Any]]]:
    """One user's tokens as the page asks for them (order, page), or their export; with the
    page's rows."""
    shown = TOKENS.show(request, session, admin.tokens_query(user_id))
    if isinstance(shown, Response):
        return shown, []
    return shown, token_rows(shown.items)


# --- a user's own tokens ------------------------------------------------------------------------
def _own_page(
    request: Request, session: Session, principal: Principal, new_token: str | None = None
) -> Response:
    assert principal.user_id is not None  # noqa: S101 - signed in (require_page_roles)
    shown, rows = token_list(request, session, principal.user_id)
    if isinstance(shown, Response):
        return shown
    context = {
        **shown.context(),
        "tokens": rows,
        "new_token": new_token,
        "token_days": TOKEN_DAYS,
    }
    return render(request, "account/tokens.html", context)


@router.get("/account/tokens", name="web_account_tokens")
def own_tokens(request: Request, session: SessionDep, principal: SignedInPrincipal) -> Response:
    return _own_page(request, session, principal)


@router.post("/account/tokens", name="web_account_token_create")
def create_own_token(
    request: Request,
    session: SessionDep,
    form: forms.PostedForm,
    principal: SignedInPrincipal,
) -> Response:
    user = admin.get_user(session, principal.user_id or 0)
    issued = issue(session, principal, user, token_days(forms.text(form, "days", 5)))
    return _own_page(request, session, principal, new_token=issued.token)


@router.post("/account/tokens/{token_id}/revoke", name="web_account_token_revoke")
def revoke_own_token(
    request: Request,
    token_id: int,
    session: SessionDep,
    principal: SignedInPrincipal,
) -> Response:
    revoke(session, principal, admin.token_of(session, principal.user_id or 0, token_id))
    return RedirectResponse(request.app.url_path_for("web_account_tokens"), status_code=303)
