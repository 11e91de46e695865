"""Evaluate the UHRI tagger (matching.tagging) on held-out data; see benchmarks/README.md.

    .venv/bin/python benchmarks/tagging_eval.py [--json F] [--model-dir DIR] [--gold-split dev]

1. Gold set (`benchmarks/data/uhri_gold.jsonl`, hand-labelled UHRI themes and groups of persons),
   the `test` part by default: English on its 123 items, French, Spanish, Russian, Arabic and
   Chinese on the 60 translated ones; themes and groups: micro-F1, P, R, macro-F1, and the gold
   labels never output (every label should be reachable). `--gold-split dev` for the dev part
   (which the thresholds are calibrated on: optimistic).
2. Reachability: the definition phrasings held out from training (every 6th per entry and
   language, `seed_data/tagging/definitions/`): for each theme and group, how many get it.
3. English: the test split of the UPR Info cycle-1 data (sha256(text) mod 10 == 9, never used for
   training or calibration). Gold = union of the crosswalk codes of the UPR Info issues.
4. Six languages: the `test` records of benchmarks/data/tagging_multilingual.jsonl (60 UPR Info
   test-split recommendations and translations into fr/es/ru/ar/zh; crosswalk labels).
Decisions are `ThemeTagger.tag_many` / `predict_codes` (the calibrated rule). Also prints load
time, single-text latency and batch throughput. `--model-dir` evaluates other model files (e.g.
the format-1 `uhri-tagger-1.0` from git history) with the same code.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from matching.tagging import ThemeTagger  # noqa: E402
from matching.tagging.dataset import load_crosswalk, load_upr_info_examples  # noqa: E402
from matching.tagging.training import (  # noqa: E402
    Scores,
    evaluate,
    reachability,
    score,
)

UPR_INFO_CSV = ROOT / "seed_data/upr_info/upr_info_cycle1_sessions01-12.csv"
CROSSWALK_CSV = ROOT / "seed_data/upr_info_issue_crosswalk.csv"
MULTILINGUAL_JSONL = ROOT / "benchmarks/data/tagging_multilingual.jsonl"
LANGS = ("en", "fr", "es", "ru", "ar", "zh")


def top3_hit(gold: Sequence[Sequence[str]], tops: Sequence[Sequence[str]]) -> float:
    """Share of texts with at least one gold code among the top 3 suggestions."""
    return sum(bool(set(g) & set(t[:3])) for g, t in zip(gold, tops, strict=True)) / len(gold)


def row(name: str, s: Scores, extra: str = "") -> str:
    return (
        f"{name:7} {s.n:4d} {s.micro_f1:9.3f} {s.micro_precision:6.3f} {s.micro_recall:6.3f} "
        f"{s.macro_f1:9.3f}{extra}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--min-support", type=int, default=10)
    parser.add_argument("--json", type=Path, help="also write all figures to this file")
    parser.add_argument("--model-dir", type=Path, help="model files to evaluate (default: shipped)")
    parser.add_argument("--gold-split", choices=("test", "dev"), default="test")
    parser.add_argument("--labels", action="store_true", help="print per-label gold tables")
    args = parser.parse_args()

    t0 = time.perf_counter()
    tagger = ThemeTagger.from_directory(args.model_dir) if args.model_dir else ThemeTagger.load()
    t_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    tagger.suggest("Ratify the Optional Protocol to the Convention against Torture.")
    t_first = time.perf_counter() - t0
    print(
        f"model: {tagger.model_version}; {len(tagger.codes)} themes, "
        f"{len(tagger.group_codes)} groups"
    )
    print(
        f"load: {t_load:.2f} s (classifier files); first suggest incl. encoder and language "
        f"model load: {t_first:.2f} s"
    )

    # ---- 1. gold set ----
    report = evaluate(tagger, args.gold_split)
    head = f"{'lang':7} {'n':>4} {'micro-F1':>9} {'P':>6} {'R':>6} {'macro-F1':>9}"
    for kind, table in (("themes", report.themes), ("groups", report.groups)):
        print(f"\n== Gold set, {args.gold_split} part, {kind} (benchmarks/data/uhri_gold.jsonl)")
        if table is None:
            print("(the model has no groups of persons)")
            continue
        print(head + "  gold labels never output")
        for lang, s in table.items():
            missed = s.unreached
            print(row(lang, s, f"  {len(missed)}: {' '.join(missed)}" if missed else "  0"))
        if args.labels:
            s = table["en"]
            print(f"\nper label, English ({kind}):")
            for code, v in sorted(s.per_label.items()):
                print(
                    f"  {code:42} P {v.precision:5.2f} R {v.recall:5.2f} F1 {v.f1:5.2f} "
                    f"n {v.support:3d} out {v.predicted:3d}"
                )

    # ---- 2. reachability on held-out phrasings ----
    reach = reachability(tagger) if tagger.group_codes else {}
    if reach:
        print("\n== Held-out definition phrasings (every label should be reachable)")
        for kind, r in reach.items():
            n_labels = len(r.per_label)
            ok = n_labels - len(r.unreachable)
            print(
                f"{kind}s: {ok}/{n_labels} labels output on at least one of their held-out "
                f"phrasings; recall {r.recall:.3f}; unreachable: {r.unreachable or 'none'}"
            )

    # ---- 3. UPR Info test split (crosswalk labels) ----
    examples = load_upr_info_examples(UPR_INFO_CSV, load_crosswalk(CROSSWALK_CSV))
    test = [e for e in examples if e.split == "test"]
    texts = [e.text for e in test]
    gold = [list(e.codes) for e in test]

    t0 = time.perf_counter()
    pred = tagger.predict_codes_many(texts)
    t_pred = time.perf_counter() - t0
    t0 = time.perf_counter()
    suggestions = tagger.suggest_many(texts, top_k=5)
    t_batch = time.perf_counter() - t0
    latencies = []
    for text in texts[:200]:
        t0 = time.perf_counter()
        tagger.tag(text)
        latencies.append(time.perf_counter() - t0)

    en = score(gold, pred)
    tops = [[s.code for s in r] for r in suggestions]
    print(f"\n== English, UPR Info test split, crosswalk labels (n={en.n})")
    print(
        f"micro-F1 {en.micro_f1:.3f} (P {en.micro_precision:.3f}, R {en.micro_recall:.3f}); "
        f"macro-F1 {en.macro_f1:.3f}; top-3 hit {top3_hit(gold, tops):.3f}"
    )
    print(f"\nper theme (support >= {args.min_support}):")
    print(f"{'theme':42} {'P':>6} {'R':>6} {'F1':>6} {'n':>5}")
    for code, v in sorted(en.per_label.items(), key=lambda kv: -kv[1].support):
        if v.support >= args.min_support:
            print(f"{code:42} {v.precision:6.3f} {v.recall:6.3f} {v.f1:6.3f} {v.support:5d}")

    # ---- 4. old multilingual set (crosswalk labels) ----
    records = [json.loads(line) for line in MULTILINGUAL_JSONL.read_text("utf-8").splitlines()]
    records = [r for r in records if r["split"] == "test"]
    multi: dict[str, dict[str, Any]] = {}
    print("\n== Six languages, benchmarks/data/tagging_multilingual.jsonl (split=test, crosswalk)")
    print(f"{head} {'top3-hit':>9}")
    for lang in LANGS:
        rs = [r for r in records if r["lang"] == lang]
        g = [r["themes"] for r in rs]
        s = score(g, tagger.predict_codes_many([r["text"] for r in rs]))
        t = [[x.code for x in r] for r in tagger.suggest_many([r["text"] for r in rs])]
        hit = top3_hit(g, t)
        multi[lang] = {**asdict(s), "top3_hit": hit}
        print(row(lang, s, f" {hit:9.3f}"))

    n = len(texts)
    print(f"\n== Speed ({os.cpu_count()} CPUs, encoder threads=1)")
    print(
        f"suggest_many: {n} texts in {t_batch:.2f} s = {n / t_batch:.0f} texts/s; "
        f"predict_codes_many: {n / t_pred:.0f} texts/s"
    )
    print(
        f"tag (one text): median {1000 * statistics.median(latencies):.1f} ms, "
        f"max {1000 * max(latencies):.1f} ms"
    )
    data_dir = args.model_dir or ROOT / "matching/tagging/data"
    size = sum(p.stat().st_size for p in data_dir.glob("tagger.*"))
    print(f"model files: {size / 1e6:.2f} MB")

    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "model_version": tagger.model_version,
                    "gold": report.to_dict(),
                    "reachability": {k: asdict(v) for k, v in reach.items()},
                    "english_test": asdict(en),
                    "multilingual_test": multi,
                    "load_s": t_load,
                    "first_call_s": t_first,
                    "throughput_texts_per_s": n / t_batch,
                    "latency_median_ms": 1000 * statistics.median(latencies),
                    "model_bytes": size,
                },
                indent=1,
            ),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
