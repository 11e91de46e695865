"""Batch assignment: propose request-offer pairs that maximise the total match score.

OHCHR staff run matching for many requests at once; each offer can take only so many more
requests (its remaining capacity), and each request should be proposed to at most
``request_limit`` offers. Choosing greedily (best score first) can be far from the best total,
so this module solves it exactly as a min-cost flow (Google OR-Tools):

    source --(request_limit, 0)--> request --(1, -score)--> offer --(capacity, 0)--> sink
    source --(enough, 0)---------------------------------------------------------> sink

The zero-cost bypass arc lets flow skip the network, so a request is only assigned where that
raises the total: the result is a maximum-*weight* assignment, not a maximum-cardinality one.
Scores are scaled to integers (``round(score * SCALE)``); pairs whose scores differ by less than
``1 / SCALE`` are treated as ties.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from ortools.graph.python.min_cost_flow import SimpleMinCostFlow

SCALE = 1_000_000
"""Scores are multiplied by this and rounded to integer arc costs."""


@dataclass(frozen=True)
class Edge:
    """A candidate pair: the request, the offer and the match score in [0, 1]."""

    request_id: int
    offer_id: int
    score: float


@dataclass(frozen=True)
class Assignment:
    """The proposed pairs (sorted by request, then offer), their total score, and the requests
    that appear in the input edges but got no pair (sorted)."""

    pairs: list[Edge]
    total_score: float
    unassigned_requests: list[int]


def assign(
    edges: Sequence[Edge], capacities: Mapping[int, int], *, request_limit: int = 1
) -> Assignment:
    """The set of pairs with the greatest total score such that each request has at most
    ``request_limit`` pairs and each offer at most ``capacities[offer_id]``.

    Edges with a score <= 0 and edges to offers with a capacity <= 0 or no capacity at all are
    ignored (their requests are still reported as unassigned if nothing else is found for
    them). If the same (request, offer) pair appears more than once, its best score is used.
    Ids must fit in a signed 64-bit integer (database ids do).

    Raises ValueError for a score above 1 or NaN, and for ``request_limit`` < 1.
    """
    if request_limit < 1:
        raise ValueError(f"request_limit must be at least 1, got {request_limit}")

    count = len(edges)
    rids = np.fromiter((e.request_id for e in edges), dtype=np.int64, count=count)
    oids = np.fromiter((e.offer_id for e in edges), dtype=np.int64, count=count)
    scores = np.fromiter((e.score for e in edges), dtype=np.float64, count=count)
    bad = np.flatnonzero(np.isnan(scores) | (scores > 1))
    if bad.size:
        edge = edges[int(bad[0])]
        raise ValueError(
            f"score must be in [0, 1], got {edge.score!r} for request {edge.request_id} "
            f"and offer {edge.offer_id}"
        )

    offer_ids, offer_index = np.unique(oids, return_inverse=True)
    offer_caps = np.fromiter(
        (max(0, min(capacities.get(int(oid), 0), count)) for oid in offer_ids),
        dtype=np.int64,
        count=len(offer_ids),
    )
    usable = (scores > 0) & (offer_caps[offer_index] > 0)
    pairs = _solve(rids[usable], oids[usable], scores[usable], capacities, request_limit)

    assigned = np.array([pair.request_id for pair in pairs], dtype=np.int64)
    return Assignment(
        pairs=pairs,
        total_score=math.fsum(pair.score for pair in pairs),
        unassigned_requests=[int(r) for r in np.setdiff1d(rids, assigned)],
    )


def _solve(
    rids: npt.NDArray[np.int64],
    oids: npt.NDArray[np.int64],
    scores: npt.NDArray[np.float64],
    capacities: Mapping[int, int],
    request_limit: int,
) -> list[Edge]:
    if not len(rids):
        return []
    # Sort by (request, offer, best score first) and keep the first of each pair: the solver then
    # sees the same graph whatever the input order, and each pair once.
    order = np.lexsort((-scores, oids, rids))
    rids, oids, scores = rids[order], oids[order], scores[order]
    first = np.ones(len(rids), dtype=bool)
    first[1:] = (rids[1:] != rids[:-1]) | (oids[1:] != oids[:-1])
    rids, oids, scores = rids[first], oids[first], scores[first]
    n_pairs = len(rids)

    request_ids, request_index = np.unique(rids, return_inverse=True)
    offer_ids, offer_index = np.unique(oids, return_inverse=True)
    n_requests, n_offers = len(request_ids), len(offer_ids)
    offer_caps = np.array([min(capacities[int(oid)], n_pairs) for oid in offer_ids], np.int64)
    # Nodes: source 0, sink 1, requests 2.., offers after them.
    source, sink, first_request, first_offer = 0, 1, 2, 2 + n_requests
    # Flow pushed from source to sink: the most that could ever be assigned; what the pairs do not
    # carry goes through the zero-cost bypass arc.
    supply = min(n_requests * request_limit, int(offer_caps.sum()), n_pairs)

    # Arcs: request -> offer first (arc i is pair i), then source -> request, offer -> sink and
    # the bypass.
    tails = np.concatenate(
        [
            first_request + request_index,
            np.full(n_requests, source),
            first_offer + np.arange(n_offers),
            [source],
        ]
    ).astype(np.int32)
    heads = np.concatenate(
        [
            first_offer + offer_index,
            first_request + np.arange(n_requests),
            np.full(n_offers, sink),
            [sink],
        ]
    ).astype(np.int32)
    caps = np.concatenate(
        [np.ones(n_pairs), np.full(n_requests, min(request_limit, n_pairs)), offer_caps, [supply]]
    ).astype(np.int64)
    costs = np.zeros(len(tails), dtype=np.int64)
    costs[:n_pairs] = -np.rint(scores * SCALE).astype(np.int64)

    flow = SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    flow.set_nodes_supplies(
        np.array([source, sink], dtype=np.int32), np.array([supply, -supply], dtype=np.int64)
    )
    status = flow.solve()
    if status != flow.OPTIMAL:  # cannot happen: the bypass alone carries the whole supply
        raise RuntimeError(f"min-cost flow failed with status {status}")

    used = np.flatnonzero(flow.flows(np.arange(n_pairs, dtype=np.int32)))
    return [
        Edge(int(rid), int(oid), float(score))
        for rid, oid, score in zip(rids[used], oids[used], scores[used], strict=True)
    ]
