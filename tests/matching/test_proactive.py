"""Proactive matching: supported recommendations against offers, streamed and vectorised."""

from __future__ import annotations

import random
from collections.abc import Iterator

import numpy as np
import pytest

from matching.coverage import Coverage
from matching.proactive import (
    ProactiveMatcher,
    ProactiveSuggestion,
    as_request,
    proactive_suggestions,
)
from matching.profiles import MatchContext, OfferProfile, RecommendationProfile
from matching.scoring import OfferIndex

CONTEXT = MatchContext(
    memberships={
        "KAZ": frozenset({"m49-142", "m49-143", "hrc-asia-pacific", "lldc"}),
        "KGZ": frozenset({"m49-142", "m49-143", "hrc-asia-pacific", "lldc"}),
        "SEN": frozenset({"m49-002", "m49-202", "m49-011", "hrc-african", "ldc"}),
        "DNK": frozenset({"m49-150", "m49-154", "hrc-weog"}),
    },
    region_kinds={
        "m49-142": "m49_region",
        "m49-143": "m49_subregion",
        "m49-002": "m49_region",
        "m49-202": "m49_subregion",
        "m49-011": "m49_intermediate_region",
        "m49-150": "m49_region",
        "m49-154": "m49_subregion",
        "hrc-asia-pacific": "hrc_group",
        "hrc-african": "hrc_group",
        "hrc-weog": "hrc_group",
        "lldc": "un_group",
        "ldc": "un_group",
    },
    state_languages={"KAZ": ("ru", "en"), "KGZ": ("ru",), "SEN": ("fr",), "DNK": ("da",)},
    track_record={(7, "torture"): 3, (8, "torture"): 1, (8, "nhri"): 2},
    names={"torture": "Torture", "nhri": "NHRI", "m49-143": "Central Asia", "ru": "Russian"},
)

RECOMMENDATION = RecommendationProfile(
    id=1,
    state="KAZ",
    themes=frozenset({"torture"}),
    text="Establish a national preventive mechanism",
)


def offer(offer_id: int, **fields: object) -> OfferProfile:
    base: dict[str, object] = {
        "id": offer_id,
        "provider_id": offer_id,
        "themes": frozenset({"torture"}),
        "coverage": Coverage(regions=frozenset({"m49-143"})),
        "capacity_left": 1,
        "languages": frozenset({"ru"}),
    }
    base.update(fields)
    return OfferProfile(**base)  # type: ignore[arg-type]


def suggest(
    offers: list[OfferProfile], recommendations: list[RecommendationProfile], **kwargs: object
) -> list[ProactiveSuggestion]:
    return list(proactive_suggestions(OfferIndex(offers, CONTEXT), recommendations, **kwargs))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "fields"),
    [
        ("does not cover the State", {"coverage": Coverage(countries=frozenset({"SEN"}))}),
        ("no capacity left", {"capacity_left": 0}),
        ("not active", {"active": False}),
        ("the provider is the State", {"provider_state": "KAZ"}),
    ],
)
def test_hard_constraints_are_never_broken(name: str, fields: dict[str, object]) -> None:
    found = suggest([offer(1), offer(2, **fields)], [RECOMMENDATION], threshold=0.0)
    assert [s.offer_id for s in found] == [1], name


def test_no_period_constraint_for_recommendations() -> None:
    from datetime import date

    from matching.profiles import Period

    past = offer(1, period=Period(date(2020, 1, 1), date(2020, 12, 31)))
    assert [s.offer_id for s in suggest([past], [RECOMMENDATION])] == [1]


def test_components_and_explanation() -> None:
    (found,) = suggest([offer(7)], [RECOMMENDATION])
    assert found.recommendation_id == 1
    assert found.components == {
        "theme": 1.0,
        "assistance": 0.5,
        "language": 1.0,
        "text": 0.0,
        "coverage": 0.8,
        "track_record": 1.0,
    }
    assert found.score == pytest.approx(0.35 + 0.075 + 0.10 + 0.08 + 0.10)
    assert found.explanation == (
        "Themes: Torture · Covers Central Asia · Delivers in Russian"
        " · 3 completed activities on these themes"
    )


