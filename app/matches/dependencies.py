from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends

from app.auth.dependencies import AuthenticatedPrincipal
from app.auth.models import Role
from app.auth.principal import Principal
from app.core.errors import InvalidInput, PermissionDenied
from app.db.session import SessionDep
from app.matches import service
from app.matches.models import Match, Party
from app.matches.schemas import MatchDecisionCreate


def _visible(match_id: int, principal: AuthenticatedPrincipal, session: SessionDep) -> Match:
    """404 for a match the caller may not see (suggestions are internal to OHCHR)."""
    return service.get_visible(session, principal, match_id)


VisibleMatch = Annotated[Match, Depends(_visible)]


@dataclass(frozen=True)
class PartyDecisionInput:
    party: Party
    data: MatchDecisionCreate


def _deciding_party(
    principal: AuthenticatedPrincipal, match: VisibleMatch, data: MatchDecisionCreate
) -> PartyDecisionInput:
    """Whose decision this is: the caller's own side of the match, or, for staff recording an
    answer received by other means, the party they name."""
    own = _own_party(principal, match)
    if principal.is_staff:
        if data.party is None:
            raise InvalidInput("name the party whose decision you record", field="party")
        return PartyDecisionInput(data.party, data)
    if own is None or (data.party is not None and data.party != own):
        raise PermissionDenied("You may decide only for your own side of this match")
    return PartyDecisionInput(own, data)


def _own_party(principal: Principal, match: Match) -> Party | None:
    if principal.role == Role.state and principal.state_iso3 == match.state_iso3:
        return Party.state
    if principal.role == Role.provider and principal.organization_id == match.provider_id:
        return Party.provider
    return None


DecidingParty = Annotated[PartyDecisionInput, Depends(_deciding_party)]
