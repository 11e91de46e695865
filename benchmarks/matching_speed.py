"""Matching speed: one request against many offers, batch assignment, proactive matching.

    .venv/bin/python benchmarks/matching_speed.py              # ~3.5 min; --runs N (default 3)
    .venv/bin/python benchmarks/matching_speed.py --quick      # smoke run, ~20 s

Targets (2-core machine):
1. one new request against 10k active offers in <= 50 ms after start-up (median over many
   requests, lexical signal included; the request's embedding is precomputed, as the service
   caches embeddings; the cost of embedding one text is reported separately);
2. 5k requests x 2k offers batch assignment in <= 10 s end to end: candidate edges
   (`scoring.candidate_edges`, precomputed embeddings) + `assignment.assign`;
3. proactive matching of 200k supported recommendations against 2k offers in <= 2 minutes with
   bounded memory (`proactive.ProactiveMatcher`, k = 5, explanations on). Each size runs in a
   fresh child process (Linux): its RSS before matching (VmRSS) and its peak while matching
   (VmHWM, reset just before with /proc/self/clear_refs). The recommendations are generated on
   the fly, so the difference is the matcher's own working memory, which must not grow with
   the number of recommendations (compare 50k and 200k).

Single-request times are taken with numpy's default BLAS threads (one per core) and with one
(`threadpoolctl`), interleaved: with a second busy process on a 2-core machine, the two-thread
matrix-vector product of 10k offers slows down, the one-thread one does not. The script prints
the load average at the start and at the end: other processes on the machine skew the figures.

Data: seeded synthetic data on real reference data. States are the 195 UN members and
observers of `seed_data/countries.csv`, with their M49 regions, Human Rights Council groups and
LDC/LLDC/SIDS memberships (by `app.reference.seed.country_region_codes`, read from the CSVs),
region kinds from `regions.csv`, languages from `state_languages.csv`. Themes are
the 84 of `themes.csv`, drawn with a skewed (Zipf-like, s = 1) distribution; 1-4 per offer, 1-3
per request or recommendation. Offers: 10 % global, 30 % one or two regions or groups, 60 % 1-8
named States; 1-3 assistance types and 1-2 UN languages; capacity 0-5 (~15 % full), 95 %
active, 20 % from a State provider; 500 providers, 600 track-record entries. Request texts are
real UPR recommendations (`seed_data/upr_info`, Source: UPR Info database, upr-info.org); offer
texts are built from theme and assistance-type labels. **Embeddings are random unit-norm 512-d
float32 vectors** (the encoder's shape): they exercise the same arithmetic as real ones; the
encoder's own cost is timed separately with `ThemeTagger.load().embed` on real texts.
Recommendations for proactive matching have themes but no embedding (the proactive path never
embeds).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from app.reference.seed import country_region_codes
from matching.assignment import Edge, assign
from matching.coverage import Coverage
from matching.proactive import ProactiveMatcher
from matching.profiles import (
    MatchContext,
    OfferProfile,
    Period,
    RecommendationProfile,
    RequestProfile,
)
from matching.scoring import OfferIndex, candidate_edges

ROOT = Path(__file__).resolve().parents[1]
SEED_DATA = ROOT / "seed_data"
UPR_INFO = SEED_DATA / "upr_info" / "upr_info_cycle1_sessions01-12.csv"
SEED = 5428
DIM = 512
UN_LANGUAGES = ["en", "fr", "es", "ru", "ar", "zh"]
LANGUAGE_WEIGHTS = [10, 5, 4, 2, 2, 1]


def read_csv(name: str) -> list[dict[str, str]]:
    with (SEED_DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def memberships_of(row: dict[str, str]) -> frozenset[str]:
    """The codes of regions.csv a country belongs to."""
    return frozenset(country_region_codes(row))


@dataclass
class World:
    """Reference data and seeded generators of offers, requests and recommendations."""

    states: list[str]
    context: MatchContext
    regions: list[str]
    themes: list[str]
    theme_weights: list[float]
    types: list[str]
    labels: dict[str, str]
    texts: list[str]

    @classmethod
    def load(cls) -> World:
        countries = read_csv("countries.csv")
        states = [r["iso3"] for r in countries if r["un_status"] in ("member", "observer")]
        regions = read_csv("regions.csv")
        themes = read_csv("themes.csv")
        types = read_csv("assistance_types.csv")
        rng = random.Random(SEED)
        codes = [t["code"] for t in themes]
        rng.shuffle(codes)  # which themes are frequent: seeded, not alphabetical
        labels = {r["iso3"]: r["name_en"] for r in countries}
        labels |= {r["code"]: r["name_en"] for r in regions}
        labels |= {r["code"]: r["label_en"] for r in [*themes, *types]}
        with UPR_INFO.open(encoding="utf-8", newline="") as handle:
            texts = sorted({r["recommendation"] for r in csv.DictReader(handle)})
        context = MatchContext(
            memberships={r["iso3"]: memberships_of(r) for r in countries},
            region_kinds={r["code"]: r["kind"] for r in regions},
            state_languages={
                r["iso3"]: tuple(r["languages"].split("|"))
                for r in read_csv("state_languages.csv")
                if r["languages"]
            },
            names=labels,
        )
        return cls(
            states=states,
            context=context,
            regions=[r["code"] for r in regions],
            themes=codes,
            theme_weights=[1.0 / rank for rank in range(1, len(codes) + 1)],
            types=[t["code"] for t in types],
            labels=labels,
            texts=texts,
        )

    def some_themes(self, rng: random.Random, low: int, high: int) -> frozenset[str]:
        wanted = rng.randint(low, high)
        found: set[str] = set()
        while len(found) < wanted:
            found.update(rng.choices(self.themes, self.theme_weights, k=wanted - len(found)))
        return frozenset(found)

    def with_track_record(self, seed: int, providers: int = 500) -> MatchContext:
        rng = random.Random(seed)
        track = {
            (rng.randint(1, providers), rng.choices(self.themes, self.theme_weights)[0]): (
                rng.randint(1, 6)
            )
            for _ in range(600)
        }
        return MatchContext(**{**self.context.__dict__, "track_record": track})

    def offers(self, n: int, seed: int, providers: int = 500) -> list[OfferProfile]:
        rng = random.Random(seed)
        vectors = unit_vectors(n, seed)
        state_providers = {p: rng.choice(self.states) for p in range(1, providers // 5 + 1)}
        offers = []
        for i in range(n):
            kind = rng.random()
            if kind < 0.1:
                coverage = Coverage(is_global=True)
                where = "worldwide"
            elif kind < 0.4:
                regions = frozenset(rng.sample(self.regions, rng.randint(1, 2)))
                coverage = Coverage(regions=regions)
                where = "in " + " and ".join(self.labels[r] for r in sorted(regions))
            else:
                countries = frozenset(rng.sample(self.states, rng.randint(1, 8)))
                coverage = Coverage(countries=countries)
                where = "in " + ", ".join(self.labels[c] for c in sorted(countries)[:3])
            themes = self.some_themes(rng, 1, 4)
            types = frozenset(rng.sample(self.types, rng.randint(1, 3)))
            provider = rng.randint(1, providers)
            start = date(2025, 1, 1) + timedelta(days=rng.randint(0, 3 * 365))
            end = None if rng.random() < 0.1 else start + timedelta(days=rng.randint(180, 1095))
            text = (
                ", ".join(self.labels[t] for t in sorted(types))
                + " on "
                + "; ".join(self.labels[t] for t in sorted(themes))
                + f" {where}"
            )
            offers.append(
                OfferProfile(
                    id=i + 1,
                    provider_id=provider,
                    themes=themes,
                    coverage=coverage,
                    capacity_left=rng.choice([0, 1, 1, 2, 2, 3, 5]),
                    provider_state=state_providers.get(provider),
                    assistance_types=types,
                    languages=frozenset(rng.choices(UN_LANGUAGES, LANGUAGE_WEIGHTS, k=2)),
                    period=Period(start, end),
                    active=rng.random() < 0.95,
                    text=text,
                    embedding=vectors[i],
                )
            )
        return offers

    def requests(self, n: int, seed: int) -> list[RequestProfile]:
        rng = random.Random(seed)
        vectors = unit_vectors(n, seed)
        requests = []
        for i in range(n):
            start = date(2026, 1, 1) + timedelta(days=rng.randint(0, 2 * 365))
            requests.append(
                RequestProfile(
                    id=i + 1,
                    state=rng.choice(self.states),
                    themes=self.some_themes(rng, 1, 3),
                    assistance_types=frozenset(rng.sample(self.types, rng.randint(0, 2))),
                    languages=frozenset(rng.sample(UN_LANGUAGES, rng.randint(0, 1))),
                    period=Period(start, start + timedelta(days=rng.randint(90, 730))),
                    text=rng.choice(self.texts),
                    embedding=vectors[i],
                )
            )
        return requests

    def recommendations(self, n: int, seed: int) -> Iterator[RecommendationProfile]:
        """Generated on the fly: nothing of the input stays in memory."""
        rng = random.Random(seed)
        for i in range(n):
            yield RecommendationProfile(
                id=i + 1, state=rng.choice(self.states), themes=self.some_themes(rng, 1, 3)
            )


def unit_vectors(n: int, seed: int) -> np.ndarray:
    vectors = np.random.default_rng(seed).standard_normal((n, DIM), dtype=np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def median_of(times: list[float]) -> float:
    return statistics.median(times)


# --- 1. one request -----------------------------------------------------------------------
def single_request(world: World, n_offers: int, n_requests: int, runs: int) -> dict[str, float]:
    """Median time of `OfferIndex.rank` per request, with numpy's default BLAS threads (2 here)
    and with 1 (interleaved, so that both see the same machine load)."""
    offers = world.offers(n_offers, seed=n_offers)
    context = world.with_track_record(seed=1)
    builds = []
    for _ in range(runs):
        start = time.perf_counter()
        index = OfferIndex(offers, context)
        builds.append(time.perf_counter() - start)
    requests = world.requests(n_requests, seed=7)
    index.rank(requests[0])  # warm-up
    times: dict[int | None, list[float]] = {None: [], 1: []}
    found = 0
    for _ in range(runs):
        for threads, bucket in times.items():
            with threadpool_limits(limits=threads, user_api="blas"):
                for request in requests:
                    start = time.perf_counter()
                    found += len(index.rank(request))
                    bucket.append(time.perf_counter() - start)
    default, single = times[None], times[1]
    return {
        "offers": n_offers,
        "build_s": median_of(builds),
        "median_ms": 1000 * median_of(default),
        "p90_ms": 1000 * float(np.percentile(default, 90)),
        "max_ms": 1000 * max(default),
        "median_ms_1_thread": 1000 * median_of(single),
        "p90_ms_1_thread": 1000 * float(np.percentile(single, 90)),
        "suggestions_per_request": found / (2 * runs * len(requests)),
    }


def embedder_cost(world: World, n_texts: int) -> dict[str, float]:
    from matching.tagging import ThemeTagger

    texts = random.Random(3).sample(world.texts, n_texts)
    start = time.perf_counter()
    tagger = ThemeTagger.load()
    tagger.embed(["warm-up"])
    first = time.perf_counter() - start
    singles = []
    for text in texts:
        start = time.perf_counter()
        tagger.embed([text])
        singles.append(time.perf_counter() - start)
    start = time.perf_counter()
    tagger.embed(texts)
    batch = time.perf_counter() - start
    return {
        "texts": n_texts,
        "first_call_s": first,
        "one_text_median_ms": 1000 * median_of(singles),
        "batch_texts_per_s": n_texts / batch,
    }


# --- 2. batch -----------------------------------------------------------------------------
def batch(world: World, n_requests: int, n_offers: int, runs: int) -> dict[str, float]:
    offers = world.offers(n_offers, seed=n_offers)
    index = OfferIndex(offers, world.with_track_record(seed=1))
    requests = world.requests(n_requests, seed=n_requests)
    capacities = {o.id: o.capacity_left for o in offers}
    edge_times, assign_times = [], []
    for _ in range(runs):
        start = time.perf_counter()
        suggestions = list(candidate_edges(index, requests, per_request=50))
        middle = time.perf_counter()
        edges = [Edge(s.request_id, s.offer_id, s.score) for s in suggestions]
        result = assign(edges, capacities)
        end = time.perf_counter()
        edge_times.append(middle - start)
        assign_times.append(end - middle)
    return {
        "requests": n_requests,
        "offers": n_offers,
        "edges": len(edges),
        "candidates_s": median_of(edge_times),
        "assign_s": median_of(assign_times),
        "total_s": median_of([a + b for a, b in zip(edge_times, assign_times, strict=True)]),
        "pairs": len(result.pairs),
        "total_score": result.total_score,
    }


# --- 3. proactive (child process) ---------------------------------------------------------
def rss_mb(field: str) -> float:
    """VmRSS (current) or VmHWM (peak since the last reset) of this process, in MB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def reset_peak_rss() -> None:
    """Reset VmHWM to the current RSS (Linux >= 4.0), so the peak is the matcher's own."""
    with open("/proc/self/clear_refs", "w", encoding="ascii") as handle:
        handle.write("5")


