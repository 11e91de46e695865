"""Whose record it is: the State a focal point writes for."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.auth.models import Role
from app.auth.principal import Principal
from app.core.errors import InvalidInput, PermissionDenied
from app.reference import service as reference


def state_written_for(
    session: Session, principal: Principal, state: str | None, *, doing: str, role_of_state: str
) -> str:
    """The State a new record is for: a State focal point's own (naming another is refused),
    or the one that staff name. `doing` says what the focal point does ("files requests"),
    `role_of_state` what the State is to the record ("requesting")."""
    if principal.role == Role.state:
        if state is not None and state != principal.state_iso3:
            raise PermissionDenied(f"A State focal point {doing} for {principal.state_iso3} only")
        assert principal.state_iso3 is not None  # noqa: S101 - guaranteed by a DB constraint
        return principal.state_iso3
    if state is None:
        raise InvalidInput(f"give the {role_of_state} State (ISO3)", field="state")
    return reference.known_country(session, state, "state")
