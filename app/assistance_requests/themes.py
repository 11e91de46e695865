"""Themes inferred for a request, and where each came from.

The tagger (`matching.tagging.ThemeTagger`, the calibrated decision) reads the request's title
and description (source `text`) and each linked recommendation's text; a linked
recommendation's themes count too (source `recommendation`): without a score when staff gave or
confirmed them or they came with an import, with the tagger's score when they are its unconfirmed
suggestions (`app.recommendations.models.TagSource`). They are stored as
`RequestThemeOrigin` rows, recomputed whenever the title, the description or the links change,
shown on the request (`theme_sources`) and used by matching when the State has confirmed no
theme (`matching.profiles.weigh_request_themes`). Confirming is choosing them as `themes`.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.assistance_requests.models import AssistanceRequest, RequestThemeOrigin, ThemeSource
from app.core.tagger import current_tagger
from app.recommendations.models import RecommendationTheme, TagSource
from app.reference import cache as reference_cache
from app.reference.models import Theme

# What changes the inferred themes.
INPUTS = frozenset({"title", "description", "recommendation_ids"})


def trusted(link: RecommendationTheme) -> bool:
    """A recommendation's theme that is more than the tagger's unconfirmed guess."""
    return link.source != TagSource.machine or link.confirmed


def infer(
    session: Session, request: AssistanceRequest
) -> dict[tuple[str, ThemeSource], float | None]:
    """(theme, source) -> the tagger's score (None: a linked recommendation's own theme)."""
    recommendations = list(request.recommendations)
    own = f"{request.title}\n{request.description or ''}".strip()
    texts = [own, *(r.text for r in recommendations)]
    found: dict[tuple[str, ThemeSource], float | None] = {}

    def add(code: str, source: ThemeSource, score: float | None) -> None:
        key = (code, source)
        if key in found and (found[key] is None or score is None):
            found[key] = None  # a recommendation's own theme outweighs a guess
        else:
            found[key] = max(found.get(key) or 0.0, score or 0.0) if score is not None else None

    if any(t.strip() for t in texts):
        tags = current_tagger().tag_many(texts)
        for suggestion in tags[0].themes:
            add(suggestion.code, ThemeSource.text, suggestion.score)
        for tagged in tags[1:]:
            for suggestion in tagged.themes:
                add(suggestion.code, ThemeSource.recommendation, suggestion.score)
    for recommendation in recommendations:
        for link in recommendation.theme_links:
            score = None if trusted(link) else (link.score or 0.0)
            add(link.theme_code, ThemeSource.recommendation, score)
    known = {row.code for row in reference_cache.vocabulary(session, Theme)}
    return {key: score for key, score in found.items() if key[0] in known}


def refresh(session: Session, request: AssistanceRequest) -> None:
    """Store the inferred themes, changing only the rows that differ."""
    wanted = infer(session, request)
    kept = []
    for origin in request.theme_origins:
        key = (origin.theme_code, origin.source)
        if key in wanted:
            score = wanted.pop(key)
            if origin.score != score:
                origin.score = score
            kept.append(origin)
    kept += [
        RequestThemeOrigin(theme_code=code, source=source, score=score)
        for (code, source), score in sorted(wanted.items())
    ]
    request.theme_origins = kept