def proactive_child(n_recommendations: int, n_offers: int, explain: bool) -> dict[str, float]:
    """Runs in a fresh process: RSS before matching and peak RSS while matching."""
    world = World.load()
    offers = world.offers(n_offers, seed=n_offers)
    index = OfferIndex(offers, world.with_track_record(seed=1))
    matcher = ProactiveMatcher(index)
    start = time.perf_counter()
    generated = sum(1 for _ in world.recommendations(n_recommendations, seed=11))
    generate_s = time.perf_counter() - start
    reset_peak_rss()
    before = rss_mb("VmRSS")
    start = time.perf_counter()
    count, matched, last = 0, 0, None
    for suggestion in matcher.suggest(world.recommendations(generated, seed=11), explain=explain):
        count += 1
        if suggestion.recommendation_id != last:
            matched, last = matched + 1, suggestion.recommendation_id
    seconds = time.perf_counter() - start
    return {
        "recommendations": n_recommendations,
        "offers": n_offers,
        "explain": explain,
        "seconds": seconds,
        "generate_s": generate_s,
        "suggestions": count,
        "matched": matched,
        "rss_before_mb": before,
        "rss_peak_mb": rss_mb("VmHWM"),
    }


def proactive(n_recommendations: int, n_offers: int, explain: bool) -> dict[str, float]:
    command = [sys.executable, __file__, "--proactive-child", str(n_recommendations)]
    command += ["--offers", str(n_offers)] + ([] if explain else ["--no-explain"])
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    out, _ = child.communicate()
    if child.returncode != 0:
        raise SystemExit(f"proactive child failed with {child.returncode}")
    result: dict[str, float] = json.loads(out)
    return result


