"""How far a second annotator agrees with the gold labels, against how far the tagger does.

    .venv/bin/python benchmarks/gold_agreement.py [--model-dir DIR]

`benchmarks/data/uhri_gold_second_labels.jsonl` holds a second, independent labelling of the gold
set's 184 English `dev` and `test` recommendations (themes and groups of persons), made by another
annotator from the texts alone and the labelling conventions of `uhri_gold_rules.md`, without the
first labels (see benchmarks/README.md, "A second annotator"). The conventions cite some of these
recommendations as examples; the figures that matter are those on the others ("uncited").

Prints, per part: micro-F1 of the second labels against the first (the agreement two people reach
with the same written rules), the share of items whose first (most central) theme is the same,
and micro-F1 of the tagger's decisions against each annotator.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from matching.tagging import ThemeTagger  # noqa: E402
from matching.tagging.training import score  # noqa: E402

DATA = ROOT / "benchmarks/data"
RULES_START = "## Labelling conventions"
RULES_END = "## Second pass"


def cited_ids() -> set[str]:
    """The ids the labelling conventions cite as examples (their labels were in view)."""
    rules = (DATA / "uhri_gold_rules.md").read_text(encoding="utf-8")
    conventions = rules[rules.index(RULES_START) : rules.index(RULES_END)]
    return set(re.findall(r"g\d{4}", conventions))


def load() -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """(first labels, second labels) by id, English lines only."""
    first = {}
    for line in (DATA / "uhri_gold.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["lang"] == "en":
            first[row["id"]] = row
    second = {}
    for line in (DATA / "uhri_gold_second_labels.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        second[row["id"]] = row
    return first, second


def main(argv: Sequence[str] | None = None) -> dict[str, dict[str, float]]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model-dir", type=Path, help="model files (default: shipped)")
    args = parser.parse_args(argv)
    tagger = ThemeTagger.from_directory(args.model_dir) if args.model_dir else ThemeTagger.load()
    first, second = load()
    ids = sorted(second)
    tags = dict(zip(ids, tagger.tag_many([first[i]["text"] for i in ids]), strict=True))
    cited = cited_ids()
    parts = {
        "uncited, all": [i for i in ids if i not in cited],
        "uncited, test": [i for i in ids if i not in cited and first[i]["split"] == "test"],
        "uncited, dev": [i for i in ids if i not in cited and first[i]["split"] == "dev"],
        "all": ids,
    }
    print(f"model {tagger.model_version}")
    print(
        f"{'part':14} {'n':>4} | themes: 2nd~1st  same 1st  tagger~1st  tagger~2nd"
        f" | groups: 2nd~1st  tagger~1st  tagger~2nd"
    )
    figures: dict[str, dict[str, float]] = {}
    for name, sel in parts.items():
        row: dict[str, float] = {"n": len(sel)}
        for kind in ("themes", "groups"):
            one = [first[i][kind] for i in sel]
            two = [second[i][kind] for i in sel]
            machine = [
                tags[i].theme_codes if kind == "themes" else tags[i].group_codes for i in sel
            ]
            row[f"{kind}_second_vs_first"] = score(one, two).micro_f1
            row[f"{kind}_tagger_vs_first"] = score(one, machine).micro_f1
            row[f"{kind}_tagger_vs_second"] = score(two, machine).micro_f1
        row["same_first_theme"] = sum(
            first[i]["themes"][0] == second[i]["themes"][0] for i in sel
        ) / len(sel)
        figures[name] = row
        print(
            f"{name:14} {len(sel):4d} |         {row['themes_second_vs_first']:.3f}     "
            f"{row['same_first_theme']:.2f}       {row['themes_tagger_vs_first']:.3f}"
            f"       {row['themes_tagger_vs_second']:.3f} |         "
            f"{row['groups_second_vs_first']:.3f}       {row['groups_tagger_vs_first']:.3f}"
            f"       {row['groups_tagger_vs_second']:.3f}"
        )
    return figures


if __name__ == "__main__":
    main()
