"""Train the UHRI tagger (themes + groups of persons) and write matching/tagging/data/tagger.*.

Thin wrapper of `matching.tagging.training` (the service's `uprtc tagger train` calls the same
`train`). Needs scikit-learn and scipy (main dependencies).

    .venv/bin/python tools/train_tagger.py [--cache var/tagger_embeddings.npz] [--out DIR]
                                           [--profile requests|recommendations]
                                           [--set request_weight=0.5 ...]

`--profile` chooses the shipped profile to train (`matching.tagging.training.profile_config`) and
its default folder: `requests` (default) writes matching/tagging/data/, `recommendations`
matching/tagging/data/recommendations/.

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

from matching.tagging import PROFILES  # noqa: E402
from matching.tagging.model import profile_folder  # noqa: E402
from matching.tagging.training import (  # noqa: E402
    EmbeddingCache,
    TrainingConfig,
    evaluate,
    profile_config,
    reachability,
    train,
)

OUT_DIR = ROOT / "matching/tagging/data"


def config_from(assignments: list[str], base: TrainingConfig | None = None) -> TrainingConfig:
    """The configuration `base` (default: `TrainingConfig()`) with `field=value` overrides
    (numbers and booleans)."""
    defaults = base or TrainingConfig()
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
    parser.add_argument("--out", type=Path, help="default: the profile's shipped folder")
    parser.add_argument("--profile", choices=PROFILES, default="requests")
    parser.add_argument(
        "--set", action="append", default=[], metavar="FIELD=VALUE", help="TrainingConfig field"
    )
    args = parser.parse_args()

    t0 = time.perf_counter()
    config = config_from(args.set, profile_config(args.profile))
    model = train(cache=args.cache, config=config)
    out = args.out or profile_folder(OUT_DIR, args.profile)
    sizes = model.save(out)
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
