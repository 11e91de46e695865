"""The matcher's hard constraints, components, threshold and explanations."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pytest

from matching.coverage import Coverage
from matching.profiles import (
    FloatArray,
    MatchContext,
    OfferProfile,
    Period,
    RequestProfile,
    ThemeOrigin,
    weigh_request_themes,
)
from matching.scoring import OfferIndex, Reason, candidate_edges, rank_requests

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
        "m49-011": "m49_intermediate_region",
        "hrc-asia-pacific": "hrc_group",
        "lldc": "un_group",
        "ldc": "un_group",
    },
    state_languages={"KAZ": ("ru", "en"), "SEN": ("fr",)},
    track_record={(7, "torture"): 3},
    names={
        "torture": "Torture",
        "nhri": "NHRI",
        "m49-143": "Central Asia",
        "ru": "Russian",
        "KAZ": "Kazakhstan",
    },
)

REQUEST = RequestProfile(
    id=1,
    state="KAZ",
    themes=frozenset({"torture"}),
    assistance_types=frozenset({"training"}),
    languages=frozenset({"ru"}),
    period=Period(date(2027, 1, 1), date(2027, 12, 31)),
)


def offer(offer_id: int, **fields: object) -> OfferProfile:
    base: dict[str, object] = {
        "id": offer_id,
        "provider_id": offer_id,
        "themes": frozenset({"torture"}),
        "coverage": Coverage(regions=frozenset({"m49-143"})),
        "capacity_left": 1,
        "assistance_types": frozenset({"training"}),
        "languages": frozenset({"ru"}),
        "period": Period(date(2026, 1, 1), date(2028, 12, 31)),
    }
    base.update(fields)
    return OfferProfile(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "fields"),
    [
        ("does not cover the State", {"coverage": Coverage(countries=frozenset({"SEN"}))}),
        ("periods do not overlap", {"period": Period(date(2025, 1, 1), date(2026, 6, 30))}),
        ("no capacity left", {"capacity_left": 0}),
        ("not active", {"active": False}),
        ("the provider is the State", {"provider_state": "KAZ"}),
    ],
)
def test_hard_constraints_are_never_broken(name: str, fields: dict[str, object]) -> None:
    index = OfferIndex([offer(1), offer(2, **fields)], CONTEXT)
    found = [s.offer_id for s in index.rank(REQUEST, threshold=0.0)]
    assert found == [1], name


def test_a_rejected_pair_is_never_suggested_again() -> None:
    context = MatchContext(**{**CONTEXT.__dict__, "rejected": frozenset({(1, 2)})})
    index = OfferIndex([offer(1), offer(2)], context)
    assert [s.offer_id for s in index.rank(REQUEST)] == [1]
    other = RequestProfile(**{**REQUEST.__dict__, "id": 9})
    assert {s.offer_id for s in index.rank(other)} == {1, 2}


def test_components_and_explanation() -> None:
    index = OfferIndex([offer(7)], CONTEXT)
    (best,) = index.rank(REQUEST)
    assert best.components == {
        "theme": 1.0,
        "assistance": 1.0,
        "language": 1.0,
        "text": 0.0,
        "coverage": 0.8,
        "track_record": 1.0,
    }
    assert best.score == pytest.approx(0.35 + 0.15 + 0.10 + 0.08 + 0.10)
    assert best.explanation == (
        "Themes: Torture · Help: training · Covers Central Asia · Delivers in Russian"
        " · 3 completed activities on these themes"
    )
    # the same reasons as codes and parameters, for the service to word in each reader's language
    assert best.reasons == (
        Reason("themes", {"codes": ("torture",)}),
        Reason("assistance", {"codes": ("training",)}),
        Reason("covers_region", {"code": "m49-143"}),
        Reason("languages", {"codes": ("ru",)}),
        Reason("track_record", {"count": 3}),
    )
    assert best.reasons[0].as_dict() == {"code": "themes", "params": {"codes": ["torture"]}}


def test_specific_coverage_beats_global_and_named_country_beats_region() -> None:
    offers = [
        offer(1, coverage=Coverage(is_global=True)),
        offer(2, coverage=Coverage(regions=frozenset({"m49-143"}))),
        offer(3, coverage=Coverage(countries=frozenset({"KAZ"}))),
        offer(4, coverage=Coverage(regions=frozenset({"lldc"}))),
    ]
    ranked = OfferIndex(offers, CONTEXT).rank(REQUEST)
    assert [s.offer_id for s in ranked] == [3, 2, 4, 1]
    assert [s.components["coverage"] for s in ranked] == [1.0, 0.8, 0.6, 0.3]


def test_language_falls_back_on_the_states_languages() -> None:
    request = RequestProfile(**{**REQUEST.__dict__, "languages": frozenset()})
    offers = [
        offer(1, languages=frozenset({"en"})),
        offer(2, languages=frozenset({"fr"})),
        offer(3, languages=frozenset()),
    ]
    scores = {
        s.offer_id: s.components["language"]
        for s in OfferIndex(offers, CONTEXT).rank(request, threshold=0.0)
    }
    assert scores == {1: 1.0, 2: 0.0, 3: 0.5}


def test_below_the_threshold_nothing_is_suggested() -> None:
    unrelated = offer(
        1,
        themes=frozenset({"nhri"}),
        assistance_types=frozenset({"funding"}),
        languages=frozenset({"fr"}),
        coverage=Coverage(is_global=True),
    )
    assert OfferIndex([unrelated], CONTEXT).rank(REQUEST) == []


def _theme(request: RequestProfile, offer_themes: set[str]) -> float:
    index = OfferIndex([offer(1, themes=frozenset(offer_themes))], CONTEXT)
    rows = index.eligible_rows(request)
    return float(index.components(request, rows, None)["theme"][0])


def test_naming_more_themes_never_lowers_the_theme_score() -> None:
    one = RequestProfile(**{**REQUEST.__dict__, "themes": frozenset({"torture"})})
    many = RequestProfile(
        **{**REQUEST.__dict__, "themes": frozenset({"torture", "nhri", "privacy", "death-penalty"})}
    )
    assert _theme(one, {"torture"}) == 1.0
    assert _theme(many, {"torture"}) == 0.875, "the best-covered need, plus a breadth bonus"
    assert _theme(many, {"torture", "nhri"}) == 1.0, "two needs covered: full"
    assert _theme(many, {"ratification"}) == 0.0


def test_inferred_themes_weigh_less_than_confirmed_ones() -> None:
    confirmed = RequestProfile(**{**REQUEST.__dict__, "themes": frozenset({"torture"})})
    inferred = RequestProfile(
        **{**REQUEST.__dict__, "theme_weights": weigh_request_themes([], [_guess("torture")])}
    )
    agreed = weigh_request_themes(
        [], [_guess("torture"), ThemeOrigin("torture", "recommendation", 0.6)]
    )
    assert _theme(inferred, {"torture"}) == pytest.approx(0.75)
    assert _theme(confirmed, {"torture"}) > _theme(inferred, {"torture"})
    assert agreed == {"torture": pytest.approx(0.85)}, "text and recommendation agree"


def _guess(code: str) -> ThemeOrigin:
    return ThemeOrigin(code, "text", 0.5)


def test_confirmed_themes_are_preferred_over_inferred_ones() -> None:
    origins = [_guess("nhri"), ThemeOrigin("torture", "recommendation", None, 7)]
    assert weigh_request_themes(["privacy"], origins) == {"privacy": 1.0}
    assert weigh_request_themes([], origins) == {"nhri": 0.75, "torture": 0.9}


def test_an_inferred_theme_weighs_as_far_as_the_tagger_is_sure_of_it() -> None:
    clear, faint = ThemeOrigin("nhri", "text", 0.95), ThemeOrigin("torture", "text", 0.1)
    weights = weigh_request_themes([], [clear, faint, ThemeOrigin("privacy", "recommendation")])
    assert weights["nhri"] == pytest.approx(0.75), "the clearest guess keeps the inferred weight"
    assert weights["torture"] == pytest.approx(0.75 * (0.5 + 0.5 * 0.1 / 0.95))
    assert weights["privacy"] == pytest.approx(0.9), "a recommendation's own theme: no score"
    request = RequestProfile(
        **{**REQUEST.__dict__, "themes": frozenset(weights), "theme_weights": weights}
    )
    offers = [offer(1, themes=frozenset({"torture"})), offer(2, themes=frozenset({"nhri"}))]
    ranked = OfferIndex(offers, CONTEXT).rank(request, threshold=0.0)
    assert [s.offer_id for s in ranked] == [2, 1], "the offer on the clear guess comes first"
    assert ranked[0].components["theme"] > ranked[1].components["theme"]


class KeywordEmbedder:
    """A stand-in embedder: one dimension per keyword, so similarity is predictable."""

    words = ("prison", "school", "election")

    def embed(self, texts: Sequence[str]) -> FloatArray:
        vectors = np.array(
            [[1.0 if w in t.casefold() else 0.0 for w in self.words] for t in texts],
            dtype=np.float32,
        )
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return np.asarray(vectors / np.where(norms == 0, 1, norms), dtype=np.float32)


def test_text_similarity_can_carry_a_pair_without_shared_themes() -> None:
    request = RequestProfile(
        **{**REQUEST.__dict__, "themes": frozenset(), "text": "Monitoring of prison conditions"}
    )
    offers = [
        offer(1, themes=frozenset({"nhri"}), text="Prison monitoring visits"),
        offer(2, themes=frozenset({"nhri"}), text="School curricula"),
    ]
    ranked = OfferIndex(offers, CONTEXT, KeywordEmbedder()).rank(request, threshold=0.3)
    assert [s.offer_id for s in ranked] == [1]
    assert ranked[0].components["text"] == 1.0
    assert "Similar to: 'Prison monitoring visits'" in ranked[0].explanation


@pytest.mark.parametrize(
    ("weights", "stands_in"),
    [({"torture": 0.75}, True), ({}, True), ({"torture": 1.0}, False)],
    ids=["themes inferred", "no theme at all", "theme confirmed"],
)
def test_a_close_text_stands_in_for_a_theme_only_when_the_themes_are_guesses(
    weights: dict[str, float], stands_in: bool
) -> None:
    request = RequestProfile(
        **{
            **REQUEST.__dict__,
            "themes": frozenset(weights),
            "theme_weights": weights,
            "text": "Monitoring of prison conditions",
        }
    )
    offers = [
        offer(1, themes=frozenset({"nhri"}), text="Prison monitoring visits"),
        offer(2, themes=frozenset({"nhri"}), text="School curricula"),
    ]
    index = OfferIndex(offers, CONTEXT, KeywordEmbedder())
    rows = index.eligible_rows(request)
    components = index.components(request, rows, index._request_embedding(request))
    assert list(components["text"]) == [1.0, 0.0]
    assert list(components["theme"]) == ([0.2, 0.0] if stands_in else [0.0, 0.0])


def test_rank_requests_sees_the_pair_from_the_offer_side() -> None:
    requests = [REQUEST, RequestProfile(id=2, state="SEN", themes=frozenset({"torture"}))]
    found = rank_requests(offer(1), requests, CONTEXT)
    assert [s.request_id for s in found] == [1], "Senegal is not covered by a Central Asia offer"


def test_candidate_edges_for_every_request() -> None:
    index = OfferIndex([offer(1), offer(2, coverage=Coverage(is_global=True))], CONTEXT)
    requests = [
        REQUEST,
        RequestProfile(
            **{**REQUEST.__dict__, "id": 2, "state": "SEN", "languages": frozenset({"fr"})}
        ),
    ]
    edges = {(s.request_id, s.offer_id) for s in candidate_edges(index, requests, threshold=0.3)}
    assert edges == {(1, 1), (1, 2), (2, 2)}


def test_empty_index() -> None:
    assert OfferIndex([], CONTEXT).rank(REQUEST) == []


@pytest.mark.parametrize("code", ["dv", "sw", "ky", "ht", "mg", "km", "quc"])
def test_language_fit_works_on_any_iso_639_code(code: str) -> None:
    request = RequestProfile(**{**REQUEST.__dict__, "languages": frozenset({code})})
    fits = offer(1, languages=frozenset({code, "en"}))
    other = offer(2, languages=frozenset({"en"}))
    ranked = OfferIndex([fits, other], CONTEXT).rank(request, threshold=0.0)
    scores = {s.offer_id: s.components["language"] for s in ranked}
    assert scores == {1: 1.0, 2: 0.0}
    assert Reason("languages", {"codes": (code,)}) in ranked[0].reasons
