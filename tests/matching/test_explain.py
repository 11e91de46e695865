"""The "why not" of a pair (matching.explain) agrees with what OfferIndex.rank does: every pair
rank returns passes every constraint with rank's own total, components and place; every decoy
names the constraint it fails."""

from __future__ import annotations

import random
from datetime import date

import numpy as np
import pytest

from matching.coverage import Coverage
from matching.explain import CONSTRAINTS, explain_offer
from matching.profiles import MatchContext, OfferProfile, Period, RequestProfile
from matching.scoring import LEXICAL_POOL, THRESHOLD, WEIGHTS, OfferIndex

THEMES = ("torture", "nhri", "children", "women", "justice", "education")
TYPES = ("training", "legislative-review", "institution-building", "funding")
LANGUAGES = ("ru", "en", "fr", "es")
WORDS = [
    "prison",
    "monitoring",
    "detention",
    "visits",
    "national",
    "preventive",
    "mechanism",
    "school",
    "women",
    "law",
]

CONTEXT = MatchContext(
    memberships={
        "KAZ": frozenset({"m49-142", "m49-143", "hrc-asia-pacific", "lldc"}),
        "SEN": frozenset({"m49-002", "m49-202", "m49-011", "hrc-african", "ldc"}),
    },
    region_kinds={
        "m49-142": "m49_region",
        "m49-143": "m49_subregion",
        "hrc-asia-pacific": "hrc_group",
        "lldc": "un_group",
        "m49-002": "m49_region",
    },
    state_languages={"KAZ": ("ru", "en"), "SEN": ("fr",)},
    track_record={(3, "torture"): 2, (5, "nhri"): 4},
    rejected=frozenset({(1, 1004)}),
)
REQUEST = RequestProfile(
    id=1,
    state="KAZ",
    themes=frozenset({"torture", "nhri"}),
    assistance_types=frozenset({"training"}),
    languages=frozenset({"ru"}),
    period=Period(date(2027, 1, 1), date(2027, 12, 31)),
    text="Training on prison monitoring and detention visits for the national preventive mechanism",
)


def _unit(rng: random.Random) -> np.ndarray:
    vector = np.array([rng.gauss(0, 1) for _ in range(8)], dtype=np.float32)
    return np.asarray(vector / np.linalg.norm(vector), dtype=np.float32)


def _offer(offer_id: int, rng: random.Random, **fields: object) -> OfferProfile:
    coverage = rng.choice(
        [
            Coverage(countries=frozenset({"KAZ"})),
            Coverage(regions=frozenset({"m49-143"})),
            Coverage(regions=frozenset({"lldc"})),
            Coverage(is_global=True),
        ]
    )
    base: dict[str, object] = {
        "id": offer_id,
        "provider_id": offer_id % 7,
        "themes": frozenset(rng.sample(THEMES, rng.randint(0, 3))),
        "coverage": coverage,
        "capacity_left": rng.randint(1, 3),
        "assistance_types": frozenset(rng.sample(TYPES, rng.randint(0, 2))),
        "languages": frozenset(rng.sample(LANGUAGES, rng.randint(0, 2))),
        "period": Period(date(2026, rng.randint(1, 12), 1), None),
        "text": " ".join(rng.sample(WORDS, rng.randint(2, 6))),
        "embedding": _unit(rng),
    }
    base.update(fields)
    return OfferProfile(**base)  # type: ignore[arg-type]


# Decoys: a plausible offer (on the request's themes, named coverage) failing one constraint.
DECOYS: dict[int, tuple[str, dict[str, object]]] = {
    1001: ("active", {"active": False}),
    1002: ("coverage", {"coverage": Coverage(countries=frozenset({"SEN"}))}),
    1003: ("period", {"period": Period(date(2025, 1, 1), date(2026, 12, 31))}),
    1004: ("not_rejected", {}),
    1005: ("capacity", {"capacity_left": 0}),
    1006: ("provider", {"provider_state": "KAZ"}),
}


def _world(seed: int) -> tuple[OfferIndex, RequestProfile]:
    rng = random.Random(seed)
    # More offers than the lexical pool, so that some eligible offers get no lexical signal.
    offers = [_offer(i, rng) for i in range(1, LEXICAL_POOL + 30)]
    for offer_id, (_name, fields) in DECOYS.items():
        plausible: dict[str, object] = {
            "themes": REQUEST.themes,
            "coverage": Coverage(countries=frozenset({"KAZ"})),
            "languages": frozenset({"ru"}),
            "text": REQUEST.text,
            **fields,
        }
        offers.append(_offer(offer_id, rng, **plausible))
    request = RequestProfile(**{**REQUEST.__dict__, "embedding": _unit(rng)})
    return OfferIndex(offers, CONTEXT), request


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_pair_rank_returns_passes_every_constraint_with_ranks_score(seed: int) -> None:
    index, request = _world(seed)
    ranked = index.rank(request, k=len(index.offers))
    assert len(ranked) >= 10, "the world should give rank something to return"
    for place, suggestion in enumerate(ranked, start=1):
        why = explain_offer(index, request, suggestion.offer_id)
        assert why.eligible, (suggestion.offer_id, why.failed)
        assert [c.name for c in why.constraints] == list(CONSTRAINTS)
        assert why.total == suggestion.score
        assert {c.name: c.value for c in why.components} == suggestion.components
        assert why.position == place
        assert why.suggestable
        assert why.reaches_threshold
        assert why.relevant


