"""Plain inputs of the matcher: what a request and an offer look like, and what it knows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, Protocol

import numpy as np
from numpy.typing import NDArray

from matching.coverage import Coverage

FloatArray = NDArray[np.float32]


class Embedder(Protocol):
    """Multilingual sentence embeddings, L2-normalised (see matching.tagging.ThemeTagger)."""

    def embed(self, texts: Sequence[str]) -> FloatArray: ...


@dataclass(frozen=True)
class Period:
    """A date range; None at either end means open."""

    start: date | None = None
    end: date | None = None

    def overlaps(self, other: Period) -> bool:
        return (self.start is None or other.end is None or self.start <= other.end) and (
            self.end is None or other.start is None or other.start <= self.end
        )


@dataclass(frozen=True)
class RequestProfile:
    id: int
    state: str
    themes: frozenset[str]
    assistance_types: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    period: Period = Period()
    text: str = ""
    embedding: FloatArray | None = field(default=None, compare=False)
    # How far matching trusts each theme (see `weigh_request_themes`); a theme not named
    # here weighs 1 (stated or confirmed by the State).
    theme_weights: Mapping[str, float] = field(default_factory=dict, compare=False)

    def theme_weight(self, code: str) -> float:
        return self.theme_weights.get(code, 1.0)

    @property
    def themes_inferred(self) -> bool:
        """No theme that the State stated or confirmed: what the request is about is a guess
        (also true when nothing could be guessed)."""
        return all(self.theme_weight(code) < STATED_WEIGHT for code in self.themes)


ThemeSource = Literal["state", "text", "recommendation"]
THEME_SOURCES: tuple[ThemeSource, ...] = ("state", "recommendation", "text")
# Trust in a theme by where it came from: the State stated or confirmed it (1); it is a theme
# of a linked recommendation (staff-confirmed or imported with it, 0.9); the tagger inferred it
# from the request's title and description or from a linked recommendation's text (0.75).
STATED_WEIGHT = 1.0
RECOMMENDATION_WEIGHT = 0.9
INFERRED_WEIGHT = 0.75
# Two independent sources agreeing on a theme make it this much more trusted (capped at the
# recommendation's weight: only the State's word weighs 1).
AGREEMENT_BONUS = 0.1
# An inferred theme is trusted as far as the tagger is sure of it beside the request's clearest
# inferred theme: INFERRED_WEIGHT x (1 - CONFIDENCE_SPREAD + CONFIDENCE_SPREAD x score / top
# score). A theme barely over its threshold next to a clear one ("simplify the registration of
# associations": freedom of association 0.95, name and nationality 0.11) then does not weigh as
# much as the clear one, and an offer on the weak theme does not outrank one on the clear theme.
CONFIDENCE_SPREAD = 0.5


@dataclass(frozen=True)
class ThemeOrigin:
    """One reason to think a request is about a theme.

    `source`: "state" (the State named or confirmed it), "recommendation" (a linked
    recommendation: its themes, or, with a `score`, the tagger on its text) or "text" (the
    tagger on the request's title and description). `score`: the tagger's, None when the
    theme was not inferred."""

    code: str
    source: ThemeSource
    score: float | None = None
    recommendation_id: int | None = None

    @property
    def inferred(self) -> bool:
        return self.score is not None


def weigh_request_themes(
    confirmed: Iterable[str], origins: Iterable[ThemeOrigin]
) -> dict[str, float]:
    """The themes matching uses for a request, each with its weight in (0, 1].

    Confirmed themes (stated by the State, or inferred and then ticked by it) are preferred:
    when there are any, they alone are used, at weight 1. Otherwise every theme of `origins`
    is used: a linked recommendation's own theme at RECOMMENDATION_WEIGHT, an inferred one at
    INFERRED_WEIGHT scaled by the tagger's confidence (CONFIDENCE_SPREAD), plus AGREEMENT_BONUS
    when the request's text and its recommendations (two kinds of evidence) both point to it."""
    chosen = dict.fromkeys(confirmed, STATED_WEIGHT)
    if chosen:
        return chosen
    origins = list(origins)
    top = max((o.score for o in origins if o.score is not None), default=0.0)
    weights: dict[str, float] = {}
    kinds: dict[str, set[str]] = {}
    for origin in origins:
        base = RECOMMENDATION_WEIGHT
        if origin.score is not None:
            base = INFERRED_WEIGHT * _confidence(origin.score, top)
        if origin.source == "state":
            base = STATED_WEIGHT
        weights[origin.code] = max(weights.get(origin.code, 0.0), base)
        kinds.setdefault(origin.code, set()).add(origin.source)
    for code, sources in kinds.items():
        if len(sources) > 1 and weights[code] < RECOMMENDATION_WEIGHT:
            weights[code] = min(RECOMMENDATION_WEIGHT, weights[code] + AGREEMENT_BONUS)
    return weights


def _confidence(score: float, top: float) -> float:
    if top <= 0.0:
        return 1.0
    return 1.0 - CONFIDENCE_SPREAD + CONFIDENCE_SPREAD * min(1.0, score / top)


@dataclass(frozen=True)
class OfferProfile:
    id: int
    provider_id: int
    themes: frozenset[str]
    coverage: Coverage
    capacity_left: int
    provider_name: str = ""
    # The ISO3 of the provider when it is a State: a State does not assist itself.
    provider_state: str | None = None
    assistance_types: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    period: Period = Period()
    active: bool = True
    text: str = ""
    embedding: FloatArray | None = field(default=None, compare=False)


@dataclass(frozen=True)
class MatchContext:
    """What the matcher knows about the world besides the two sides."""

    memberships: Mapping[str, frozenset[str]]
    region_kinds: Mapping[str, str] = field(default_factory=dict)
    state_languages: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # (provider id, theme code) -> completed activities
    track_record: Mapping[tuple[int, str], int] = field(default_factory=dict)
    # (request id, offer id) pairs that staff rejected: never suggested again
    rejected: frozenset[tuple[int, int]] = frozenset()
    names: Mapping[str, str] = field(default_factory=dict)  # code -> label, for explanations

    def name(self, code: str) -> str:
        return self.names.get(code, code)


@dataclass(frozen=True)
class RecommendationProfile:
    """A supported UPR recommendation, for proactive matching (matching.proactive).

    `embedding` is optional and usually absent: the proactive path never embeds texts itself.
    """

    id: int
    state: str
    themes: frozenset[str]
    text: str = ""
    embedding: FloatArray | None = field(default=None, compare=False)
