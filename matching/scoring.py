"""Explainable scoring of request-offer pairs, vectorised over many offers at once.

Hard constraints (a pair that fails one is never suggested): the offer covers the requesting
State (named, through an M49 region or sub-region, a regional group, LDC/LLDC/SIDS, or global);
the periods overlap; the offer has capacity left; the offer is active; the provider is not the
requesting State itself; staff did not reject the pair before.

Score components, each in [0, 1] and reported separately:
- theme: the request's best-covered needs, not a share (naming more themes never lowers it):
  0.75 x the weight of the best request theme the offer works on + 0.25 x the weight it covers
  of the request's first two (by weight) themes. A theme the State stated or confirmed weighs 1;
  when it confirmed none, the themes inferred from its text and linked recommendations are used,
  weighing 0.375-0.9 by source and the tagger's confidence
  (`matching.profiles.weigh_request_themes`), and a text close in meaning (semantic >= 0.5)
  counts as at least 0.2 x its similarity (TEXT_AS_THEME);
- assistance: the share of the requested kinds of help the offer provides (0.5 if none named);
- language: 1 if the offer delivers in a requested language (or, when none is requested, in a
  language used in the State), 0.5 if nothing is known, 0 otherwise;
- text: how close the descriptions are across languages (multilingual sentence embeddings),
  with a lexical signal (rapidfuzz) beside it: the larger of the two;
- coverage: how specifically the offer aims at the State: named 1.0, intermediate region 0.9,
  sub-region 0.8, regional or UN group 0.6, continent 0.5, global 0.3;
- track_record: the provider's completed activities on the request's themes, min(1, n / 3).

The combined score is the weighted sum with WEIGHTS. A pair is suggested only when the combined
score reaches THRESHOLD and the pair shares a theme or has similar text (text >= 0.5): a request
with no suitable offer gets an empty list, not noise.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import fuzz, process

from matching.coverage import covering_regions
from matching.profiles import Embedder, FloatArray, MatchContext, OfferProfile, RequestProfile

WEIGHTS: Mapping[str, float] = {
    "theme": 0.35,
    "text": 0.20,
    "assistance": 0.15,
    "language": 0.10,
    "coverage": 0.10,
    "track_record": 0.10,
}
THRESHOLD = 0.45
# The theme component: (1 - THEME_BREADTH) x the weight of the best need the offer covers
# + THEME_BREADTH x the weight it covers of the request's first THEME_NEEDS (weights) of needs.
THEME_BREADTH = 0.25
THEME_NEEDS = 2.0
TEXT_ALONE = 0.5
# When the request's themes are only inferred (none stated or confirmed by the State), a text
# similar in meaning (semantic >= TEXT_ALONE) stands in for a shared theme: theme component at
# least TEXT_AS_THEME x the similarity. The tagger's guesses miss subjects that the texts share
# ("training for magistrates on applying the Constitution" guessed as constitutional framework
# only, the judges' training offer tagged administration of justice).
TEXT_AS_THEME = 0.2
# Weighted sums are floats: 0.35 * 0.5 + 0.1 + 0.1 + ... can land a hair under a threshold it
# meets exactly in decimals; such pairs pass.
SCORE_EPSILON = 1e-9
REGION_SPECIFICITY: Mapping[str, float] = {
    "m49_intermediate_region": 0.9,
    "m49_subregion": 0.8,
    "hrc_group": 0.6,
    "un_group": 0.6,
    "m49_region": 0.5,
}
GLOBAL_SPECIFICITY = 0.3
NAMED_SPECIFICITY = 1.0
TRACK_RECORD_SATURATION = 3
LEXICAL_POOL = 50

BoolMatrix = NDArray[np.bool_]
Floats = NDArray[np.float64]


ReasonParam = str | int | tuple[str, ...]


@dataclass(frozen=True)
class Reason:
    """One reason a pair scores as it does: a code and plain parameters (codes, counts, a text
    snippet), never a sentence, so each reader gets it in their own language.

    Codes: `themes` and `assistance` (`codes`: what both sides share, at most three),
    `covers_state` / `covers_region` (`code`: the State or the most specific region or group the
    offer names), `global`, `languages` (`codes`: the requested languages the offer delivers
    in), `offer_languages` (`codes`: the offer's languages, none requested), `track_record`
    (`count`: the provider's completed activities on these themes), `similar_text`
    (`snippet`: the start of the offer's text)."""

    code: str
    params: Mapping[str, ReasonParam] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        """{"code": ..., "params": {...}}, JSON-ready (tuples as lists)."""
        return {
            "code": self.code,
            "params": {k: list(v) if isinstance(v, tuple) else v for k, v in self.params.items()},
        }


@dataclass(frozen=True)
class Suggestion:
    request_id: int
    offer_id: int
    score: float
    components: dict[str, float]
    explanation: str
    reasons: tuple[Reason, ...] = ()


def _onehot(sets: Sequence[Iterable[str]]) -> tuple[dict[str, int], BoolMatrix]:
    vocabulary = sorted({item for s in sets for item in s})
    column = {item: i for i, item in enumerate(vocabulary)}
    matrix = np.zeros((len(sets), len(vocabulary)), dtype=np.bool_)
    for row, items in enumerate(sets):
        for item in items:
            matrix[row, column[item]] = True
    return column, matrix


def _cells(rows: NDArray[np.intp], cols: list[int]) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Row and column index arrays selecting the rows x cols block of a matrix."""
    return rows[:, np.newaxis], np.asarray(cols, dtype=np.intp)[np.newaxis, :]


def combine(components: Mapping[str, Floats]) -> Floats:
    """The weighted sum of the components."""
    total = np.zeros(len(next(iter(components.values()))), dtype=np.float64)
    for name, values in components.items():
        total += WEIGHTS[name] * values
    return total


@dataclass(frozen=True)
class _StateView:
    """An OfferIndex's per-offer vectors that depend only on the requesting State."""

    member_cols: list[int]  # region and group columns the State belongs to
    covered: BoolMatrix  # the offer covers the State
    eligible: BoolMatrix  # covered, active, with capacity, provider not the State itself
    specificity: Floats  # the coverage component


def _ordinal(day: date | None, default: int) -> int:
    return day.toordinal() if day is not None else default


class OfferIndex:
    """Offers laid out as arrays, built once; each request is then scored in one pass."""

    def __init__(
        self,
        offers: Sequence[OfferProfile],
        context: MatchContext,
        embedder: Embedder | None = None,
    ) -> None:
        self.offers = list(offers)
        self.context = context
        self.embedder = embedder
        self.row_of = {offer.id: row for row, offer in enumerate(self.offers)}
        self.theme_col, self.themes = _onehot([o.themes for o in self.offers])
        self.type_col, self.types = _onehot([o.assistance_types for o in self.offers])
        self.language_col, self.languages = _onehot([o.languages for o in self.offers])
        self.country_col, self.countries = _onehot([o.coverage.countries for o in self.offers])
        self.region_col, self.regions = _onehot([o.coverage.regions for o in self.offers])
        self.region_weight = np.array(
            [
                REGION_SPECIFICITY.get(context.region_kinds.get(code, ""), 0.5)
                for code in sorted(self.region_col, key=self.region_col.__getitem__)
            ],
            dtype=np.float64,
        )
        self.is_global = np.array([o.coverage.is_global for o in self.offers], dtype=np.bool_)
        self.active = np.array([o.active for o in self.offers], dtype=np.bool_)
        self.capacity = np.array([o.capacity_left for o in self.offers], dtype=np.int64)
        self.start = np.array([_ordinal(o.period.start, 0) for o in self.offers], dtype=np.int64)
        self.end = np.array(
            [_ordinal(o.period.end, date.max.toordinal()) for o in self.offers], dtype=np.int64
        )
        self.provider_state = np.array([o.provider_state or "" for o in self.offers], dtype=object)
        self.no_languages: BoolMatrix = np.asarray(~self.languages.any(axis=1), dtype=np.bool_)
        self.track = self._track_matrix()
        self.rejected: dict[int, set[int]] = {}
        for request_id, offer_id in context.rejected:
            if offer_id in self.row_of:
                self.rejected.setdefault(request_id, set()).add(self.row_of[offer_id])
        self.embeddings = self._embeddings()
        # Offer texts casefolded once, for the lexical signal of every request.
        self.folded_texts = [o.text.casefold() for o in self.offers]
        # What depends on the requesting State alone, computed at its first request: at most
        # one entry per State (~250), n_offers booleans and floats each.
        self._per_state: dict[str, _StateView] = {}

    def _state_view(self, state: str) -> _StateView:
        view = self._per_state.get(state)
        if view is None:
            member_cols = self._compute_member_cols(state)
            covered = self._compute_covers(state, member_cols)
            eligible = self.active & (self.capacity > 0) & covered
            eligible &= self.provider_state != state
            all_rows = np.arange(len(self.offers), dtype=np.intp)
            specificity = self._compute_specificity(state, member_cols, all_rows)
            for array in (covered, eligible, specificity):
                array.flags.writeable = False  # shared by every request from the State
            view = _StateView(member_cols, covered, eligible, specificity)
            self._per_state[state] = view
        return view

    def _track_matrix(self) -> Floats:
        track = np.zeros(self.themes.shape, dtype=np.float64)
        for (provider_id, theme), count in self.context.track_record.items():
            column = self.theme_col.get(theme)
            if column is None:
                continue
            for row, offer in enumerate(self.offers):
                if offer.provider_id == provider_id:
                    track[row, column] = min(1.0, count / TRACK_RECORD_SATURATION)
        return track

    def _embeddings(self) -> FloatArray | None:
        if not self.offers:
            return None
        missing = [i for i, o in enumerate(self.offers) if o.embedding is None]
        if missing and self.embedder is None:
            return None
        vectors: list[FloatArray | None] = [o.embedding for o in self.offers]
        if missing and self.embedder is not None:
            fresh = self.embedder.embed([self.offers[i].text for i in missing])
            for position, row in enumerate(missing):
                vectors[row] = fresh[position]
        return np.vstack([v for v in vectors if v is not None]).astype(np.float32)

    # --- hard constraints -----------------------------------------------------------------
    def eligible_rows(self, request: RequestProfile) -> NDArray[np.intp]:
        if not self.offers:
            return np.zeros(0, dtype=np.intp)
        # active, capacity left, covers the State, provider not the State: per State, cached
        mask = self._state_view(request.state).eligible.copy()
        mask &= self.start <= _ordinal(request.period.end, date.max.toordinal())
        mask &= self.end >= _ordinal(request.period.start, 0)
        for row in self.rejected.get(request.id, ()):
            mask[row] = False
        return np.flatnonzero(mask)

    def covers(self, state: str) -> BoolMatrix:
        """Which offers cover the State (read-only: cached per State)."""
        return self._state_view(state).covered

    def _compute_covers(self, state: str, member_cols: list[int]) -> BoolMatrix:
        covered = self.is_global.copy()
        column = self.country_col.get(state)
        if column is not None:
            covered |= self.countries[:, column]
        if member_cols:
            covered |= self.regions[:, member_cols].any(axis=1)
        return covered

    def _member_cols(self, state: str) -> list[int]:
        return self._state_view(state).member_cols

    def _compute_member_cols(self, state: str) -> list[int]:
        memberships = self.context.memberships.get(state, frozenset())
        return [self.region_col[code] for code in memberships if code in self.region_col]

    # --- components -----------------------------------------------------------------------
    def components(
        self, request: RequestProfile, rows: NDArray[np.intp], embedding: FloatArray | None
    ) -> dict[str, Floats]:
        semantic = self._semantic(rows, embedding)
        return {
            "theme": self._theme_or_text(request, rows, semantic),
            "assistance": self._share(
                self.types, self.type_col, request.assistance_types, rows, empty=0.5
            ),
            "language": self._language(request, rows),
            "text": semantic,
            "coverage": self._specificity(request.state, rows),
            "track_record": self._track(request, rows),
        }

    @staticmethod
    def _share(
        matrix: BoolMatrix,
        column: Mapping[str, int],
        wanted: frozenset[str],
        rows: NDArray[np.intp],
        *,
        empty: float,
    ) -> Floats:
        if not wanted:
            return np.full(rows.size, empty)
        cols = [column[c] for c in wanted if c in column]
        if not cols:
            return np.zeros(rows.size)
        return np.asarray(matrix[_cells(rows, cols)].sum(axis=1) / len(wanted), dtype=np.float64)

    def _theme(self, request: RequestProfile, rows: NDArray[np.intp]) -> Floats:
        """The best-covered needs, not a share: naming more themes never lowers the score."""
        if not request.themes:
            return np.zeros(rows.size)
        weights = {code: request.theme_weight(code) for code in request.themes}
        known = [code for code in sorted(weights) if code in self.theme_col]
        if not known:
            return np.zeros(rows.size)
        cols = [self.theme_col[code] for code in known]
        shared = self.themes[_cells(rows, cols)] * np.array([weights[c] for c in known])
        needs = max(min(sum(weights.values()), THEME_NEEDS), 1.0)
        breadth = np.minimum(1.0, shared.sum(axis=1) / needs)
        best = shared.max(axis=1)
        return np.asarray((1 - THEME_BREADTH) * best + THEME_BREADTH * breadth, dtype=np.float64)

    def _theme_or_text(
        self, request: RequestProfile, rows: NDArray[np.intp], semantic: Floats
    ) -> Floats:
        """The theme component; when the request's themes are only inferred, a close text (in
        meaning, across languages) is as good a sign of a shared subject as a guessed theme."""
        theme = self._theme(request, rows)
        if not request.themes_inferred:
            return theme
        stand_in = np.where(semantic >= TEXT_ALONE, TEXT_AS_THEME * semantic, 0.0)
        return np.maximum(theme, stand_in)

    def _language(self, request: RequestProfile, rows: NDArray[np.intp]) -> Floats:
        wanted = request.languages or frozenset(self.context.state_languages.get(request.state, ()))
        if not wanted:
            return np.full(rows.size, 0.5)
        cols = [self.language_col[c] for c in wanted if c in self.language_col]
        shared = (
            self.languages[_cells(rows, cols)].any(axis=1) if cols else np.zeros(rows.size, bool)
        )
        return np.where(shared, 1.0, np.where(self.no_languages[rows], 0.5, 0.0))

    def _semantic(self, rows: NDArray[np.intp], embedding: FloatArray | None) -> Floats:
        if embedding is None or self.embeddings is None:
            return np.zeros(rows.size)
        cosine = self.embeddings[rows] @ embedding.astype(np.float32)
        return np.asarray(np.clip((cosine - 0.2) / 0.5, 0.0, 1.0), dtype=np.float64)

    def _specificity(self, state: str, rows: NDArray[np.intp]) -> Floats:
        return np.asarray(self._state_view(state).specificity[rows], dtype=np.float64)

    def _compute_specificity(
        self, state: str, member_cols: list[int], rows: NDArray[np.intp]
    ) -> Floats:
        result = np.where(self.is_global[rows], GLOBAL_SPECIFICITY, 0.0)
        if member_cols:
            weights = self.regions[_cells(rows, member_cols)] * self.region_weight[member_cols]
            result = np.maximum(result, weights.max(axis=1))
        column = self.country_col.get(state)
        if column is not None:
            result = np.where(self.countries[rows, column], NAMED_SPECIFICITY, result)
        return np.asarray(result, dtype=np.float64)

    def _track(self, request: RequestProfile, rows: NDArray[np.intp]) -> Floats:
        cols = [self.theme_col[c] for c in request.themes if c in self.theme_col]
        if not cols:
            return np.zeros(rows.size)
        return np.asarray(self.track[_cells(rows, cols)].max(axis=1), dtype=np.float64)

    # --- ranking --------------------------------------------------------------------------
    def rank(
        self,
        request: RequestProfile,
        *,
        k: int = 10,
        threshold: float = THRESHOLD,
        explain: bool = True,
    ) -> list[Suggestion]:
        """The best offers for one request, best first; empty when nothing is good enough."""
        rows = self.eligible_rows(request)
        if rows.size == 0:
            return []
        components = self.components(request, rows, self._request_embedding(request))
        self._add_lexical(request, rows, components)
        total = combine(components)
        good = (total >= threshold - SCORE_EPSILON) & (
            (components["theme"] > 0) | (components["text"] >= TEXT_ALONE)
        )
        picked = np.flatnonzero(good)
        picked = picked[np.argsort(-total[picked], kind="stable")][:k]
        return [
            self._suggestion(request, int(rows[i]), float(total[i]), components, int(i), explain)
            for i in picked
        ]

    def _request_embedding(self, request: RequestProfile) -> FloatArray | None:
        if request.embedding is not None:
            return request.embedding
        if self.embedder is None or self.embeddings is None or not request.text.strip():
            return None
        return np.asarray(self.embedder.embed([request.text])[0], dtype=np.float32)

    def _add_lexical(
        self, request: RequestProfile, rows: NDArray[np.intp], components: dict[str, Floats]
    ) -> None:
        """Lexical similarity for the most promising offers only (it is the costly signal)."""
        if not request.text.strip():
            return
        partial = combine(components)
        pool = np.argsort(-partial, kind="stable")[:LEXICAL_POOL]
        ratios = process.cdist(
            [request.text.casefold()],
            [self.folded_texts[int(rows[i])] for i in pool],
            scorer=fuzz.token_set_ratio,
            workers=1,
        )[0]
        lexical = np.clip((np.asarray(ratios, dtype=np.float64) - 50.0) / 50.0, 0.0, 1.0)
        components["text"][pool] = np.maximum(components["text"][pool], lexical)

    def _suggestion(
        self,
        request: RequestProfile,
        row: int,
        total: float,
        components: dict[str, Floats],
        position: int,
        explain: bool,
    ) -> Suggestion:
        offer = self.offers[row]
        values = {name: round(float(v[position]), 4) for name, v in components.items()}
        if not explain:
            return Suggestion(request.id, offer.id, round(min(1.0, total), 4), values, "")
        reasons = pair_reasons(request, offer, values, self.context)
        explanation = describe(reasons, self.context)
        return Suggestion(
            request.id, offer.id, round(min(1.0, total), 4), values, explanation, reasons
        )


def pair_reasons(
    request: RequestProfile,
    offer: OfferProfile,
    components: Mapping[str, float],
    context: MatchContext,
) -> tuple[Reason, ...]:
    """The reasons of a pair's score, in the order a reader takes them (see `Reason`)."""
    reasons = []
    shared = tuple(sorted(request.themes & offer.themes))
    if shared:
        reasons.append(Reason("themes", {"codes": shared[:3]}))
    types = tuple(sorted(request.assistance_types & offer.assistance_types))
    if types:
        reasons.append(Reason("assistance", {"codes": types[:3]}))
    reasons.append(_coverage_reason(request.state, offer, context))
    wanted = request.languages or frozenset(context.state_languages.get(request.state, ()))
    languages = tuple(sorted(wanted & offer.languages))
    if languages:
        reasons.append(Reason("languages", {"codes": languages}))
    elif offer.languages:
        reasons.append(Reason("offer_languages", {"codes": tuple(sorted(offer.languages))}))
    track = sum(context.track_record.get((offer.provider_id, t), 0) for t in request.themes)
    if track:
        reasons.append(Reason("track_record", {"count": track}))
    if components.get("text", 0.0) >= TEXT_ALONE and offer.text:
        snippet = offer.text if len(offer.text) <= 80 else offer.text[:77].rstrip() + "..."
        reasons.append(Reason("similar_text", {"snippet": snippet}))
    return tuple(reasons)


def explain_pair(
    request: RequestProfile,
    offer: OfferProfile,
    components: Mapping[str, float],
    context: MatchContext,
) -> str:
    """'Themes: NHRI, Torture · Covers Central Asia · Delivers in Russian · Similar to: ...'"""
    return describe(pair_reasons(request, offer, components, context), context)


def describe(reasons: Sequence[Reason], context: MatchContext) -> str:
    """The reasons in English, with the context's names (logs, tests, a fallback): the service
    words them in each reader's language itself."""
    return " · ".join(_english(reason, context) for reason in reasons)


def _english(reason: Reason, context: MatchContext) -> str:
    params = reason.params

    def names(key: str) -> str:
        codes = params.get(key, ())
        return ", ".join(context.name(c) for c in (codes if isinstance(codes, tuple) else ()))

    if reason.code == "themes":
        return "Themes: " + names("codes")
    if reason.code == "assistance":
        return "Help: " + names("codes")
    if reason.code in ("covers_state", "covers_region"):
        return f"Covers {context.name(str(params['code']))}"
    if reason.code == "global":
        return "Global offer"
    if reason.code in ("languages", "offer_languages"):
        return "Delivers in " + names("codes")
    if reason.code == "track_record" and isinstance(count := params.get("count"), int):
        return f"{count} completed activit{'y' if count == 1 else 'ies'} on these themes"
    if reason.code == "similar_text":
        return f"Similar to: '{params['snippet']}'"
    return reason.code


def _coverage_reason(state: str, offer: OfferProfile, context: MatchContext) -> Reason:
    if state in offer.coverage.countries:
        return Reason("covers_state", {"code": state})
    regions = covering_regions(offer.coverage, state, context.memberships)
    if regions:
        best = max(
            regions,
            key=lambda c: (REGION_SPECIFICITY.get(context.region_kinds.get(c, ""), 0.5), c),
        )
        return Reason("covers_region", {"code": best})
    return Reason("global")


def rank_requests(
    offer: OfferProfile,
    requests: Iterable[RequestProfile],
    context: MatchContext,
    *,
    embedder: Embedder | None = None,
    k: int = 10,
    threshold: float = THRESHOLD,
) -> list[Suggestion]:
    """The best requests for one offer (the same scores, seen from the other side)."""
    index = OfferIndex([offer], context, embedder)
    found = [s for r in requests for s in index.rank(r, k=1, threshold=threshold)]
    found.sort(key=lambda s: (-s.score, s.request_id))
    return found[:k]


def candidate_edges(
    index: OfferIndex,
    requests: Iterable[RequestProfile],
    *,
    per_request: int = 50,
    threshold: float = THRESHOLD,
) -> Iterator[Suggestion]:
    """Every suggestable pair (up to `per_request` per request), for batch assignment."""
    for request in requests:
        yield from index.rank(request, k=per_request, threshold=threshold, explain=False)
