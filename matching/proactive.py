"""Proactive matching: for each supported recommendation with no assistance request yet, the offers
that could help implement it, so that OHCHR staff can approach the State.

A recommendation is scored as the request its State would file for it: the same State and
themes, no period, no kinds of help, no languages and no text (`as_request`). So the hard
constraints and components are those of `matching.scoring.OfferIndex.rank`, where they apply:

- hard constraints: the offer covers the State (named, through a region or group, or global), is
  active, has capacity left, and its provider is not the State itself. There is no period. Staff
  rejections of *request* pairs (`MatchContext.rejected`) do not apply; pass the recommendation
  pairs staff dismissed as `dismissed`.
- components, with the same weights (`scoring.WEIGHTS`): theme (as for a request whose themes
  all weigh 1: 0.75 for the shared theme plus 0.25 x the share of the recommendation's first
  two themes the offer covers), language (the offer delivers in a language used
  in the State, `MatchContext.state_languages`), coverage specificity and track record as for
  requests; assistance is the neutral 0.5 of a request that names no kind of help; text is the
  cosine of the recommendation's and the offer's embeddings, **only when the recommendation comes
  with an embedding** (and the offers have theirs), else 0.

Threshold: a pair is suggested only when the recommendation and the offer **share at least one
theme** (theme > 0) and the combined score reaches `threshold` (`scoring.THRESHOLD` unless
given). Unlike request matching, similar text alone is never enough. With the weights and
threshold of this writing (theme 0.35, text 0.2, assistance 0.15, language, coverage and track
record 0.1 each; threshold 0.45), the best possible score without text is
0.35 + 0.075 + 0.1 + 0.1 + 0.1 = 0.725. An offer on all the recommendation's
themes (or on two of them) passes as soon as it is at least a global offer (0.35 + 0.075 + 0.03
= 0.455); an offer on one of several themes (theme 0.875) needs a little more (for instance a
language of the State, or a region covering it). Below that nothing is suggested: a
recommendation with no suitable offer gets no suggestion, not noise.

Texts are never embedded here: the encoder manages ~300 texts/s, so embedding 200k
recommendations would take ~11 minutes. Pass `RecommendationProfile.embedding` where one is
cached; otherwise the text component is 0 and the pair rests on themes, language, coverage and
track record. Nor is the text compared lexically (`OfferIndex.rank` does it for requests only).

Speed and memory: recommendations are read from any iterable (a generator, a database cursor) in
chunks of about `CELL_BUDGET` recommendation x offer cells. Per chunk: one matrix product gives
the shared theme counts; per-State vectors (eligibility, language, coverage: computed once per
State and cached) are gathered for the chunk's rows; the candidate cells are the eligible pairs
that share a theme (a few per cent of all pairs), and every component, the total and the top k
per recommendation are computed on those cells only. Suggestions are yielded chunk by chunk, so
memory stays bounded whatever the number of recommendations (~25 MB of working memory for 2k
offers; see benchmarks/matching_speed.py). The scores are computed with the same floating-point
operations in the same order as `OfferIndex.rank`, so both paths give the same suggestions, in
the same order (ties in the offers' order); with embeddings, the batched matrix product may
differ from `rank`'s in the last bit of the text component.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

import numpy as np
from numpy.typing import NDArray

from matching.profiles import FloatArray, RecommendationProfile, RequestProfile
from matching.scoring import (
    SCORE_EPSILON,
    THEME_BREADTH,
    THEME_NEEDS,
    THRESHOLD,
    WEIGHTS,
    BoolMatrix,
    Floats,
    OfferIndex,
    Reason,
    describe,
    pair_reasons,
)

DEFAULT_K = 5
"""Suggestions per recommendation."""

CELL_BUDGET = 2_000_000
"""Recommendation x offer cells per chunk (the dense theme-overlap matrix is float32: 8 MB)."""

NEUTRAL_ASSISTANCE = 0.5
"""A recommendation names no kind of help: the assistance component of such a request."""


@dataclass(frozen=True)
class ProactiveSuggestion:
    recommendation_id: int
    offer_id: int
    score: float
    components: dict[str, float]
    explanation: str
    reasons: tuple[Reason, ...] = ()


def as_request(recommendation: RecommendationProfile) -> RequestProfile:
    """The request the State would file for this recommendation (no period, kinds of help,
    languages or text: the text is not embedded nor compared lexically)."""
    return RequestProfile(
        id=recommendation.id,
        state=recommendation.state,
        themes=recommendation.themes,
        embedding=recommendation.embedding,
    )


_COMPONENTS = ("theme", "assistance", "language", "text", "coverage", "track_record")


class ProactiveMatcher:
    """Proactive suggestions against one `OfferIndex`: build once, stream any number of
    recommendations through `suggest`. Caches per-State vectors; not thread-safe."""

    def __init__(self, index: OfferIndex, *, dismissed: Iterable[tuple[int, int]] = ()) -> None:
        self.index = index
        n_offers = len(index.offers)
        self._all_rows = np.arange(n_offers, dtype=np.intp)
        # The order in which OfferIndex.rank adds the components up (floating-point addition is
        # not associative: the same order gives the same totals).
        probe = RequestProfile(id=0, state="", themes=frozenset())
        self.component_names = tuple(index.components(probe, self._all_rows[:0], None))
        unknown = set(self.component_names) - set(_COMPONENTS)
        if unknown:
            raise ValueError(f"proactive matching does not know the components {sorted(unknown)}")
        self._offer_themes_t = np.ascontiguousarray(index.themes.T, dtype=np.float32)
        # Offer x theme track record with a zero column last (for padding), flattened.
        self._track: Floats | None = None
        if index.track.any():
            self._track = np.hstack([index.track, np.zeros((n_offers, 1))]).ravel()
        self._embeddings_t = (
            np.ascontiguousarray(index.embeddings.T) if index.embeddings is not None else None
        )
        # Per State (one row each, in order of first appearance): eligibility, language and
        # coverage of every offer. At most ~250 rows: 4 MB per 1,000 offers.
        self._state_row: dict[str, int] = {}
        self._eligible = np.zeros((0, n_offers), dtype=np.bool_)
        self._language = np.zeros((0, n_offers), dtype=np.float64)
        self._coverage = np.zeros((0, n_offers), dtype=np.float64)
        self._work: tuple[FloatArray, BoolMatrix, BoolMatrix] | None = None
        self._dismissed: dict[int, list[int]] = {}
        for recommendation_id, offer_id in dismissed:
            if offer_id in index.row_of:
                self._dismissed.setdefault(recommendation_id, []).append(index.row_of[offer_id])

    # --- per State ------------------------------------------------------------------------
    def _state_rows(self, states: list[str]) -> NDArray[np.intp]:
        """The row of each State in the per-State tables, adding the States not seen yet."""
        new = sorted({s for s in states if s not in self._state_row})
        if new:
            index, rows = self.index, self._all_rows
            eligible, language, coverage = [], [], []
            for state in new:
                self._state_row[state] = len(self._state_row)
                # OfferIndex.eligible_rows without a period (and without request rejections).
                mask = index.active & (index.capacity > 0)
                mask &= index.covers(state)
                mask &= index.provider_state != state
                eligible.append(mask)
                probe = RequestProfile(id=0, state=state, themes=frozenset())
                language.append(index._language(probe, rows))
                coverage.append(index._specificity(state, rows))
            self._eligible = np.vstack([self._eligible, *eligible])
            self._language = np.vstack([self._language, *language])
            self._coverage = np.vstack([self._coverage, *coverage])
        return np.array([self._state_row[s] for s in states], dtype=np.intp)

    # --- matching -------------------------------------------------------------------------
    def suggest(
        self,
        recommendations: Iterable[RecommendationProfile],
        *,
        k: int = DEFAULT_K,
        threshold: float = THRESHOLD,
        explain: bool = True,
        chunk_size: int | None = None,
    ) -> Iterator[ProactiveSuggestion]:
        """Up to `k` suggestions per recommendation, best first (ties: in the offers' order),
        in the input order of the recommendations; those with no suitable offer yield nothing."""
        n_offers = len(self.index.offers)
        if n_offers == 0 or k < 1:
            return
        size = chunk_size or max(1, CELL_BUDGET // n_offers)
        stream = iter(recommendations)
        while chunk := list(islice(stream, size)):
            yield from self._chunk(chunk, k, threshold, explain)

    def _chunk(
        self,
        chunk: list[RecommendationProfile],
        k: int,
        threshold: float,
        explain: bool,
    ) -> Iterator[ProactiveSuggestion]:
        index = self.index
        n_offers = len(index.offers)
        n_known = len(index.theme_col)
        # One-hot themes (for the overlap product) and theme columns padded with the zero
        # column of the track matrix (for the track-record max).
        theme_col = index.theme_col
        known = [[theme_col[c] for c in r.themes if c in theme_col] for r in chunk]
        width = max(1, max(len(themes) for themes in known))
        columns = np.full((len(chunk), width), n_known, dtype=np.intp)
        wanted = np.zeros((len(chunk), n_known), dtype=np.float32)
        for row, themes in enumerate(known):
            columns[row, : len(themes)] = themes
            wanted[row, themes] = 1.0
        # The request's theme component with every theme at weight 1 (OfferIndex._theme):
        # the best need covered (1 in every candidate cell) and the breadth.
        needs = np.array([max(min(len(r.themes), THEME_NEEDS), 1.0) for r in chunk])
        overlap, candidate, shared = self._work_matrices(len(chunk), n_offers)
        np.matmul(wanted, self._offer_themes_t, out=overlap)  # shared theme counts
        state_rows = self._state_rows([r.state for r in chunk])
        # Candidate cells: eligible pairs that share a theme (a few % of all pairs); every
        # component is then computed for these cells only, through flat indices.
        np.take(self._eligible, state_rows, axis=0, out=candidate)
        np.greater(overlap, 0, out=shared)
        candidate &= shared
        cells = np.flatnonzero(candidate)
        rows, cols = np.divmod(cells, n_offers)
        if self._dismissed:
            keep = self._undismissed(chunk, cells, n_offers)
            cells, rows, cols = cells[keep], rows[keep], cols[keep]
        if cells.size == 0:
            return
        state_cells = state_rows[rows] * n_offers + cols
        values: dict[str, Floats | None] = {
            "theme": (1 - THEME_BREADTH) * 1.0
            + THEME_BREADTH
            * np.minimum(1.0, overlap.ravel()[cells].astype(np.float64) / needs[rows]),
            "assistance": np.full(cells.size, NEUTRAL_ASSISTANCE),
            "language": self._language.ravel()[state_cells],
            "text": self._text(chunk, cells),
            "coverage": self._coverage.ravel()[state_cells],
            "track_record": self._track_record(columns, rows, cols),
        }
        total = np.zeros(cells.size, dtype=np.float64)
        for name in self.component_names:
            value = values[name]
            if value is not None:  # an all-zero component is left out: x + 0.0 == x
                total += WEIGHTS[name] * value
        good = np.flatnonzero(total >= threshold - SCORE_EPSILON)  # every cell shares a theme
        # Best first within each recommendation, ties in the offers' order (as rank's stable
        # sort); the cells are already in row order.
        order = good[np.lexsort((cols[good], -total[good], rows[good]))]
        ranked = rows[order]
        first = np.searchsorted(ranked, ranked, side="left")
        order = order[(np.arange(order.size) - first) < k]

        names = self.component_names
        rounded = []
        for name in names:
            value = values[name]
            rounded.append(_rounded([0.0] * order.size if value is None else value[order]))
        picked = zip(
            rows[order].tolist(),
            cols[order].tolist(),
            _rounded(np.minimum(total[order], 1.0)),
            zip(*rounded, strict=True),
            strict=True,
        )
        requests: dict[int, RequestProfile] = {}
        for row, col, score, numbers in picked:
            recommendation, offer = chunk[row], index.offers[col]
            components = dict(zip(names, numbers, strict=True))
            reasons: tuple[Reason, ...] = ()
            if explain:
                request = requests.get(row)
                if request is None:
                    request = requests[row] = as_request(recommendation)
                reasons = pair_reasons(request, offer, components, index.context)
            yield ProactiveSuggestion(
                recommendation_id=recommendation.id,
                offer_id=offer.id,
                score=score,
                components=components,
                explanation=describe(reasons, index.context),
                reasons=reasons,
            )

    def _work_matrices(
        self, n_rows: int, n_offers: int
    ) -> tuple[FloatArray, BoolMatrix, BoolMatrix]:
        """Chunk x offers work matrices, allocated once and reused (no page faults per chunk).
        Only used between two yields: interleaved `suggest` streams do not disturb each other."""
        if self._work is None or self._work[0].shape[0] < n_rows:
            self._work = (
                np.empty((n_rows, n_offers), dtype=np.float32),
                np.empty((n_rows, n_offers), dtype=np.bool_),
                np.empty((n_rows, n_offers), dtype=np.bool_),
            )
        overlap, candidate, shared = self._work
        return overlap[:n_rows], candidate[:n_rows], shared[:n_rows]

    def _track_record(
        self, columns: NDArray[np.intp], rows: NDArray[np.intp], cols: NDArray[np.intp]
    ) -> Floats | None:
        """The best track record over each cell's recommendation themes, as OfferIndex._track;
        None when no provider has one."""
        if self._track is None:
            return None
        base = cols * (self.index.track.shape[1] + 1)
        themes = columns[rows]
        best: Floats = self._track[base + themes[:, 0]]
        for position in range(1, themes.shape[1]):
            np.maximum(best, self._track[base + themes[:, position]], out=best)
        return best

    def _undismissed(
        self, chunk: list[RecommendationProfile], cells: NDArray[np.intp], n_offers: int
    ) -> BoolMatrix:
        dismissed = [
            row * n_offers + col
            for row, recommendation in enumerate(chunk)
            for col in self._dismissed.get(recommendation.id, ())
        ]
        return np.isin(cells, dismissed, invert=True)

    def _text(self, chunk: list[RecommendationProfile], cells: NDArray[np.intp]) -> Floats | None:
        """Cosine of the embeddings, as OfferIndex._semantic; None when no recommendation of the
        chunk has an embedding (the component is 0 throughout)."""
        if self._embeddings_t is None or all(r.embedding is None for r in chunk):
            return None
        vectors: FloatArray = np.zeros((len(chunk), self._embeddings_t.shape[0]), np.float32)
        for i, recommendation in enumerate(chunk):
            if recommendation.embedding is not None:
                vectors[i] = recommendation.embedding
        cosine = (vectors @ self._embeddings_t).ravel()[cells]
        return np.asarray(np.clip((cosine - 0.2) / 0.5, 0.0, 1.0), dtype=np.float64)


def _rounded(values: Floats | list[float]) -> list[float]:
    """round(x, 4) of each value, as OfferIndex.rank reports them (components take few
    distinct values: each is rounded once)."""
    numbers = values if isinstance(values, list) else values.tolist()
    once = {x: round(x, 4) for x in set(numbers)}
    return [once[x] for x in numbers]


def proactive_suggestions(
    index: OfferIndex,
    recommendations: Iterable[RecommendationProfile],
    *,
    k: int = DEFAULT_K,
    threshold: float = THRESHOLD,
    explain: bool = True,
    dismissed: Iterable[tuple[int, int]] = (),
) -> Iterator[ProactiveSuggestion]:
    """The offers that could help implement each recommendation (see the module docstring)."""
    matcher = ProactiveMatcher(index, dismissed=dismissed)
    return matcher.suggest(recommendations, k=k, threshold=threshold, explain=explain)
