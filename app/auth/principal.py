from __future__ import annotations

from dataclasses import dataclass

from app.auth.models import Role


@dataclass(frozen=True)
class Principal:
    """Who is calling. `role` is None for the anonymous public."""

    user_id: int | None
    name: str
    role: Role | None
    state_iso3: str | None = None
    organization_id: int | None = None

    @property
    def is_authenticated(self) -> bool:
        return self.role is not None

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.admin, Role.staff)

    def is_state(self, iso3: str) -> bool:
        return self.role == Role.state and self.state_iso3 == iso3

    def is_provider(self, organization_id: int) -> bool:
        return self.role == Role.provider and self.organization_id == organization_id


ANONYMOUS = Principal(user_id=None, name="anonymous", role=None)
SYSTEM = Principal(user_id=None, name="system", role=Role.admin)
