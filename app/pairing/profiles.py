"""Requests and offers from the database, as the matching library's plain profiles.

A request's themes: those the State confirmed (weight 1); when it confirmed none, those inferred
from its title, description and linked recommendations, stored with the request
(`app.assistance_requests.themes`), weighed by `matching.profiles.weigh_request_themes`. An
offer's themes an author left empty (and those of a request stored before inference existed) are
inferred by the tagger from the title and description, so free text still finds offers by theme.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session

from app.assistance_requests import themes as inferred_themes
from app.assistance_requests.models import AssistanceRequest
from app.core.tagger import current_tagger
from app.matches.repository import places_taken
from app.offers.models import Offer
from app.organizations.models import OrganizationType
from app.pairing import repository
from app.pairing.embeddings import embed_cached
from matching.coverage import Coverage
from matching.profiles import (
    INFERRED_WEIGHT,
    FloatArray,
    MatchContext,
    OfferProfile,
    Period,
    RequestProfile,
    ThemeOrigin,
    weigh_request_themes,
)


def build_context(session: Session) -> MatchContext:
    return MatchContext(
        memberships=repository.memberships(session),
        region_kinds=repository.region_kinds(session),
        state_languages=repository.state_languages(session),
        track_record=repository.track_record(session),
        rejected=repository.rejected_pairs(session),
        names=repository.names(session),
    )


def text_of(title: str, description: str) -> str:
    return f"{title}\n{description}".strip()


@dataclass(frozen=True)
class _Texts:
    embeddings: FloatArray
    themes: list[frozenset[str]]


def _understand(session: Session, texts: Sequence[str], themes: Sequence[list[str]]) -> _Texts:
    """Embeddings of every text, and themes: the author's, or the tagger's when none."""
    embeddings = embed_cached(session, texts) if texts else np.zeros((0, 512), dtype=np.float32)
    untagged = [i for i, codes in enumerate(themes) if not codes]
    inferred = (
        current_tagger().predict_codes_many([texts[i] for i in untagged], embeddings[untagged])
        if untagged
        else []
    )
    chosen = [frozenset(codes) for codes in themes]
    for position, row in enumerate(untagged):
        chosen[row] = frozenset(inferred[position])
    return _Texts(embeddings, chosen)


def request_profiles(
    session: Session, requests: Sequence[AssistanceRequest]
) -> list[RequestProfile]:
    for r in requests:
        if not r.theme_codes and not r.theme_origins:
            # stored before inference existed (or nothing was found): infer and keep
            inferred_themes.refresh(session, r)
    texts = [text_of(r.title, r.description) for r in requests]
    weights = [request_theme_weights(r) for r in requests]
    understood = _understand(session, texts, [sorted(w) for w in weights])
    return [
        RequestProfile(
            id=r.id,
            state=r.state_iso3,
            themes=understood.themes[i],
            theme_weights=weights[i] or dict.fromkeys(understood.themes[i], INFERRED_WEIGHT),
            assistance_types=frozenset(r.assistance_type_codes),
            languages=frozenset(r.language_codes),
            period=Period(r.period_start, r.period_end),
            text=texts[i],
            embedding=understood.embeddings[i],
        )
        for i, r in enumerate(requests)
    ]


def request_theme_weights(request: AssistanceRequest) -> dict[str, float]:
    """The themes matching uses for a request and their weights ({} when nothing is known)."""
    origins = [ThemeOrigin(o.theme_code, o.source.value, o.score) for o in request.theme_origins]
    return weigh_request_themes(request.theme_codes, origins)


def offer_profiles(session: Session, offers: Sequence[Offer]) -> list[OfferProfile]:
    taken = places_taken(session)
    texts = [text_of(o.title, o.description) for o in offers]
    understood = _understand(session, texts, [o.theme_codes for o in offers])
    return [
        OfferProfile(
            id=o.id,
            provider_id=o.organization_id,
            themes=understood.themes[i],
            coverage=Coverage(
                countries=frozenset(o.country_codes),
                regions=frozenset(o.region_codes),
                is_global=o.is_global,
            ),
            capacity_left=max(0, o.capacity - taken.get(o.id, 0)),
            provider_name=o.organization.name,
            provider_state=_provider_state(o),
            assistance_types=frozenset(o.assistance_type_codes),
            languages=frozenset(o.language_codes),
            period=Period(o.period_start, o.period_end),
            active=True,
            text=texts[i],
            embedding=understood.embeddings[i],
        )
        for i, o in enumerate(offers)
    ]


def _provider_state(offer: Offer) -> str | None:
    organization = offer.organization
    if organization.type == OrganizationType.state:
        return organization.country_iso3
    return None
