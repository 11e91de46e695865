"""The gold set's second labels (benchmarks/data/uhri_gold_second_labels.jsonl) and the
agreement benchmark (`benchmarks/gold_agreement.py`), run on the shipped model."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from tests.support.benchmarks import load_benchmark

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "benchmarks/data"


def _codes(name: str) -> set[str]:
    with (ROOT / "seed_data" / name).open(encoding="utf-8", newline="") as handle:
        return {row["code"] for row in csv.DictReader(handle)}


def test_the_second_labels_cover_the_english_dev_and_test_parts_with_known_codes() -> None:
    gold = [json.loads(line) for line in (DATA / "uhri_gold.jsonl").read_text().splitlines()]
    wanted = sorted(g["id"] for g in gold if g["lang"] == "en" and g["split"] in ("dev", "test"))
    text = (DATA / "uhri_gold_second_labels.jsonl").read_text(encoding="utf-8")
    second = [json.loads(line) for line in text.splitlines()]
    assert [s["id"] for s in second] == wanted
    themes, groups = _codes("themes.csv"), _codes("groups_of_persons.csv")
    for row in second:
        assert 1 <= len(row["themes"]) <= 5, row["id"]
        assert len(set(row["themes"])) == len(row["themes"]), row["id"]
        assert set(row["themes"]) <= themes, row["id"]
        assert len(row["groups"]) <= 3, row["id"]
        assert set(row["groups"]) <= groups, row["id"]


def test_the_benchmark_compares_both_annotators_and_the_tagger() -> None:
    module = load_benchmark("gold_agreement")
    figures = module.main([])
    uncited = figures["uncited, all"]
    assert uncited["n"] == 119
    # 2026-12-07: annotators 0.960 (themes) and 0.984 (groups); the tagger 0.800 and 0.831
    assert uncited["themes_second_vs_first"] >= 0.9
    assert uncited["themes_tagger_vs_first"] >= 0.7
    assert uncited["groups_tagger_vs_first"] >= 0.7
    assert figures["all"]["n"] == 184
