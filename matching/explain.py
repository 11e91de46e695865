"""Why a request-offer pair is or is not suggested ("why not"): every hard constraint of
`OfferIndex` with its outcome and the facts behind it, every score component with its value and
weight, the total against the threshold, and where the offer ranks among the request's
suggestable offers.

A pure function over the profiles, computed through the index's own arrays and methods, so it
agrees with `OfferIndex.rank`: a constraint passes exactly when `eligible_rows` keeps the offer,
and for an offer that passes them all the components and total are rank's (the same eligible
set, hence the same pool of offers that get the lexical text signal). For an offer that fails a
constraint, the components are what the pair would score if that constraint were lifted (the
offer scored alone).

Facts are plain values (codes, dates, numbers), never sentences: the caller words them in the
reader's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from numpy.typing import NDArray

from matching.coverage import covering_regions
from matching.profiles import OfferProfile, RequestProfile
from matching.scoring import (
    REGION_SPECIFICITY,
    SCORE_EPSILON,
    TEXT_ALONE,
    THRESHOLD,
    WEIGHTS,
    Floats,
    OfferIndex,
    combine,
)

# The hard constraints, in the order a reader checks them.
CONSTRAINTS = ("active", "coverage", "period", "capacity", "provider", "not_rejected")
Fact = (
    str
    | int
    | float
    | bool
    | date
    | None
    | tuple[str, ...]
    | Mapping[str, int]
    | Mapping[str, float]
)


@dataclass(frozen=True)
class ConstraintCheck:
    name: str
    passed: bool
    facts: Mapping[str, Fact] = field(default_factory=dict)


@dataclass(frozen=True)
class ComponentCheck:
    name: str
    value: float  # in [0, 1], rounded as rank rounds it
    weight: float
    facts: Mapping[str, Fact] = field(default_factory=dict)

    @property
    def contribution(self) -> float:
        return round(self.value * self.weight, 4)


@dataclass(frozen=True)
class PairExplanation:
    request_id: int
    offer_id: int
    constraints: tuple[ConstraintCheck, ...]
    components: tuple[ComponentCheck, ...]
    total: float  # the combined score, rounded as rank rounds it
    threshold: float
    relevant: bool  # shares a theme, or the texts are similar enough alone
    position: int | None  # 1 = the request's best suggestable offer; None: not suggestable

    @property
    def failed(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.constraints if not c.passed)

    @property
    def eligible(self) -> bool:
        return not self.failed

    @property
    def reaches_threshold(self) -> bool:
        return self.total >= self.threshold - SCORE_EPSILON

    @property
    def suggestable(self) -> bool:
        return self.position is not None


def explain_offer(
    index: OfferIndex, request: RequestProfile, offer_id: int, *, threshold: float = THRESHOLD
) -> PairExplanation:
    """Explain the pair (request, offer `offer_id`); the offer must be in the index (KeyError)."""
    row = index.row_of[offer_id]
    offer = index.offers[row]
    constraints = _constraints(index, request, offer, row)
    eligible = index.eligible_rows(request)
    positions = np.flatnonzero(eligible == row)
    if positions.size:  # scored among every eligible offer, as rank scores it
        rows, at = eligible, int(positions[0])
    else:
        rows, at = np.array([row], dtype=np.intp), 0
    semantic = index.components(request, rows, index._request_embedding(request))
    scored = {name: values.copy() for name, values in semantic.items()}
    index._add_lexical(request, rows, scored)
    total = combine(scored)
    relevant = (scored["theme"] > 0) | (scored["text"] >= TEXT_ALONE)
    good = (total >= threshold - SCORE_EPSILON) & relevant
    position = None
    if positions.size and good[at]:
        picked = np.flatnonzero(good)
        order = picked[np.argsort(-total[picked], kind="stable")]
        position = int(np.flatnonzero(order == at)[0]) + 1
    return PairExplanation(
        request_id=request.id,
        offer_id=offer.id,
        constraints=constraints,
        components=_components(
            index, request, offer, scored, semantic["text"], at, constraints, rows
        ),
        total=round(min(1.0, float(total[at])), 4),
        threshold=threshold,
        relevant=bool(relevant[at]),
        position=position,
    )


# --- constraints: the index's own arrays decide, the profiles give the facts -------------------
def _constraints(
    index: OfferIndex, request: RequestProfile, offer: OfferProfile, row: int
) -> tuple[ConstraintCheck, ...]:
    request_start, request_end = request.period.start, request.period.end
    overlaps = bool(
        index.start[row] <= (request_end or date.max).toordinal()
        and index.end[row] >= (request_start.toordinal() if request_start else 0)
    )
    checks = {
        "active": ConstraintCheck("active", bool(index.active[row])),
        "coverage": ConstraintCheck(
            "coverage",
            bool(index.covers(request.state)[row]),
            _coverage_facts(index, request, offer),
        ),
        "period": ConstraintCheck(
            "period",
            overlaps,
            {
                "request_start": request_start,
                "request_end": request_end,
                "offer_start": offer.period.start,
                "offer_end": offer.period.end,
            },
        ),
        "capacity": ConstraintCheck(
            "capacity", bool(index.capacity[row] > 0), {"places_left": int(index.capacity[row])}
        ),
        "provider": ConstraintCheck(
            "provider",
            bool(index.provider_state[row] != request.state),
            {"provider_state": offer.provider_state, "state": request.state},
        ),
        "not_rejected": ConstraintCheck(
            "not_rejected", row not in index.rejected.get(request.id, ())
        ),
    }
    return tuple(checks[name] for name in CONSTRAINTS)


def _coverage_facts(
    index: OfferIndex, request: RequestProfile, offer: OfferProfile
) -> dict[str, Fact]:
    """How the offer reaches the State: named, through its most specific region or group, or
    globally; otherwise what it does cover."""
    coverage = offer.coverage
    regions = covering_regions(coverage, request.state, index.context.memberships)
    how, region = "none", None
    if request.state in coverage.countries:
        how = "named"
    elif regions:
        how = "region"
        kinds = index.context.region_kinds
        region = max(regions, key=lambda c: (REGION_SPECIFICITY.get(kinds.get(c, ""), 0.5), c))
    elif coverage.is_global:
        how = "global"
    return {
        "state": request.state,
        "how": how,
        "region": region,
        "offer_countries": tuple(sorted(coverage.countries)),
        "offer_regions": tuple(sorted(coverage.regions)),
        "offer_global": coverage.is_global,
    }


# --- components ---------------------------------------------------------------------------------
def _components(
    index: OfferIndex,
    request: RequestProfile,
    offer: OfferProfile,
    scored: Mapping[str, Floats],
    semantic_text: Floats,
    at: int,
    constraints: tuple[ConstraintCheck, ...],
    rows: NDArray[np.intp],
) -> tuple[ComponentCheck, ...]:
    wanted_languages = request.languages or frozenset(
        index.context.state_languages.get(request.state, ())
    )
    semantic = round(float(semantic_text[at]), 4)
    text = round(float(scored["text"][at]), 4)
    coverage = next(c for c in constraints if c.name == "coverage").facts
    by_themes = float(index._theme(request, rows[at : at + 1])[0])
    facts: dict[str, dict[str, Fact]] = {
        "theme": {
            "wanted": _sorted(request.themes),
            "shared": _sorted(request.themes & offer.themes),
            "inferred": request.themes_inferred,
            # how far matching trusts each theme (1: stated or confirmed by the State)
            "weights": {
                code: round(request.theme_weight(code), 2) for code in sorted(request.themes)
            },
            # the themes' guesses missed, a close text stood in (scoring.TEXT_AS_THEME)
            "from_text": float(scored["theme"][at]) > by_themes + SCORE_EPSILON,
        },
        "assistance": {
            "wanted": _sorted(request.assistance_types),
            "shared": _sorted(request.assistance_types & offer.assistance_types),
        },
        "language": {
            "wanted": _sorted(wanted_languages),
            "from_state": not request.languages,
            "shared": _sorted(wanted_languages & offer.languages),
            "offered": _sorted(offer.languages),
        },
        "text": {"semantic": semantic, "lexical": text if text > semantic else None},
        "coverage": {"how": coverage["how"], "region": coverage["region"]},
        "track_record": {
            "completed": {
                theme: count
                for theme in sorted(request.themes)
                if (count := index.context.track_record.get((offer.provider_id, theme), 0))
            }
        },
    }
    return tuple(
        ComponentCheck(
            name=name,
            value=round(float(scored[name][at]), 4),
            weight=WEIGHTS[name],
            facts=facts.get(name, {}),
        )
        for name in sorted(WEIGHTS, key=lambda n: (-WEIGHTS[n], n))
    )


def _sorted(codes: frozenset[str]) -> tuple[str, ...]:
    return tuple(sorted(codes))
