"""Batch assignment speed (`matching.assignment.assign`) and duplication checks
(`matching.duplication.find_duplications`) on seeded random data.

    .venv/bin/python benchmarks/assignment_bench.py            # ~15 s
    .venv/bin/python benchmarks/assignment_bench.py --runs 3

Assignment: each request gets ~50 distinct candidate offers with random scores in (0, 1];
offers have capacities 1-5. Times include building the graph and reading the flows back.
Duplication: 20k engagements (offers and activities of 400 providers), 1-3 States of 193 and
1-4 themes of 60 each, random periods in 2020-2027 (10 % open-ended).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import date, timedelta
from typing import Literal

from matching.assignment import Edge, assign
from matching.duplication import Engagement, find_duplications

SIZES = [(1_000, 500, 50_000), (2_500, 1_000, 125_000), (5_000, 2_000, 250_000),
         (10_000, 4_000, 500_000)]  # fmt: skip


def make_instance(
    n_requests: int, n_offers: int, n_edges: int, seed: int
) -> tuple[list[Edge], dict[int, int]]:
    rng = random.Random(seed)
    per_request = n_edges // n_requests
    edges = [
        Edge(r, o, round(rng.uniform(0.001, 1.0), 4))
        for r in range(n_requests)
        for o in rng.sample(range(n_offers), per_request)
    ]
    capacities = {o: rng.randint(1, 5) for o in range(n_offers)}
    return edges, capacities


def time_assign(
    edges: list[Edge], capacities: dict[int, int], runs: int
) -> tuple[float, float, int]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = assign(edges, capacities)
        times.append(time.perf_counter() - start)
    return statistics.median(times), result.total_score, len(result.pairs)


def greedy_total(edges: list[Edge], capacities: dict[int, int]) -> float:
    left, done, total = dict(capacities), set(), 0.0
    for e in sorted(edges, key=lambda e: -e.score):
        if e.request_id not in done and left[e.offer_id] > 0:
            done.add(e.request_id)
            left[e.offer_id] -= 1
            total += e.score
    return total


def make_engagements(n: int, seed: int) -> list[Engagement]:
    rng = random.Random(seed)
    states = [f"S{i:03d}" for i in range(193)]
    themes = [f"theme-{i:02d}" for i in range(60)]
    items = []
    for i in range(n):
        start = date(2020, 1, 1) + timedelta(days=rng.randint(0, 8 * 365))
        end = None if rng.random() < 0.1 else start + timedelta(days=rng.randint(30, 730))
        kind: Literal["offer", "activity"] = "offer" if rng.random() < 0.4 else "activity"
        items.append(
            Engagement(
                kind=kind,
                id=i,
                provider_id=rng.randint(1, 400),
                states=frozenset(rng.sample(states, rng.randint(1, 3))),
                themes=frozenset(rng.sample(themes, rng.randint(1, 4))),
                start=start,
                end=end,
            )
        )
    return items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    edges, capacities = make_instance(5_000, 2_000, 250_000, seed=5428)
    seconds, total, n_pairs = time_assign(edges, capacities, args.runs)
    print(f"assign 5k requests x 2k offers, {len(edges):,} edges, {args.runs} runs:")
    print(f"  median {seconds:.2f} s; {n_pairs:,} pairs, total score {total:,.4f}")
    print(f"  (greedy best-first total for comparison: {greedy_total(edges, capacities):,.4f})")

    print("\n| requests | offers | edges | median s | pairs | total score |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for n_requests, n_offers, n_edges in SIZES:
        edges, capacities = make_instance(n_requests, n_offers, n_edges, seed=n_requests)
        seconds, total, n_pairs = time_assign(edges, capacities, args.runs)
        print(
            f"| {n_requests:,} | {n_offers:,} | {n_edges:,} | {seconds:.2f} | {n_pairs:,} "
            f"| {total:,.1f} |"
        )

    items = make_engagements(20_000, seed=1)
    entries = sum(len(e.states) * len(e.themes) for e in items)
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        flags = find_duplications(items)
        times.append(time.perf_counter() - start)
    print(
        f"\nfind_duplications: 20,000 engagements ({entries:,} state x theme entries): "
        f"median {statistics.median(times):.2f} s, {len(flags):,} flags"
    )


if __name__ == "__main__":
    main()
