from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends

from app.auth.dependencies import AuthenticatedPrincipal
from app.db.session import SessionDep
from app.matches import service
from app.matches.models import Match, Party
from app.matches.schemas import MatchDecisionCreate, MatchTakeBack


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
    return PartyDecisionInput(service.deciding_party(principal, match, data.party), data)


DecidingParty = Annotated[PartyDecisionInput, Depends(_deciding_party)]


@dataclass(frozen=True)
class PartyTakeBackInput:
    party: Party
    data: MatchTakeBack


def _taking_back_party(
    principal: AuthenticatedPrincipal, match: VisibleMatch, data: MatchTakeBack
) -> PartyTakeBackInput:
    return PartyTakeBackInput(service.deciding_party(principal, match, data.party), data)


TakingBackParty = Annotated[PartyTakeBackInput, Depends(_taking_back_party)]
