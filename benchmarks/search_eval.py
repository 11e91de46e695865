"""Cross-language search: recall@10 of 100 queries in fr/es/ru/ar/zh against English targets.

`data/crosslingual_search.jsonl`: 50 English recommendations written by the developers (each on
one precise subject), and for each two short queries, as a person would type them, in two
other UN languages (20 queries per language; pairs fr+ru, es+ar, zh+fr, ru+es, ar+zh). The 50
targets are added to a database holding the UPR Info cycle-1 file (21,355 English
recommendations, many on the same subjects: the distractors), and each query goes through the
service's own search (`app.recommendations.search.search`, words then meaning, as the API and
the pages run it). A query is a hit when its target is among the first 10 results.

    .venv/bin/python benchmarks/search_eval.py                 # builds var/search_eval.db once
    .venv/bin/python benchmarks/search_eval.py --fresh         # rebuild it
    .venv/bin/python benchmarks/search_eval.py --no-upr-info   # the targets alone (no distractors)
    .venv/bin/python benchmarks/search_eval.py --failures      # list every miss
    .venv/bin/python benchmarks/search_eval.py --data DATA   # another set, e.g. the blind one

The first build imports the file and encodes every text (about a minute on two cores); the
embeddings stay in the database's `text_embeddings`, so later runs only search.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data" / "crosslingual_search.jsonl"
UPR_INFO = ROOT / "seed_data" / "upr_info" / "upr_info_cycle1_sessions01-12.csv"
BIN = Path(sys.executable).parent
K = 10


def _uprtc(url: str, *args: str) -> None:
    env = {**os.environ, "UPRTC_DATABASE_URL": url, "UPRTC_LOG_LEVEL": "WARNING"}
    subprocess.run([str(BIN / "uprtc"), *args], env=env, check=True, capture_output=True)


def _build(path: Path, upr_info: bool) -> None:
    url = f"sqlite:///{path}"
    print(f"building {path} ...", file=sys.stderr)
    _uprtc(url, "db", "upgrade")
    _uprtc(url, "seed")
    if upr_info:
        _uprtc(url, "import", "upr-info", str(UPR_INFO))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="default: var/search_eval[_small].db")
    parser.add_argument("--fresh", action="store_true", help="rebuild the database")
    parser.add_argument("--no-upr-info", action="store_true", help="no distractors")
    parser.add_argument("--failures", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--data", type=Path, default=DATA, help="another set of the same form")
    args = parser.parse_args()

    path = args.db or ROOT / "var" / (
        "search_eval_small.db" if args.no_upr_info else "search_eval.db"
    )
    if args.fresh and path.exists():
        path.unlink()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        _build(path, not args.no_upr_info)

    sys.path.insert(0, str(ROOT))
    from sqlalchemy import select

    from app.core.pagination import PageParams
    from app.db.session import create_db_engine, create_session_factory
    from app.models import Recommendation
    from app.pairing.semantic import SemanticIndex
    from app.recommendations import search
    from app.recommendations.models import Position, RecommendationSource
    from app.recommendations.repository import RecommendationFilters
    from app.recommendations.tagging import machine_tag

    items = [
        json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line
    ]
    factory = create_session_factory(create_db_engine(f"sqlite:///{path}"))
    with factory() as session:
        known = {
            text: rec_id
            for rec_id, text in session.execute(
                select(Recommendation.id, Recommendation.text).where(
                    Recommendation.external_id.like("search-eval-%")
                )
            )
        }
        for item in items:
            if item["target"] not in known:
                rec = Recommendation(
                    state_iso3="KAZ",
                    cycle=1,
                    session=1,
                    text=item["target"],
                    language="en",
                    position=Position.supported,
                    source=RecommendationSource.manual,
                    external_id=f"search-eval-{item['id']}",
                )
                session.add(rec)
                session.flush()
                known[item["target"]] = rec.id
        for rec_id in known.values():  # tagged as the service tags a recommendation it is given
            rec = session.get(Recommendation, rec_id)
            if rec is not None and not rec.theme_links:
                machine_tag(session, rec, ["themes", "groups"])
        session.commit()
        total = session.scalar(select(Recommendation.id).order_by(Recommendation.id.desc()))

    index = SemanticIndex(factory)  # as the server runs it: refreshed by its thread
    started = time.perf_counter()
    missing = index.refresh_all(encode_limit=None)
    print(
        f"index ready in {time.perf_counter() - started:.1f} s ({missing} not encoded)",
        file=sys.stderr,
    )

    report: dict[str, dict[str, list[float]]] = {"words+meaning": {}, "words only": {}}
    failures = []
    for mode, semantic in (("words+meaning", index), ("words only", None)):
        hits: dict[str, list[float]] = defaultdict(list)
        latencies = []
        with factory() as session:
            for item in items:
                target = known[item["target"]]
                for lang, query in item["queries"].items():
                    begin = time.perf_counter()
                    found = search.search(
                        session, RecommendationFilters(q=query), PageParams(K, 0), semantic=semantic
                    )
                    latencies.append(time.perf_counter() - begin)
                    ids = [r.id for r in found.items]
                    rank = ids.index(target) + 1 if target in ids else None
                    hits[lang].append(1.0 if rank else 0.0)
                    hits["all"].append(1.0 if rank else 0.0)
                    hits["rr_" + lang].append(1.0 / rank if rank else 0.0)
                    hits["rr_all"].append(1.0 / rank if rank else 0.0)
                    if mode == "words+meaning" and not rank:
                        failures.append((lang, query, item["target"], found.items[:3]))
        hits["latency_ms"] = sorted(x * 1000 for x in latencies)
        report[mode] = dict(hits)

    print(f"\n{len(items)} English targets among {total} recommendations; recall@{K} (MRR)\n")
    langs = ["fr", "es", "ru", "ar", "zh", "all"]
    print("| search | " + " | ".join(langs) + " | p50 / p95 ms |")
    print("| --- |" + " ---: |" * (len(langs) + 1))
    for mode, hits in report.items():
        cells = [
            f"{statistics.mean(hits[lang]):.2f} ({statistics.mean(hits['rr_' + lang]):.2f})"
            for lang in langs
        ]
        lat = hits["latency_ms"]
        p50, p95 = lat[len(lat) // 2], lat[min(len(lat) - 1, int(0.95 * len(lat)))]
        print(f"| {mode} | " + " | ".join(cells) + f" | {p50:.1f} / {p95:.1f} |")
    if args.failures:
        print("\nmisses (query -> target; first results):")
        for lang, query, target, first in failures:
            print(f"- [{lang}] {query!r} -> {target!r}")
            for rec in first:
                print(f"    {rec.text[:110]!r}")
    if args.json:
        print(
            json.dumps(
                {m: {k: statistics.mean(v) for k, v in h.items()} for m, h in report.items()}
            )
        )


if __name__ == "__main__":
    main()
