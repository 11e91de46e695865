"""Demo accounts for `uprtc seed --demo` in development: one person per role, so that a
newcomer can sign in on the pages at once. Never made outside development: their passwords
are printed and written in the README."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth import service as auth_service
from app.auth.models import Role
from app.organizations.models import Organization

DEMO_STATE = "KAZ"  # the demo data's requests include Kazakhstan's
DEMO_PROVIDER = "[Demo] OHCHR Regional Office for Central Asia"


@dataclass(frozen=True)
class DemoAccount:
    role: Role
    email: str
    password: str
    created: bool


def demo_credentials(role: Role) -> tuple[str, str]:
    return f"{role.value}@demo.example", f"uprtc-demo-{role.value}"


def ensure_demo_accounts(session: Session) -> list[DemoAccount]:
    """One account per role (admin, staff, the demo State, the demo provider); an account that
    already exists keeps its password."""
    provider_id = session.scalar(select(Organization.id).where(Organization.name == DEMO_PROVIDER))
    accounts = []
    for role in (Role.admin, Role.staff, Role.state, Role.provider):
        email, password = demo_credentials(role)
        created = auth_service.get_user_by_email(session, email) is None
        if created:
            auth_service.create_user(
                session,
                name=f"Demo {role.value}",
                role=role,
                state_iso3=DEMO_STATE if role is Role.state else None,
                organization_id=provider_id if role is Role.provider else None,
                email=email,
                password=password,
            )
        accounts.append(DemoAccount(role, email, password, created))
    return accounts
