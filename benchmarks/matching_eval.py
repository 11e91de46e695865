"""Quality of the request-offer matcher on a labelled multilingual set; see benchmarks/README.md.

    .venv/bin/python benchmarks/matching_eval.py            # ~15 s; report on all requests
    .venv/bin/python benchmarks/matching_eval.py --json     # the report, then all figures as JSON
    .venv/bin/python benchmarks/matching_eval.py --split dev --failures
    .venv/bin/python benchmarks/matching_eval.py --data benchmarks/data/matching_eval_2.json

Reads an evaluation set (offers, requests in six languages, graded relevance judgments, decoys
that fail one hard constraint, requests with no valid offer): by default
`benchmarks/data/matching_eval.json`; `--data PATH` reads another file of the same schema, e.g.
`matching_eval_2.json`, the second set, written independently of the first, or the blind
third and fourth sets (`matching_eval_3.json`, `matching_eval_4.json`). Also reads the
reference files in `seed_data/` (region memberships, by the rule of `app.reference.seed`, region
kinds, State languages). Builds `matching.profiles` objects as the service does: a request whose
author gave no themes gets the themes the tagger infers from its title and description and from
its `linked_recommendations` (their texts, and their `themes` when the set gives them), weighed by
`matching.profiles.weigh_request_themes`; an offer with no themes gets the tagger's
(`ThemeTagger.predict_codes_many`). Embeds every text with the tagger's multilingual encoder and
ranks the offers for each request with `matching.scoring.OfferIndex.rank`. `--no-linked` ignores
the linked recommendations (the matcher before they were read).

Figures:
- P@1: share of requests with a judged offer whose first suggestion is judged (grade 1 or 2);
  an empty list counts as a miss. Also per request language, per split, and for cross-lingual
  requests (the request's language differs from that of every grade-2 offer).
- nDCG@5 with gains 2^grade - 1 (ideal list from the judgments).
- Violations: suggestions that break a hard constraint, each suggestion checked here
  independently of the index (`matching.coverage.covers`, period overlap, capacity, active,
  provider State, the rejected list). Must be 0.
- Empty for no-valid: share of the requests with no acceptable offer that get an empty list.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.reference.seed import country_region_codes  # noqa: E402
from matching.coverage import Coverage, covers  # noqa: E402
from matching.profiles import (  # noqa: E402
    Embedder,
    MatchContext,
    OfferProfile,
    Period,
    RequestProfile,
    ThemeOrigin,
    weigh_request_themes,
)
from matching.scoring import OfferIndex, Suggestion  # noqa: E402

DATA = ROOT / "benchmarks/data/matching_eval.json"
SEED_DIR = ROOT / "seed_data"
LANGS = ("en", "fr", "es", "ru", "ar", "zh")
CONSTRAINTS = ("coverage", "period", "capacity", "inactive", "own_state", "rejected")
TARGETS = {
    "p_at_1": 0.95,
    "p_at_1_cross_lingual": 0.93,
    "p_at_1_without_themes": 0.93,
    "violations": 0,
    "empty_no_valid": 1.0,
    "empty_with_valid": 0,
}
NDCG_DEPTH = 5


# --- reference data -------------------------------------------------------------------------
def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_memberships(seed_dir: Path = SEED_DIR) -> dict[str, frozenset[str]]:
    """ISO3 -> codes of every region and group the country belongs to (regions.csv codes)."""
    memberships = {}
    for row in read_csv(seed_dir / "countries.csv"):
        memberships[row["iso3"]] = frozenset(country_region_codes(row))
    return memberships


def load_context_data(seed_dir: Path = SEED_DIR) -> dict[str, Any]:
    """Memberships, region kinds, State languages and display names from seed_data/."""
    names: dict[str, str] = {}
    for filename, key, label in (
        ("themes.csv", "code", "label_en"),
        ("assistance_types.csv", "code", "label_en"),
        ("languages.csv", "code", "label_en"),
        ("regions.csv", "code", "name_en"),
        ("countries.csv", "iso3", "name_en"),
    ):
        names.update({row[key]: row[label] for row in read_csv(seed_dir / filename)})
    return {
        "memberships": load_memberships(seed_dir),
        "region_kinds": {r["code"]: r["kind"] for r in read_csv(seed_dir / "regions.csv")},
        "state_languages": {
            r["iso3"]: tuple(c for c in r["languages"].split("|") if c)
            for r in read_csv(seed_dir / "state_languages.csv")
        },
        "names": names,
    }


# --- the evaluation set ---------------------------------------------------------------------
@dataclass(frozen=True)
class Judged:
    """What the set says about one request besides its profile."""

    split: str
    language: str
    title: str
    judgments: Mapping[int, int]
    decoys: Mapping[int, str]
    no_valid_offer: bool
    inferred_themes: bool


@dataclass
class EvalSet:
    raw: dict[str, Any]
    offers: list[OfferProfile]
    requests: list[RequestProfile]
    judged: dict[int, Judged]
    offer_language: dict[int, str]
    context: MatchContext
    inferred: dict[str, dict[int, list[str]]] = field(default_factory=dict)

    def cross_lingual(self, request_id: int) -> bool:
        """The request's language differs from that of every grade-2 offer."""
        info = self.judged[request_id]
        ideal = [o for o, grade in info.judgments.items() if grade == 2]
        return bool(ideal) and all(self.offer_language[o] != info.language for o in ideal)