@pytest.mark.parametrize("seed", [1, 2])
def test_eligible_offers_rank_leaves_out_fail_the_threshold_or_relevance(seed: int) -> None:
    index, request = _world(seed)
    returned = {s.offer_id for s in index.rank(request, k=len(index.offers))}
    eligible = {index.offers[int(r)].id for r in index.eligible_rows(request)}
    left_out = eligible - returned
    assert left_out, "some eligible offers should score too low"
    for offer_id in left_out:
        why = explain_offer(index, request, offer_id)
        assert why.eligible
        assert why.position is None
        assert not (why.reaches_threshold and why.relevant), offer_id


@pytest.mark.parametrize("offer_id", sorted(DECOYS))
def test_a_decoy_names_the_constraint_it_fails(offer_id: int) -> None:
    index, request = _world(1)
    assert offer_id not in {s.offer_id for s in index.rank(request, k=len(index.offers))}
    why = explain_offer(index, request, offer_id)
    assert why.failed == (DECOYS[offer_id][0],)
    assert why.position is None
    assert not why.suggestable
    # what it would score without the constraint: a plausible offer, above the threshold
    assert why.total >= THRESHOLD
    assert why.relevant


def test_constraint_and_component_facts() -> None:
    index, request = _world(1)
    checks = {c.name: c for c in explain_offer(index, request, 1002).constraints}
    assert checks["coverage"].facts["how"] == "none"
    assert checks["coverage"].facts["offer_countries"] == ("SEN",)
    assert checks["period"].facts["request_start"] == date(2027, 1, 1)
    assert explain_offer(index, request, 1003).constraints[2].facts["offer_end"] == date(
        2026, 12, 31
    )
    places = {c.name: c for c in explain_offer(index, request, 1005).constraints}["capacity"]
    assert places.facts == {"places_left": 0}
    provider = {c.name: c for c in explain_offer(index, request, 1006).constraints}["provider"]
    assert provider.facts == {"provider_state": "KAZ", "state": "KAZ"}

    named = explain_offer(index, request, 1001)
    parts = {c.name: c for c in named.components}
    assert list(parts) == sorted(WEIGHTS, key=lambda n: (-WEIGHTS[n], n))
    assert parts["theme"].value == 1.0
    assert parts["theme"].facts["shared"] == ("nhri", "torture")
    assert parts["language"].facts == {
        "wanted": ("ru",),
        "from_state": False,
        "shared": ("ru",),
        "offered": ("ru",),
    }
    assert parts["coverage"].facts == {"how": "named", "region": None}
    assert parts["coverage"].value == 1.0
    assert parts["theme"].contribution == round(1.0 * WEIGHTS["theme"], 4)
    # identical texts: the lexical signal carries the text component
    assert parts["text"].facts["lexical"] == 1.0


def test_region_coverage_and_track_record_facts() -> None:
    rng = random.Random(5)
    offers = [
        _offer(
            5,
            rng,
            themes=frozenset({"nhri"}),
            coverage=Coverage(regions=frozenset({"m49-142", "m49-143"})),
        )
    ]
    index = OfferIndex(offers, CONTEXT)
    why = explain_offer(index, REQUEST, 5)
    coverage = {c.name: c for c in why.constraints}["coverage"]
    assert coverage.passed
    assert (coverage.facts["how"], coverage.facts["region"]) == ("region", "m49-143")
    record = {c.name: c for c in why.components}["track_record"]
    assert record.facts == {"completed": {"nhri": 4}}
    assert record.value == 1.0


def test_an_offer_missing_from_the_index_is_a_key_error() -> None:
    index, request = _world(1)
    with pytest.raises(KeyError):
        explain_offer(index, request, 999_999)


def test_a_close_text_standing_in_for_a_guessed_theme_is_said() -> None:
    rng = random.Random(7)
    vector = _unit(rng)
    guessed = RequestProfile(
        **{**REQUEST.__dict__, "theme_weights": {"torture": 0.75, "nhri": 0.5}, "embedding": vector}
    )
    confirmed = RequestProfile(**{**guessed.__dict__, "theme_weights": {}})
    offers = [_offer(7, rng, themes=frozenset({"women"}), embedding=vector)]
    index = OfferIndex(offers, CONTEXT)
    theme = {c.name: c for c in explain_offer(index, guessed, 7).components}["theme"]
    assert theme.facts["shared"] == ()
    assert (theme.facts["inferred"], theme.facts["from_text"]) == (True, True)
    assert theme.facts["weights"] == {"nhri": 0.5, "torture": 0.75}
    assert theme.value == pytest.approx(0.2)  # TEXT_AS_THEME x a semantic similarity of 1
    theme = {c.name: c for c in explain_offer(index, confirmed, 7).components}["theme"]
    assert (theme.facts["inferred"], theme.facts["from_text"], theme.value) == (False, False, 0.0)