def test_below_the_threshold_nothing_is_suggested() -> None:
    unrelated = offer(1, themes=frozenset({"nhri"}), coverage=Coverage(is_global=True))
    assert suggest([unrelated], [RECOMMENDATION]) == []
    assert suggest([unrelated], [RECOMMENDATION], threshold=0.0) == [], "theme fit must be > 0"
    untagged = RecommendationProfile(id=2, state="KAZ", themes=frozenset())
    assert suggest([offer(1)], [untagged], threshold=0.0) == []
    # Half the themes, a global offer in a language nobody uses there: 0.175 + 0.075 + 0.03.
    weak = offer(2, coverage=Coverage(is_global=True), languages=frozenset({"fr"}))
    two_themes = RecommendationProfile(id=3, state="KAZ", themes=frozenset({"torture", "nhri"}))
    assert suggest([weak], [two_themes]) == []
    assert [s.offer_id for s in suggest([weak], [two_themes], threshold=0.25)] == [2]


def test_similar_text_alone_is_not_enough() -> None:
    vector = np.ones(4, dtype=np.float32) / 2
    other_theme = offer(1, themes=frozenset({"nhri"}), embedding=vector)
    same_theme = offer(2, embedding=vector)
    recommendation = RecommendationProfile(
        id=1, state="KAZ", themes=frozenset({"torture"}), embedding=vector
    )
    (found,) = suggest([other_theme, same_theme], [recommendation], threshold=0.0)
    assert (found.offer_id, found.components["text"]) == (2, 1.0)


def test_specific_coverage_ranks_first_and_k_limits() -> None:
    offers = [
        offer(1, coverage=Coverage(is_global=True)),
        offer(2, coverage=Coverage(regions=frozenset({"m49-143"}))),
        offer(3, coverage=Coverage(countries=frozenset({"KAZ"}))),
        offer(4, coverage=Coverage(regions=frozenset({"lldc"}))),
    ]
    ranked = suggest(offers, [RECOMMENDATION])
    assert [s.offer_id for s in ranked] == [3, 2, 4, 1]
    assert [s.components["coverage"] for s in ranked] == [1.0, 0.8, 0.6, 0.3]
    assert [s.offer_id for s in suggest(offers, [RECOMMENDATION], k=2)] == [3, 2]


def test_ties_are_broken_by_offer_order_like_rank() -> None:
    offers = [offer(i, provider_id=100 + i) for i in range(1, 9)]
    found = suggest(offers, [RECOMMENDATION], k=3)
    assert [s.offer_id for s in found] == [1, 2, 3]
    assert len({s.score for s in found}) == 1


def test_dismissed_pairs_are_not_suggested_again() -> None:
    index = OfferIndex([offer(1), offer(2)], CONTEXT)
    other = RecommendationProfile(id=9, state="KAZ", themes=frozenset({"torture"}))
    found = proactive_suggestions(index, [RECOMMENDATION, other], dismissed={(1, 2)})
    assert {(s.recommendation_id, s.offer_id) for s in found} == {(1, 1), (9, 1), (9, 2)}


def test_request_rejections_do_not_apply_to_recommendations() -> None:
    context = MatchContext(**{**CONTEXT.__dict__, "rejected": frozenset({(1, 2)})})
    index = OfferIndex([offer(1), offer(2)], context)
    assert {s.offer_id for s in proactive_suggestions(index, [RECOMMENDATION])} == {1, 2}


def test_streams_from_a_generator_in_input_order() -> None:
    consumed = []

    def recommendations() -> Iterator[RecommendationProfile]:
        for i in range(1, 1001):
            consumed.append(i)
            yield RecommendationProfile(id=i, state="KAZ", themes=frozenset({"torture"}))

    matcher = ProactiveMatcher(OfferIndex([offer(1), offer(2)], CONTEXT))
    stream = matcher.suggest(recommendations(), k=1, chunk_size=100)
    first = next(stream)
    assert (first.recommendation_id, first.offer_id) == (1, 1)
    assert len(consumed) == 100, "only the first chunk is read"
    rest = list(stream)
    assert [s.recommendation_id for s in rest] == list(range(2, 1001))
    assert len(consumed) == 1000


def test_empty_index_and_empty_input() -> None:
    assert suggest([], [RECOMMENDATION]) == []
    assert suggest([offer(1)], []) == []