def text_of(item: Mapping[str, Any]) -> str:
    return f"{item['title']}\n{item['description']}".strip()


def _period(raw: Mapping[str, str | None]) -> Period:
    start, end = raw.get("start"), raw.get("end")
    return Period(
        date.fromisoformat(start) if start else None, date.fromisoformat(end) if end else None
    )


def load_eval_set(
    path: Path = DATA,
    *,
    seed_dir: Path = SEED_DIR,
    tagger: Any = None,
    infer_all_requests: bool = False,
    linked: bool = True,
) -> EvalSet:
    """Profiles for every offer and request; `tagger` (a ThemeTagger) fills empty themes.

    `infer_all_requests`: ignore the themes the requests' authors gave and infer them all (a
    stress test of the path where a State leaves themes empty). `linked`: read a request's
    `linked_recommendations` (their texts and themes) when inferring its themes."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    reference = load_context_data(seed_dir)
    provider_state = {p["id"]: p["state"] for p in raw["providers"]}
    provider_name = {p["id"]: p["name"] for p in raw["providers"]}
    inferred: dict[str, dict[int, list[str]]] = {"offers": {}, "requests": {}}
    weights: dict[int, dict[str, float]] = {}
    if infer_all_requests:
        raw["requests"] = [{**r, "themes": []} for r in raw["requests"]]
    if tagger is not None:
        empty = [item for item in raw["offers"] if not item["themes"]]
        codes = tagger.predict_codes_many([text_of(item) for item in empty])
        inferred["offers"] = {item["id"]: list(c) for item, c in zip(empty, codes, strict=True)}
        weights = _request_weights(raw["requests"], tagger, linked=linked)
        inferred["requests"] = {rid: sorted(w) for rid, w in weights.items()}

    def themes(kind: str, item: Mapping[str, Any]) -> frozenset[str]:
        return frozenset(item["themes"] or inferred[kind].get(item["id"], ()))

    offers = [
        OfferProfile(
            id=o["id"],
            provider_id=o["provider_id"],
            provider_name=provider_name[o["provider_id"]],
            provider_state=provider_state[o["provider_id"]],
            themes=themes("offers", o),
            coverage=Coverage(
                is_global=o["coverage"]["global"],
                countries=frozenset(o["coverage"]["countries"]),
                regions=frozenset(o["coverage"]["regions"]),
            ),
            capacity_left=o["capacity_left"],
            assistance_types=frozenset(o["assistance_types"]),
            languages=frozenset(o["languages"]),
            period=_period(o["period"]),
            active=o["active"],
            text=text_of(o),
        )
        for o in raw["offers"]
    ]
    requests = [
        RequestProfile(
            id=r["id"],
            state=r["state"],
            themes=themes("requests", r),
            theme_weights=weights.get(r["id"], {}),
            assistance_types=frozenset(r["assistance_types"]),
            languages=frozenset(r["languages"]),
            period=_period(r["period"]),
            text=text_of(r),
        )
        for r in raw["requests"]
    ]
    judged = {
        r["id"]: Judged(
            split=r["split"],
            language=r["language"],
            title=r["title"],
            judgments={int(k): int(v) for k, v in r["judgments"].items()},
            decoys={d["offer_id"]: d["fails"] for d in r["decoys"]},
            no_valid_offer=r["no_valid_offer"],
            inferred_themes=not r["themes"],
        )
        for r in raw["requests"]
    }
    context = MatchContext(
        memberships=reference["memberships"],
        region_kinds=reference["region_kinds"],
        state_languages=reference["state_languages"],
        track_record={(t["provider_id"], t["theme"]): t["completed"] for t in raw["track_record"]},
        rejected=frozenset((int(r), int(o)) for r, o in raw["rejected"]),
        names=reference["names"],
    )
    return EvalSet(
        raw=raw,
        offers=offers,
        requests=requests,
        judged=judged,
        offer_language={o["id"]: o["language"] for o in raw["offers"]},
        context=context,
        inferred=inferred,
    )


def _request_weights(
    requests: Sequence[Mapping[str, Any]], tagger: Any, *, linked: bool
) -> dict[int, dict[str, float]]:
    """Inferred themes and their weights for the requests whose author gave none: the tagger
    on the title and description, and on each linked recommendation's text, plus the linked
    recommendations' own themes (as the service does, `app.assistance_requests.themes`)."""
    empty = [r for r in requests if not r["themes"]]
    recs = [rec for r in empty for rec in (r.get("linked_recommendations") or [])] if linked else []
    tags = tagger.tag_many([text_of(r) for r in empty] + [rec["text"] for rec in recs])
    own, rec_tags = tags[: len(empty)], iter(tags[len(empty) :])
    out = {}
    for request, tagged in zip(empty, own, strict=True):
        origins = [ThemeOrigin(t.code, "text", t.score) for t in tagged.themes]
        for rec in (request.get("linked_recommendations") or []) if linked else []:
            origins += [
                ThemeOrigin(t.code, "recommendation", t.score) for t in next(rec_tags).themes
            ]
            origins += [ThemeOrigin(code, "recommendation") for code in rec.get("themes") or []]
        out[request["id"]] = weigh_request_themes([], origins)
    return out


