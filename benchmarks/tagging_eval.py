"""Evaluate the UHRI theme tagger (matching.tagging) on held-out data; see benchmarks/README.md.

    .venv/bin/python benchmarks/tagging_eval.py

1. English: the test split of the UPR Info cycle-1 data (sha256(text) mod 10 == 9, never used for
   training or calibration). Gold = union of the crosswalk codes of the UPR Info issues.
2. Six languages: the `test` records of benchmarks/data/tagging_multilingual.jsonl (60 test-split
   recommendations and the developers' machine-assisted translations into fr/es/ru/ar/zh).
Decisions are `ThemeTagger.predict_codes` (the calibrated rule). Also prints per-theme
precision/recall (support >= 10), load time, single-text latency and batch throughput.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from matching.tagging import ThemeTagger  # noqa: E402
from matching.tagging.dataset import load_crosswalk, load_upr_info_examples  # noqa: E402

UPR_INFO_CSV = ROOT / "seed_data/upr_info/upr_info_cycle1_sessions01-12.csv"
CROSSWALK_CSV = ROOT / "seed_data/upr_info_issue_crosswalk.csv"
MULTILINGUAL_JSONL = ROOT / "benchmarks/data/tagging_multilingual.jsonl"
LANGS = ("en", "fr", "es", "ru", "ar", "zh")


def scores(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> dict[str, Any]:
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for gold_codes, pred_codes in zip(gold, pred, strict=True):
        gs, ps = set(gold_codes), set(pred_codes)
        tp.update(gs & ps)
        fp.update(ps - gs)
        fn.update(gs - ps)
    n_tp, n_fp, n_fn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    micro_p = n_tp / (n_tp + n_fp) if n_tp + n_fp else 0.0
    micro_r = n_tp / (n_tp + n_fn) if n_tp + n_fn else 0.0
    micro_f1 = 2 * n_tp / (2 * n_tp + n_fp + n_fn) if n_tp + n_fp + n_fn else 0.0
    per_theme: dict[str, dict[str, float]] = {}
    for code in sorted(set(tp) | set(fn)):  # themes present in the gold labels
        support = float(tp[code] + fn[code])
        p = tp[code] / (tp[code] + fp[code]) if tp[code] + fp[code] else 0.0
        r = tp[code] / support
        f = 2 * p * r / (p + r) if p + r else 0.0
        per_theme[code] = {"precision": p, "recall": r, "f1": f, "support": support}
    macro_f1 = statistics.mean(v["f1"] for v in per_theme.values()) if per_theme else 0.0
    return {
        "n": len(gold),
        "micro_precision": micro_p,
        "micro_recall": micro_r,
        "micro_f1": micro_f1,
        "macro_f1": macro_f1,
        "per_theme": per_theme,
    }


def top3_hit(gold: Sequence[Sequence[str]], tops: Sequence[Sequence[str]]) -> float:
    """Share of texts with at least one gold code among the top 3 suggestions."""
    return sum(bool(set(g) & set(t[:3])) for g, t in zip(gold, tops, strict=True)) / len(gold)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--min-support", type=int, default=10)
    parser.add_argument("--json", type=Path, help="also write all figures to this file")
    args = parser.parse_args()

    t0 = time.perf_counter()
    tagger = ThemeTagger.load()
    t_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    tagger.suggest("Ratify the Optional Protocol to the Convention against Torture.")
    t_first = time.perf_counter() - t0
    print(f"model: {tagger.metadata.get('model_version')}; {len(tagger.codes)} themes")
    print(
        f"load: {t_load:.2f} s (classifier files); first suggest incl. encoder and language "
        f"model load: {t_first:.2f} s"
    )

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
        tagger.suggest(text)
        latencies.append(time.perf_counter() - t0)

    en = scores(gold, pred)
    tops = [[s.code for s in row] for row in suggestions]
    print(f"\n== English, UPR Info test split (n={en['n']}, never used for training/calibration)")
    print(
        f"micro-F1 {en['micro_f1']:.3f} (P {en['micro_precision']:.3f}, "
        f"R {en['micro_recall']:.3f}); macro-F1 {en['macro_f1']:.3f}; "
        f"top-3 hit {top3_hit(gold, tops):.3f}"
    )
    print(f"\nper theme (support >= {args.min_support}):")
    print(f"{'theme':42} {'P':>6} {'R':>6} {'F1':>6} {'n':>5}")
    per_theme: dict[str, dict[str, float]] = en["per_theme"]
    for code, v in sorted(per_theme.items(), key=lambda kv: -kv[1]["support"]):
        if v["support"] >= args.min_support:
            print(
                f"{code:42} {v['precision']:6.3f} {v['recall']:6.3f} {v['f1']:6.3f} "
                f"{v['support']:5.0f}"
            )

    records = [json.loads(line) for line in MULTILINGUAL_JSONL.read_text("utf-8").splitlines()]
    records = [r for r in records if r["split"] == "test"]
    multi: dict[str, dict[str, Any]] = {}
    print("\n== Six languages, benchmarks/data/tagging_multilingual.jsonl (split=test)")
    print(f"{'lang':5} {'n':>3} {'micro-F1':>9} {'P':>6} {'R':>6} {'macro-F1':>9} {'top3-hit':>9}")
    for lang in LANGS:
        rs = [r for r in records if r["lang"] == lang]
        g = [r["themes"] for r in rs]
        p = tagger.predict_codes_many([r["text"] for r in rs])
        t = [[s.code for s in row] for row in tagger.suggest_many([r["text"] for r in rs])]
        s = scores(g, p)
        s["top3_hit"] = top3_hit(g, t)
        multi[lang] = s
        print(
            f"{lang:5} {s['n']:3d} {s['micro_f1']:9.3f} {s['micro_precision']:6.3f} "
            f"{s['micro_recall']:6.3f} {s['macro_f1']:9.3f} {s['top3_hit']:9.3f}"
        )

    n = len(texts)
    print(f"\n== Speed ({os.cpu_count()} CPUs, encoder threads=1)")
    print(
        f"suggest_many: {n} texts in {t_batch:.2f} s = {n / t_batch:.0f} texts/s; "
        f"predict_codes_many: {n / t_pred:.0f} texts/s"
    )
    print(
        f"suggest (one text): median {1000 * statistics.median(latencies):.1f} ms, "
        f"max {1000 * max(latencies):.1f} ms"
    )
    data_dir = ROOT / "matching/tagging/data"
    size = sum(p.stat().st_size for p in data_dir.glob("tagger.*"))
    print(f"model files: {size / 1e6:.2f} MB")

    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "english_test": en,
                    "multilingual_test": multi,
                    "load_s": t_load,
                    "first_call_s": t_first,
                    "throughput_texts_per_s": n / t_batch,
                    "latency_median_ms": 1000 * statistics.median(latencies),
                },
                indent=1,
            ),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
