"""Plain inputs of the matcher: what a request and an offer look like, and what it knows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

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