def random_case(
    seed: int, *, embeddings: bool = False
) -> tuple[MatchContext, list[OfferProfile], list[RecommendationProfile]]:
    rng = random.Random(seed)
    np_rng = np.random.default_rng(seed)
    themes = ["torture", "nhri", "education", "health", "women", "children", "prisons", "media"]
    states = [*CONTEXT.memberships, "XXX"]  # XXX: no memberships, no languages
    regions = sorted({code for codes in CONTEXT.memberships.values() for code in codes})
    languages = ["ru", "en", "fr", "da", "ar"]
    providers = list(range(1, 16))
    track = {(rng.choice(providers), rng.choice(themes)): rng.randint(1, 5) for _ in range(20)}
    context = MatchContext(**{**CONTEXT.__dict__, "track_record": track})

    def vector() -> np.ndarray:
        v = np_rng.normal(size=16).astype(np.float32)
        return v / np.linalg.norm(v)

    offers = []
    for i in range(60):
        provider = rng.choice(providers)
        offers.append(
            OfferProfile(
                id=1000 + i,
                provider_id=provider,
                themes=frozenset(rng.sample(themes, rng.randint(1, 3))),
                coverage=Coverage(
                    is_global=rng.random() < 0.2,
                    countries=frozenset(rng.sample(states, rng.randint(0, 2))),
                    regions=frozenset(rng.sample(regions, rng.randint(0, 2))),
                ),
                capacity_left=rng.choice([0, 1, 2, 3]),
                provider_state=rng.choice([None, None, *states]),
                languages=frozenset(rng.sample(languages, rng.randint(0, 2))),
                active=rng.random() < 0.9,
                embedding=vector() if embeddings else None,
            )
        )
    recommendations = [
        RecommendationProfile(
            id=i,
            state=rng.choice(states),
            themes=frozenset(rng.sample([*themes, "unknown-theme"], rng.randint(0, 3))),
            embedding=vector() if embeddings and rng.random() < 0.7 else None,
        )
        for i in range(150)
    ]
    return context, offers, recommendations


def rank_individually(
    index: OfferIndex, recommendations: list[RecommendationProfile], k: int, threshold: float
) -> list[tuple[int, int, float, dict[str, float], str]]:
    found = []
    offers = {offer.id: offer for offer in index.offers}
    for recommendation in recommendations:
        for s in index.rank(as_request(recommendation), k=len(index.offers), threshold=threshold):
            # proactive matching requires a shared theme (rank also takes close texts for
            # requests whose themes are only inferred, such as one with none)
            if recommendation.themes & offers[s.offer_id].themes:
                found.append((s.request_id, s.offer_id, s.score, s.components, s.explanation))
                if sum(1 for f in found if f[0] == s.request_id) == k:
                    break
    return found


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize(("k", "threshold", "chunk_size"), [(3, 0.45, 7), (50, 0.3, None)])
def test_same_suggestions_as_ranking_each_recommendation(
    seed: int, k: int, threshold: float, chunk_size: int | None
) -> None:
    context, offers, recommendations = random_case(seed)
    index = OfferIndex(offers, context)
    expected = rank_individually(index, recommendations, k, threshold)
    matcher = ProactiveMatcher(index)
    found = [
        (s.recommendation_id, s.offer_id, s.score, s.components, s.explanation)
        for s in matcher.suggest(
            iter(recommendations), k=k, threshold=threshold, chunk_size=chunk_size
        )
    ]
    assert len(expected) > 50
    assert found == expected


@pytest.mark.parametrize("seed", range(3))
def test_with_embeddings_the_text_component_matches_rank(seed: int) -> None:
    context, offers, recommendations = random_case(seed, embeddings=True)
    index = OfferIndex(offers, context)
    expected = rank_individually(index, recommendations, 5, 0.45)
    found = list(proactive_suggestions(index, recommendations, k=5, threshold=0.45))
    assert any(s.components["text"] > 0 for s in found)
    assert [(s.recommendation_id, s.offer_id) for s in found] == [e[:2] for e in expected]
    for suggestion, (_, _, score, components, explanation) in zip(found, expected, strict=True):
        assert suggestion.score == pytest.approx(score, abs=1e-4)
        assert suggestion.components == pytest.approx(components, abs=1e-4)
        assert suggestion.explanation == explanation
