from __future__ import annotations

import itertools
import math
import random
from collections import Counter

import pytest

from matching.assignment import Assignment, Edge, assign


def brute_force(edges: list[Edge], capacities: dict[int, int], request_limit: int = 1) -> float:
    """Best total over every subset of usable edges that respects the limits."""
    usable = [e for e in edges if e.score > 0 and capacities.get(e.offer_id, 0) > 0]
    best = 0.0
    for mask in range(1 << len(usable)):
        chosen = [e for i, e in enumerate(usable) if mask >> i & 1]
        per_request = Counter(e.request_id for e in chosen)
        per_offer = Counter(e.offer_id for e in chosen)
        if any(n > request_limit for n in per_request.values()):
            continue
        if any(n > capacities[o] for o, n in per_offer.items()):
            continue
        best = max(best, sum(e.score for e in chosen))
    return best


def check_feasible(
    result: Assignment, edges: list[Edge], capacities: dict[int, int], request_limit: int = 1
) -> None:
    per_request = Counter(p.request_id for p in result.pairs)
    per_offer = Counter(p.offer_id for p in result.pairs)
    assert all(n <= request_limit for n in per_request.values())
    assert all(n <= capacities[o] for o, n in per_offer.items())
    assert len({(p.request_id, p.offer_id) for p in result.pairs}) == len(result.pairs)
    assert all(p in edges and p.score > 0 for p in result.pairs)
    assert result.pairs == sorted(result.pairs, key=lambda p: (p.request_id, p.offer_id))
    assert result.total_score == pytest.approx(sum(p.score for p in result.pairs))
    all_requests = {e.request_id for e in edges}
    assert result.unassigned_requests == sorted(all_requests - set(per_request))


def random_instance(rng: random.Random) -> tuple[list[Edge], dict[int, int]]:
    n_requests, n_offers = rng.randint(1, 5), rng.randint(1, 4)
    pairs = [(r, o) for r in range(n_requests) for o in range(n_offers)]
    chosen = rng.sample(pairs, rng.randint(1, min(len(pairs), 12)))
    edges = [Edge(r, o, rng.choice([0.0, round(rng.random(), 3), 1.0])) for r, o in chosen]
    capacities = {o: rng.randint(0, 3) for o in range(n_offers) if rng.random() < 0.9}
    return edges, capacities


@pytest.mark.parametrize("request_limit", [1, 2])
def test_optimal_against_brute_force(request_limit: int) -> None:
    rng = random.Random(54_28 + request_limit)
    for _ in range(300):
        edges, capacities = random_instance(rng)
        result = assign(edges, capacities, request_limit=request_limit)
        check_feasible(result, edges, capacities, request_limit)
        assert result.total_score == pytest.approx(
            brute_force(edges, capacities, request_limit), abs=1e-5
        ), (edges, capacities)


def test_greedy_is_wrong_flow_finds_better_total() -> None:
    # Greedy takes the best edge (1 -> A, 0.9) and leaves request 2 without an offer: 0.9.
    edges = [Edge(1, 10, 0.9), Edge(1, 11, 0.8), Edge(2, 10, 0.85)]
    result = assign(edges, {10: 1, 11: 1})
    assert result.pairs == [Edge(1, 11, 0.8), Edge(2, 10, 0.85)]
    assert result.total_score == pytest.approx(1.65)
    assert result.unassigned_requests == []


def test_max_weight_not_max_cardinality() -> None:
    # Assigning both requests (0.5 + 0.1) scores less than the single best pair (0.95).
    edges = [Edge(1, 10, 0.95), Edge(1, 11, 0.5), Edge(2, 10, 0.1)]
    result = assign(edges, {10: 1, 11: 1})
    assert result.pairs == [Edge(1, 10, 0.95)]
    assert result.unassigned_requests == [2]


def test_capacity_respected_and_unassigned_listed() -> None:
    edges = [Edge(r, 7, 0.1 * r) for r in range(1, 6)]
    result = assign(edges, {7: 2})
    assert [p.request_id for p in result.pairs] == [4, 5]
    assert result.total_score == pytest.approx(0.9)
    assert result.unassigned_requests == [1, 2, 3]


def test_request_never_assigned_twice_by_default() -> None:
    edges = [Edge(1, o, 0.9) for o in range(5)]
    result = assign(edges, dict.fromkeys(range(5), 3))
    assert len(result.pairs) == 1
    assert result.pairs[0].request_id == 1


def test_request_limit_allows_several_offers() -> None:
    edges = [Edge(1, o, 0.1 * (o + 1)) for o in range(5)]
    result = assign(edges, dict.fromkeys(range(5), 1), request_limit=3)
    assert [p.offer_id for p in result.pairs] == [2, 3, 4]


def test_zero_and_negative_scores_ignored() -> None:
    edges = [Edge(1, 10, 0.0), Edge(2, 10, -0.3), Edge(3, 11, 0.2)]
    result = assign(edges, {10: 5, 11: 5})
    assert result.pairs == [Edge(3, 11, 0.2)]
    assert result.unassigned_requests == [1, 2]


def test_offers_without_capacity_ignored() -> None:
    edges = [Edge(1, 10, 0.9), Edge(2, 11, 0.8), Edge(3, 12, 0.7)]
    result = assign(edges, {10: 0, 11: -1})  # 12 is missing
    assert result.pairs == []
    assert result.total_score == 0.0
    assert result.unassigned_requests == [1, 2, 3]


def test_duplicate_pair_uses_best_score_once() -> None:
    edges = [Edge(1, 10, 0.3), Edge(1, 10, 0.6)]
    result = assign(edges, {10: 2}, request_limit=2)
    assert result.pairs == [Edge(1, 10, 0.6)]


def test_empty_input() -> None:
    assert assign([], {1: 1}) == Assignment(pairs=[], total_score=0.0, unassigned_requests=[])


def test_deterministic_whatever_the_input_order() -> None:
    rng = random.Random(7)
    # Many ties: every score is 0.5, so several optima exist.
    edges = [
        Edge(r, o, 0.5) for r, o in itertools.product(range(20), range(8)) if rng.random() < 0.5
    ]
    capacities = dict.fromkeys(range(8), 2)
    expected = assign(edges, capacities)
    for _ in range(5):
        shuffled = edges[:]
        rng.shuffle(shuffled)
        assert assign(shuffled, capacities) == expected


def test_large_capacity_does_not_overflow() -> None:
    result = assign([Edge(1, 10, 0.5)], {10: 2**62})
    assert result.pairs == [Edge(1, 10, 0.5)]
    result = assign([Edge(1, 10, 0.5), Edge(1, 11, 0.4)], {10: 1, 11: 1}, request_limit=2**62)
    assert len(result.pairs) == 2


@pytest.mark.parametrize("score", [1.0000001, 2.0, math.inf, math.nan])
def test_invalid_score_rejected(score: float) -> None:
    with pytest.raises(ValueError, match="score must be in"):
        assign([Edge(1, 10, 0.5), Edge(2, 10, score)], {10: 1})


def test_invalid_request_limit_rejected() -> None:
    with pytest.raises(ValueError, match="request_limit"):
        assign([Edge(1, 10, 0.5)], {10: 1}, request_limit=0)