def embed_all(eval_set: EvalSet, embedder: Embedder) -> EvalSet:
    """The same set with every text embedded (one encoder pass for all texts)."""
    texts = [o.text for o in eval_set.offers] + [r.text for r in eval_set.requests]
    vectors = embedder.embed(texts)
    n = len(eval_set.offers)
    eval_set.offers = [replace(o, embedding=vectors[i]) for i, o in enumerate(eval_set.offers)]
    eval_set.requests = [
        replace(r, embedding=vectors[n + i]) for i, r in enumerate(eval_set.requests)
    ]
    return eval_set


# --- hard constraints, checked independently of the index ------------------------------------
def constraint_failures(
    request: RequestProfile, offer: OfferProfile, context: MatchContext
) -> list[str]:
    """The hard constraints this pair breaks (names as in CONSTRAINTS); [] when it may match."""
    failed = []
    if not covers(offer.coverage, request.state, context.memberships):
        failed.append("coverage")
    if not offer.period.overlaps(request.period):
        failed.append("period")
    if offer.capacity_left <= 0:
        failed.append("capacity")
    if not offer.active:
        failed.append("inactive")
    if offer.provider_state is not None and offer.provider_state == request.state:
        failed.append("own_state")
    if (request.id, offer.id) in context.rejected:
        failed.append("rejected")
    return failed


