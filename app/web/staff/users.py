"""Accounts on a page: list users, create one, disable or enable it, create and revoke its API
tokens (a new token is shown once). Staff manage the accounts of States and providers;
administrators manage every account (`app.auth.admin`). Every change is audited."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from app.audit import service as audit
from app.auth import admin, web_sessions
from app.auth import service as auth_service
from app.auth.models import Role, User
from app.auth.principal import Principal
from app.core.errors import DomainError
from app.db.session import SessionDep
from app.organizations.models import Organization
from app.reference import repository as reference_repository
from app.reference.models import Country, UNStatus
from app.web import forms, labels
from app.web.errors import RefusedChange
from app.web.labels import N_
from app.web.listing import Cells, Column, Listing, by, state_name
from app.web.params import enum_value, text_value
from app.web.sessions import StaffPagePrincipal
from app.web.staff.common import flash, page, see_other
from app.web.tokens import TOKEN_DAYS, issue, revoke, token_days, token_list, user_snapshot

router = APIRouter()

PAGE_SIZE = 50
FIELD_MESSAGES = {
    "name": N_("Give the person's name, at most 200 characters."),
    "email": N_("Give a valid email address that no other account uses."),
    "role": N_("Choose a role from the list."),
    "state": N_("A State focal point needs their State, and only they have one."),
    "organization": N_("A provider needs their organization, and only they have one."),
    "password": N_(
        "A password has 12 to 1,024 characters; leave it empty for an account that uses API "
        "tokens only."
    ),
    "email_for_password": N_(
        "Give the email address to sign in with, or leave the password empty."
    ),
}
ACTIVE_FILTER = {"yes": N_("Enabled accounts"), "no": N_("Disabled accounts")}
_ORGANIZATION_NAME = select(Organization.name).where(Organization.id == User.organization_id)


def _user_for(user: User, cells: Cells) -> str:
    if user.state_iso3:
        return cells.state(user.state_iso3)
    return cells.organization(user.organization_id)


USERS: Listing[User] = Listing(
    "users",
    N_("Users"),
    [
        Column("name", N_("Name"), lambda u, _c: u.name, by(User.name)),
        Column("email", N_("Email address"), lambda u, _c: u.email, by(User.email)),
        Column("role", N_("Role"), lambda u, c: c.choice(labels.ROLE, u.role), by(User.role)),
        Column(
            "for",
            N_("For"),
            _user_for,
            lambda lang: [*state_name(User.state_iso3)(lang), _ORGANIZATION_NAME.scalar_subquery()],
        ),
        Column(
            "account",
            N_("Account"),
            lambda u, c: c._("Enabled") if u.is_active else c._("Disabled"),
            by(User.is_active),
        ),
    ],
    default="name",
    tiebreak=User.id,
    page_size=PAGE_SIZE,
)


def _choices(session: Session, principal: Principal) -> dict[str, Any]:
    return {
        "roles": admin.manageable_roles(principal),
        "country_options": list(
            session.scalars(reference_repository.countries_query(None, None, UNStatus.member))
        ),
        "organizations": list(session.scalars(select(Organization).order_by(Organization.name))),
    }


def _users_page(
    request: Request,
    session: Session,
    principal: Principal,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    params = request.query_params
    filters = admin.UserFilters(
        role=enum_value(Role, params.get("role")),
        active={"yes": True, "no": False}.get(params.get("active") or ""),
        q=text_value(params.get("q")),
    )
    shown = USERS.show(request, session, admin.users_query(filters))
    if isinstance(shown, Response):
        return shown
    items = shown.items
    context = {
        **shown.context(),
        "users": items,
        "tokens": admin.live_token_counts(session, [u.id for u in items]),
        "filters": filters,
        "active_filter": ACTIVE_FILTER,
        "countries": reference_repository.get_by_keys(
            session, Country, {u.state_iso3 for u in items if u.state_iso3}
        ),
        "errors": errors or {},
        "values": values or {},
        "messages": FIELD_MESSAGES,
        **_choices(session, principal),
    }
    context["organization_names"] = {o.id: o.name for o in context["organizations"]}
    return page(request, "staff/users.html", context, status_code=status_code)


@router.get("/users", name="web_staff_users")
def users(request: Request, session: SessionDep, principal: StaffPagePrincipal) -> Response:
    return _users_page(request, session, principal)


def _new_user(form: FormData, principal: Principal, errors: forms.FieldErrors) -> dict[str, Any]:
    name = forms.text(form, "name", 500)
    if not name or len(name) > 200:
        errors.add("name", FIELD_MESSAGES["name"])
    role = enum_value(Role, forms.text(form, "role", 20))
    if role is None or not admin.may_manage_role(principal, role):
        errors.add("role", FIELD_MESSAGES["role"])
    email = forms.text(form, "email", 400) or None
    password = forms.text(form, "password", 2000) or None
    if password and not email:
        errors.add("email", FIELD_MESSAGES["email_for_password"])
    organization = forms.text(form, "organization", 12)
    return {
        "name": name,
        "role": role,
        "state_iso3": forms.text(form, "state", 3).upper() or None,
        "organization_id": int(organization) if organization.isdigit() else None,
        "email": email,
        "password": password,
    }


@router.post("/users", name="web_staff_user_create")
def create_user(
    request: Request, session: SessionDep, principal: StaffPagePrincipal, form: forms.PostedForm
) -> Response:
    errors = forms.FieldErrors()
    fields = _new_user(form, principal, errors)
    values = {
        k: forms.text(form, k, 400) for k in ("name", "email", "role", "state", "organization")
    }
    user = None
    if not errors:
        try:
            user = auth_service.create_user(session, **fields)
        except DomainError as exc:
            for error in exc.errors or [{"field": "email"}]:
                field = str(error.get("field") or "email")
                errors.add(field, FIELD_MESSAGES.get(field, FIELD_MESSAGES["email"]))
    if errors or user is None:
        response = _users_page(
            request, session, principal, errors=dict(errors), values=values, status_code=422
        )
        raise RefusedChange(response)
    audit.write_entry(session, principal, "create", "user", user.id, None, user_snapshot(user))
    flash(request, "user_created", user=user.name)
    return see_other(str(request.app.url_path_for("web_staff_user", user_id=user.id)))


# --- one account ------------------------------------------------------------------------------
def _user_page(
    request: Request,
    session: Session,
    principal: Principal,
    user: User,
    new_token: str | None = None,
) -> Response:
    shown, rows = token_list(request, session, user.id)
    if isinstance(shown, Response):
        return shown
    context = {
        **shown.context(),
        "account": user,
        "may_manage": admin.may_manage_role(principal, user.role),
        "is_self": user.id == principal.user_id,
        "tokens": rows,
        "live_sessions": web_sessions.live_count(session, user.id),
        "new_token": new_token,
        "token_days": TOKEN_DAYS,
        "countries": reference_repository.get_by_keys(
            session, Country, {user.state_iso3} if user.state_iso3 else set()
        ),
        "organization": session.get(Organization, user.organization_id)
        if user.organization_id
        else None,
    }
    return page(request, "staff/user.html", context)


@router.get("/users/{user_id}", name="web_staff_user")
def user_page(
    request: Request, user_id: int, session: SessionDep, principal: StaffPagePrincipal
) -> Response:
    return _user_page(request, session, principal, admin.get_user(session, user_id))


@router.post("/users/{user_id}/active", name="web_staff_user_active")
def set_active(
    request: Request,
    user_id: int,
    session: SessionDep,
    principal: StaffPagePrincipal,
    form: forms.PostedForm,
) -> Response:
    """Disable (its sessions and tokens stop at once) or enable an account."""
    user = admin.get_user(session, user_id)
    active = forms.checked(form, "active")
    before = user_snapshot(user)
    admin.set_active(session, principal, user, active)
    action = "enable" if active else "disable"
    audit.write_entry(session, principal, action, "user", user.id, before, user_snapshot(user))
    flash(request, "user_enabled" if active else "user_disabled", user=user.name)
    return see_other(str(request.app.url_path_for("web_staff_user", user_id=user.id)))


@router.post("/users/{user_id}/sign-out", name="web_staff_user_sign_out")
def sign_out_everywhere(
    request: Request, user_id: int, session: SessionDep, principal: StaffPagePrincipal
) -> Response:
    """End every web session of the account (a lost laptop, a cookie that leaked)."""
    user = admin.get_user(session, user_id)
    ended = admin.sign_out_everywhere(session, principal, user)
    audit.write_entry(
        session, principal, "sign_out_everywhere", "user", user.id, None, {"sessions": ended}
    )
    flash(request, "sessions_ended", user=user.name, count=ended)
    return see_other(str(request.app.url_path_for("web_staff_user", user_id=user.id)))


@router.post("/users/{user_id}/tokens", name="web_staff_user_token_create")
def create_token(
    request: Request,
    user_id: int,
    session: SessionDep,
    principal: StaffPagePrincipal,
    form: forms.PostedForm,
) -> Response:
    """A new token for the account, shown once on the page this answers with."""
    user = admin.get_user(session, user_id)
    admin.check_may_manage(principal, user)
    issued = issue(session, principal, user, token_days(forms.text(form, "days", 5)))
    return _user_page(request, session, principal, user, new_token=issued.token)


@router.post("/users/{user_id}/tokens/{token_id}/revoke", name="web_staff_user_token_revoke")
def revoke_token(
    request: Request,
    user_id: int,
    token_id: int,
    session: SessionDep,
    principal: StaffPagePrincipal,
) -> Response:
    user = admin.get_user(session, user_id)
    admin.check_may_manage(principal, user)
    revoke(session, principal, admin.token_of(session, user.id, token_id))
    flash(request, "token_revoked", token=token_id)
    return see_other(str(request.app.url_path_for("web_staff_user", user_id=user.id)))
