"""The "why not" of a pair on the staff pages: the API's explanation
(`app.pairing.explain`) with the reference rows its facts name, so that the template words
every constraint and component in the page's language (`staff/_why_not.html`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.pairing import explain
from app.pairing.schemas import PairExplanationRead
from app.reference import repository as reference_repository
from app.reference.models import AssistanceType, Country, Language, Region, Theme


@dataclass(frozen=True)
class References:
    """Reference rows by code, for the codes an explanation names."""

    themes: dict[str, Theme]
    types: dict[str, AssistanceType]
    languages: dict[str, Language]
    countries: dict[str, Country]
    regions: dict[str, Region]


@dataclass(frozen=True)
class WhyNot:
    why: PairExplanationRead
    refs: References

    @property
    def failed(self) -> list[str]:
        return [c.name for c in self.why.constraints if not c.passed]


def _codes(values: Iterable[Any]) -> set[str]:
    found: set[str] = set()
    for value in values:
        if isinstance(value, str):
            found.add(value)
        elif isinstance(value, list | tuple):
            found |= {v for v in value if isinstance(v, str)}
        elif isinstance(value, dict):
            found |= {k for k in value if isinstance(k, str)}
    return found


def why_not(session: Session, request_id: int, offer_id: int) -> WhyNot:
    why = explain.explain(session, request_id, offer_id)
    facts = [c.facts for c in why.constraints] + [c.facts for c in why.components]
    codes = _codes(value for f in facts for value in f.values())
    refs = References(
        themes=reference_repository.get_by_keys(session, Theme, codes),
        types=reference_repository.get_by_keys(session, AssistanceType, codes),
        languages=reference_repository.get_by_keys(session, Language, codes),
        countries=reference_repository.get_by_keys(session, Country, codes),
        regions=reference_repository.get_by_keys(session, Region, codes),
    )
    return WhyNot(why, refs)