# --- metrics -----------------------------------------------------------------------------------
def ndcg(ranked: Sequence[int], judgments: Mapping[int, int], depth: int = NDCG_DEPTH) -> float:
    def dcg(grades: Iterable[int]) -> float:
        return sum((2.0**g - 1.0) / math.log2(i + 2) for i, g in enumerate(grades))

    ideal = dcg(sorted(judgments.values(), reverse=True)[:depth])
    if ideal == 0:
        return 0.0
    return dcg(judgments.get(o, 0) for o in ranked[:depth]) / ideal


@dataclass(frozen=True)
class Outcome:
    request_id: int
    ranked: list[int]
    scores: list[float]
    violations: list[tuple[int, list[str]]]
    hit_at_1: bool | None  # None for requests with no valid offer
    ndcg_at_5: float | None
    empty: bool


def run(eval_set: EvalSet, index: OfferIndex, *, k: int = 10) -> list[Outcome]:
    offers = {o.id: o for o in eval_set.offers}
    outcomes = []
    for request in eval_set.requests:
        info = eval_set.judged[request.id]
        found: list[Suggestion] = index.rank(request, k=k, explain=False)
        ranked = [s.offer_id for s in found]
        violations = [
            (o, failed)
            for o in ranked
            if (failed := constraint_failures(request, offers[o], eval_set.context))
        ]
        valid = not info.no_valid_offer
        outcomes.append(
            Outcome(
                request_id=request.id,
                ranked=ranked,
                scores=[s.score for s in found],
                violations=violations,
                hit_at_1=(bool(ranked) and ranked[0] in info.judgments) if valid else None,
                ndcg_at_5=ndcg(ranked, info.judgments) if valid else None,
                empty=not ranked,
            )
        )
    return outcomes


def _share(values: Sequence[bool]) -> float | None:
    return sum(values) / len(values) if values else None


def summarise(eval_set: EvalSet, outcomes: Sequence[Outcome]) -> dict[str, Any]:
    def p1(selected: Iterable[Outcome]) -> dict[str, Any]:
        hits = [o.hit_at_1 for o in selected if o.hit_at_1 is not None]
        return {"n": len(hits), "p_at_1": _share(hits)}

    def block(selected: Sequence[Outcome]) -> dict[str, Any]:
        valid = [o for o in selected if o.hit_at_1 is not None]
        no_valid = [o for o in selected if o.hit_at_1 is None]
        ndcgs = [o.ndcg_at_5 for o in valid if o.ndcg_at_5 is not None]
        cross = [o for o in valid if eval_set.cross_lingual(o.request_id)]
        themeless = [o for o in valid if eval_set.judged[o.request_id].inferred_themes]
        return {
            "requests": len(selected),
            **p1(valid),
            "p_at_1_cross_lingual": p1(cross)["p_at_1"],
            "n_cross_lingual": len(cross),
            "p_at_1_without_themes": p1(themeless)["p_at_1"],
            "n_without_themes": len(themeless),
            "ndcg_at_5": sum(ndcgs) / len(ndcgs) if ndcgs else None,
            "violations": sum(len(o.violations) for o in selected),
            "decoys_suggested": sum(
                1
                for o in selected
                for offer_id in o.ranked
                if offer_id in eval_set.judged[o.request_id].decoys
            ),
            "n_no_valid": len(no_valid),
            "empty_no_valid": _share([o.empty for o in no_valid]),
            "empty_with_valid": sum(o.empty for o in valid),
            "mean_suggestions": sum(len(o.ranked) for o in selected) / len(selected)
            if selected
            else 0.0,
            "by_language": {
                lang: p1(o for o in valid if eval_set.judged[o.request_id].language == lang)
                for lang in LANGS
            },
        }

    by_split = {
        split: block([o for o in outcomes if eval_set.judged[o.request_id].split == split])
        for split in ("dev", "test")
    }
    return {"all": block(list(outcomes)), **by_split}