def proactive_runs(n: int, n_offers: int, runs: int, explain: bool = True) -> dict[str, float]:
    results = [proactive(n, n_offers, explain) for _ in range(runs)]
    summary = dict(results[0])
    for key in ("seconds", "generate_s", "rss_before_mb", "rss_peak_mb"):
        summary[key] = median_of([r[key] for r in results])
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument("--proactive-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--offers", type=int, default=2_000, help=argparse.SUPPRESS)
    parser.add_argument("--no-explain", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.proactive_child:
        print(json.dumps(proactive_child(args.proactive_child, args.offers, not args.no_explain)))
        return

    quick = args.quick
    runs = 1 if quick else args.runs
    offer_sizes = [1_000, 2_000] if quick else [1_000, 2_000, 5_000, 10_000]
    request_sizes = [500, 1_000] if quick else [1_000, 2_500, 5_000]
    proactive_sizes = [5_000, 20_000] if quick else [50_000, 200_000]
    world = World.load()
    load = os.getloadavg()[0]
    figures: dict[str, object] = {"quick": quick, "runs": runs, "cpus": os.cpu_count()}
    figures["load_average_start"] = load
    print(
        f"{'quick smoke run, ' if quick else ''}median of {runs} run(s), {os.cpu_count()} CPUs, "
        f"load average {load:.2f} at the start"
    )

    singles = [single_request(world, n, 50 if quick else 200, runs) for n in offer_sizes]
    figures["single_request"] = singles
    top = singles[-1]
    print(
        f"\n1. one request against {top['offers']:,} offers (lexical signal included, request "
        f"embedding precomputed): median {top['median_ms']:.1f} ms, p90 {top['p90_ms']:.1f} ms, "
        f"max {top['max_ms']:.1f} ms (target <= 50 ms); with 1 BLAS thread: median "
        f"{top['median_ms_1_thread']:.1f} ms, p90 {top['p90_ms_1_thread']:.1f} ms; start-up "
        f"(OfferIndex) {top['build_s']:.2f} s"
    )
    embedding = embedder_cost(world, 20 if quick else 200)
    figures["embedder"] = embedding
    print(
        f"   embedding one text (ThemeTagger.embed, 1 BLAS thread): median "
        f"{embedding['one_text_median_ms']:.1f} ms; batch of {embedding['texts']} texts: "
        f"{embedding['batch_texts_per_s']:.0f} texts/s; first call (loads the encoder) "
        f"{embedding['first_call_s']:.1f} s"
    )
    print(
        "\n| offers | start-up s | median ms | p90 ms | median ms, 1 BLAS thread "
        "| p90 ms, 1 BLAS thread | suggestions / request |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for s in singles:
        print(
            f"| {s['offers']:,} | {s['build_s']:.2f} | {s['median_ms']:.1f} | {s['p90_ms']:.1f} "
            f"| {s['median_ms_1_thread']:.1f} | {s['p90_ms_1_thread']:.1f} "
            f"| {s['suggestions_per_request']:.1f} |"
        )

    batches = [batch(world, n, 2_000, runs) for n in request_sizes]
    figures["batch"] = batches
    top = batches[-1]
    print(
        f"\n2. batch: {top['requests']:,} requests x {top['offers']:,} offers: candidate edges "
        f"{top['candidates_s']:.2f} s + assign {top['assign_s']:.2f} s = "
        f"{top['total_s']:.2f} s (target <= 10 s); {top['edges']:,} edges, "
        f"{top['pairs']:,} pairs, total score {top['total_score']:,.2f}"
    )
    print("\n| requests | offers | edges | candidates s | assign s | total s | pairs |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for b in batches:
        print(
            f"| {b['requests']:,} | {b['offers']:,} | {b['edges']:,} | {b['candidates_s']:.2f} "
            f"| {b['assign_s']:.2f} | {b['total_s']:.2f} | {b['pairs']:,} |"
        )

    results = [proactive_runs(n, 2_000, runs) for n in proactive_sizes]
    results.append(proactive_runs(proactive_sizes[-1], 2_000, runs, explain=False))
    figures["proactive"] = results
    print(
        "\n3. proactive: recommendations x 2,000 offers, k = 5 (each run in a fresh process; "
        "RSS before matching and peak while matching)"
    )
    print(
        "\n| recommendations | explanations | seconds | recs / s | suggestions | recs matched "
        "| RSS before MB | RSS peak MB |"
    )
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for p in results:
        print(
            f"| {p['recommendations']:,} | {'yes' if p['explain'] else 'no'} "
            f"| {p['seconds']:.1f} | {p['recommendations'] / p['seconds']:,.0f} "
            f"| {p['suggestions']:,} | {p['matched']:,} | {p['rss_before_mb']:.0f} "
            f"| {p['rss_peak_mb']:.0f} |"
        )
    top = results[-2]
    print(
        f"   {top['recommendations']:,} recommendations with explanations: "
        f"{top['seconds']:.1f} s (target <= 120 s), of which generating the input "
        f"{top['generate_s']:.1f} s; matcher working memory "
        f"{top['rss_peak_mb'] - top['rss_before_mb']:.0f} MB"
    )
    figures["load_average_end"] = os.getloadavg()[0]
    print(f"\nload average {os.getloadavg()[0]:.2f} at the end")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
