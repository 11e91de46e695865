"""Train the UHRI tagger (themes + groups of persons) and write matching/tagging/data/tagger.*.

Thin wrapper of `matching.tagging.training` (the service's `uprtc tagger train` calls the same
`train`). Needs scikit-learn and scipy (main dependencies).

    .venv/bin/python tools/train_tagger.py [--cache var/tagger_embeddings.npz] [--out DIR]
                                           [--set request_weight=0.5 ...]

`--set` overrides a field of `TrainingConfig` for an experiment (the shipped model is trained with
the defaults).

Prints the calibration figures on the gold dev part (optimistic: thresholds are tuned there), the
reachability of every label on the held-out definition phrasings, and the gold dev report. The
gold test part is not read here: see benchmarks/tagging_eval.py.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from matching.tagging.training import (  # noqa: E402
    EmbeddingCache,
    TrainingConfig,
    evaluate,
    reachability,
    train,
)

OUT_DIR = ROOT / "matching/tagging/data"


def config_from(assignments: list[str]) -> TrainingConfig:
    """The default configuration with `field=value` overrides (numbers and booleans)."""
    defaults = TrainingConfig()
    changes: dict[str, object] = {}
    for item in assignments:
        name, _, raw = item.partition("=")
        current = getattr(defaults, name, None)
        if isinstance(current, bool):
            changes[name] = raw.lower() in ("1", "true", "yes")
        elif isinstance(current, int | float):
            changes[name] = type(current)(raw)
        else:
            raise SystemExit(f"--set {item}: not a number or boolean field of TrainingConfig")
    return replace(defaults, **changes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, default=ROOT / "var/tagger_embeddings.npz")
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument(
        "--set", action="append", default=[], metavar="FIELD=VALUE", help="TrainingConfig field"
    )
    args = parser.parse_args()

    t0 = time.perf_counter()
    model = train(cache=args.cache, config=config_from(args.set))
    sizes = model.save(args.out)
    print(f"trained {model.model_version} in {time.perf_counter() - t0:.0f} s; wrote {sizes}")

    tagger = model.tagger()
    cache = EmbeddingCache(args.cache)
    for kind, table in reachability(tagger, embeddings=cache).items():
        print(
            f"held-out phrasings, {kind}s: recall {table.recall:.3f}; "
            f"unreachable: {table.unreachable or 'none'}"
        )
    print(evaluate(tagger, "dev", embeddings=cache).format())
    cache.save()


if __name__ == "__main__":
    main()