def failures(eval_set: EvalSet, outcomes: Sequence[Outcome]) -> list[dict[str, Any]]:
    """Misses at rank 1, suggestions for no-valid requests, and violations, for reading."""
    out = []
    requests = {r.id: r for r in eval_set.requests}
    for o in outcomes:
        info = eval_set.judged[o.request_id]
        if o.hit_at_1 is False or (o.hit_at_1 is None and not o.empty) or o.violations:
            out.append(
                {
                    "request": o.request_id,
                    "split": info.split,
                    "state": requests[o.request_id].state,
                    "language": info.language,
                    "title": info.title,
                    "themes": sorted(requests[o.request_id].themes),
                    "inferred_themes": info.inferred_themes,
                    "suggested": [
                        {"offer": oid, "score": s, "grade": info.judgments.get(oid, 0)}
                        for oid, s in zip(o.ranked[:5], o.scores[:5], strict=True)
                    ],
                    "judged": dict(info.judgments),
                    "violations": o.violations,
                }
            )
    return out


# --- report ----------------------------------------------------------------------------------
def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def report(
    summary: Mapping[str, Any],
    eval_set: EvalSet,
    seconds: Mapping[str, float],
    *,
    source: str = "benchmarks/data/matching_eval.json",
    split: str = "all",
) -> str:
    """`split`: the requests were restricted to that split (`--split`), so "all" is only it."""
    lines = []
    everything = summary["all"]
    lines.append(
        f"Matcher quality on {source}: {len(eval_set.offers)} offers, "
        f"{everything['requests']} requests ({everything['n']} with a judged offer, "
        f"{everything['n_no_valid']} with none)"
    )
    lines.append("")
    lines.append(
        "| split | requests | P@1 | P@1 cross-lingual (n) | P@1 without themes (n) | nDCG@5 | "
        "violations | empty for no-valid (n) | empty with valid |"
    )
    lines.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for part in ("all", "dev", "test"):
        s = summary[part]
        if part != "all" and s["requests"] in (0, everything["requests"]):
            continue
        label = split if part == "all" else part
        lines.append(
            f"| {label} | {s['requests']} | {_fmt(s['p_at_1'])} | "
            f"{_fmt(s['p_at_1_cross_lingual'])} ({s['n_cross_lingual']}) | "
            f"{_fmt(s['p_at_1_without_themes'])} ({s['n_without_themes']}) | "
            f"{_fmt(s['ndcg_at_5'])} | {s['violations']} | "
            f"{_fmt(s['empty_no_valid'])} ({s['n_no_valid']}) | {s['empty_with_valid']} |"
        )
    lines.append("")
    scope = "all splits" if split == "all" else f"{split} only"
    lines.append(f"P@1 by request language ({scope}):")
    lines.append("| lang | n | P@1 |")
    lines.append("| --- | ---: | ---: |")
    for lang, s in everything["by_language"].items():
        lines.append(f"| {lang} | {s['n']} | {_fmt(s['p_at_1'])} |")
    lines.append("")
    checks = [
        ("P@1 >= 0.95", (everything["p_at_1"] or 0) >= TARGETS["p_at_1"]),
        (
            "P@1 cross-lingual >= 0.93",
            (everything["p_at_1_cross_lingual"] or 0) >= TARGETS["p_at_1_cross_lingual"],
        ),
        (
            "P@1 without themes >= 0.93",
            (everything["p_at_1_without_themes"] or 0) >= TARGETS["p_at_1_without_themes"],
        ),
        ("0 hard-constraint violations", everything["violations"] == 0),
        ("empty list for every no-valid request", everything["empty_no_valid"] == 1.0),
        ("no answerable request left empty", everything["empty_with_valid"] == 0),
    ]
    lines.append(
        "Targets: " + "; ".join(f"{name}: {'met' if ok else 'NOT MET'}" for name, ok in checks)
    )
    lines.append(
        f"Decoys suggested: {everything['decoys_suggested']}; mean suggestions per request: "
        f"{everything['mean_suggestions']:.2f}"
    )
    lines.append("Time: " + ", ".join(f"{name} {value:.1f} s" for name, value in seconds.items()))
    return "\n".join(lines)


