"""How well the UHRI tagger reads requests for assistance (not recommendations).

    .venv/bin/python benchmarks/request_tagging_eval.py [--split dev|test|all] [--failures]
                                                        [--model-dir DIR] [--json F] [--data F]

Data: `benchmarks/data/request_tagging_eval.jsonl` (default), 180 requests (30 per UN language)
written and labelled by hand, independently of the tagger's request-style training texts
(`seed_data/tagging/requests/`): its author did not see them; `--data` reads another set of the
same schema, such as `request_tagging_eval_2.jsonl`, the second set, written blind by others.
The tagger reads what the matcher reads when a State leaves a request's themes empty: the title
and the description, one text (`app/assistance_requests/themes.py`). Per language and in all:
micro-F1, P and R of the calibrated decisions (`ThemeTagger.tag_many`), themes and groups;
"top-1" is the share of requests whose best-scored theme is one of theirs, "any" the share with
at least one right theme output (what the matcher needs first). The `dev` part may be used to
choose training settings; the `test` part is for the final figure only (benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from matching.tagging import ThemeTagger  # noqa: E402
from matching.tagging.dataset import GoldRecord, load_request_eval  # noqa: E402
from matching.tagging.model import Tags, ThemeSuggestion  # noqa: E402
from matching.tagging.training import Scores, score  # noqa: E402

DATA = ROOT / "benchmarks/data/request_tagging_eval.jsonl"
LANGS = ("en", "fr", "es", "ru", "ar", "zh")


def shares(
    gold: Sequence[Sequence[str]], tags: Sequence[Tags], tops: Sequence[Sequence[ThemeSuggestion]]
) -> tuple[float, float]:
    """(best-scored theme is right, at least one right theme output) over the items."""
    top1 = sum(bool(t) and t[0].code in g for g, t in zip(gold, tops, strict=True))
    anyhit = sum(bool(set(g) & set(t.theme_codes)) for g, t in zip(gold, tags, strict=True))
    return top1 / len(gold), anyhit / len(gold)


def main(argv: Sequence[str] | None = None) -> dict[str, dict[str, Any]]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=("dev", "test", "all"), default="dev")
    parser.add_argument("--model-dir", type=Path, help="model files (default: shipped)")
    parser.add_argument("--failures", action="store_true", help="print every wrong request")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--data", type=Path, default=DATA, help="the set (default: the first)")
    args = parser.parse_args(argv)

    tagger = ThemeTagger.from_directory(args.model_dir) if args.model_dir else ThemeTagger.load()
    data = args.data.resolve()
    items: list[GoldRecord] = [r for r in load_request_eval(data) if args.split in ("all", r.split)]
    texts = [r.text for r in items]
    tags = tagger.tag_many(texts)
    tops = tagger.suggest_many(texts, top_k=3)
    shown = data.relative_to(ROOT) if data.is_relative_to(ROOT) else data
    print(f"model {tagger.model_version}; {shown}, split {args.split}")
    print(
        f"{'lang':5} {'n':>4} {'themes F1':>9} {'P':>5} {'R':>5} {'top-1':>6} {'any':>5}"
        f" {'groups F1':>9} {'P':>5} {'R':>5}"
    )
    figures: dict[str, dict[str, Any]] = {}
    for lang in (*LANGS, "all"):
        idx = [i for i, r in enumerate(items) if lang in ("all", r.lang)]
        if not idx:
            continue
        gold_t = [items[i].themes for i in idx]
        gold_g = [items[i].groups for i in idx]
        th: Scores = score(gold_t, [tags[i].theme_codes for i in idx])
        gr: Scores = score(gold_g, [tags[i].group_codes for i in idx])
        top1, anyhit = shares(gold_t, [tags[i] for i in idx], [tops[i] for i in idx])
        figures[lang] = {"themes": asdict(th), "groups": asdict(gr), "top1": top1, "any": anyhit}
        print(
            f"{lang:5} {len(idx):4d} {th.micro_f1:9.3f} {th.micro_precision:5.2f} "
            f"{th.micro_recall:5.2f} {top1:6.3f} {anyhit:5.3f} {gr.micro_f1:9.3f} "
            f"{gr.micro_precision:5.2f} {gr.micro_recall:5.2f}"
        )
    if args.failures:
        print("\nrequests without a right theme output (gold -> output, best scores):")
        for item, t, top in zip(items, tags, tops, strict=True):
            if not set(item.themes) & set(t.theme_codes):
                best = ", ".join(f"{s.code} {s.score:.2f}" for s in top)
                print(
                    f"  {item.id} [{item.split}, {item.lang}] {item.text.splitlines()[0][:60]!r}: "
                    f"{list(item.themes)} -> {list(t.theme_codes)} ({best})"
                )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    return figures


if __name__ == "__main__":
    main()