def report_failures(rows: Sequence[Mapping[str, Any]], eval_set: EvalSet) -> str:
    titles = {o["id"]: o["title"] for o in eval_set.raw["offers"]}
    lines = [f"Misses and unwanted suggestions ({len(rows)}):"]
    for row in rows:
        lines.append(
            f"- request {row['request']} [{row['split']}, {row['state']}, {row['language']}] "
            f"{row['title']} | themes{' (inferred)' if row['inferred_themes'] else ''}: "
            f"{', '.join(row['themes']) or '-'} | judged: {row['judged'] or 'none'}"
        )
        for s in row["suggested"]:
            lines.append(
                f"    {s['offer']} score {s['score']:.3f} grade {s['grade']}: "
                f"{titles[s['offer']][:70]}"
            )
        for offer_id, failed in row["violations"]:
            lines.append(f"    VIOLATION offer {offer_id}: {', '.join(failed)}")
    return "\n".join(lines)


def _shown(path: Path) -> str:
    resolved = path.resolve()
    return str(resolved.relative_to(ROOT)) if resolved.is_relative_to(ROOT) else str(path)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data",
        type=Path,
        default=DATA,
        help="evaluation set (JSON; default benchmarks/data/matching_eval.json)",
    )
    parser.add_argument("--k", type=int, default=10, help="suggestions per request (default 10)")
    parser.add_argument(
        "--split", choices=("all", "dev", "test"), default="all", help="requests to run"
    )
    parser.add_argument("--failures", action="store_true", help="list misses and their rankings")
    parser.add_argument("--json", action="store_true", help="also print all figures as JSON")
    parser.add_argument(
        "--infer-all-themes",
        action="store_true",
        help="ignore the requests' own themes and infer them all with the tagger (stress test)",
    )
    parser.add_argument(
        "--no-linked",
        action="store_true",
        help="ignore the requests' linked recommendations when inferring their themes",
    )
    parser.add_argument(
        "--model-dir", type=Path, help="tagger model files to use (default: the shipped ones)"
    )
    parser.add_argument(
        "--no-encoder",
        action="store_true",
        help="no tagger and no embeddings (themes as written, lexical text signal only)",
    )
    args = parser.parse_args(argv)

    seconds: dict[str, float] = {}
    started = time.perf_counter()
    tagger = None
    if not args.no_encoder:
        from matching.tagging import ThemeTagger

        tagger = (
            ThemeTagger.from_directory(args.model_dir) if args.model_dir else ThemeTagger.load()
        )
    eval_set = load_eval_set(
        args.data,
        tagger=tagger,
        infer_all_requests=args.infer_all_themes,
        linked=not args.no_linked,
    )
    if tagger is not None:
        eval_set = embed_all(eval_set, tagger)
    if args.split != "all":
        eval_set.requests = [
            r for r in eval_set.requests if eval_set.judged[r.id].split == args.split
        ]
    seconds["load, tag and embed"] = time.perf_counter() - started

    started = time.perf_counter()
    index = OfferIndex(eval_set.offers, eval_set.context, tagger)
    outcomes = run(eval_set, index, k=args.k)
    seconds["rank"] = time.perf_counter() - started

    summary = summarise(eval_set, outcomes)
    print(report(summary, eval_set, seconds, source=_shown(args.data), split=args.split))
    rows = failures(eval_set, outcomes)
    if args.failures:
        print()
        print(report_failures(rows, eval_set))
    if args.json:
        print()
        print(
            json.dumps(
                {
                    "summary": summary,
                    "failures": rows,
                    "inferred_themes": eval_set.inferred,
                    "seconds": seconds,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
