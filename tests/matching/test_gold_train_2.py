"""The gold set's second train part (benchmarks/data/uhri_gold_train_2.jsonl): 780 UPR Info
texts labelled by the gold rules, read by training only with `gold_train_2_weight` > 0."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from matching.tagging.dataset import normalise_text, split_of

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "benchmarks/data"


def _codes(name: str) -> set[str]:
    with (ROOT / "seed_data" / name).open(encoding="utf-8", newline="") as handle:
        return {row["code"] for row in csv.DictReader(handle)}


def _lines(name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines()]


def test_the_second_train_part_is_new_labelled_upr_info_text_from_the_train_buckets() -> None:
    second = _lines("uhri_gold_train_2.jsonl")
    gold = _lines("uhri_gold.jsonl")
    assert [r["id"] for r in second] == [f"g{n:04d}" for n in range(670, 1450)]
    assert not {r["id"] for r in second} & {r["id"] for r in gold}
    texts = [r["text"] for r in second]
    assert len(set(texts)) == len(texts)
    assert not set(texts) & {normalise_text(r["text"]) for r in gold}
    with (ROOT / "seed_data/upr_info/upr_info_cycle1_sessions01-12.csv").open(
        encoding="utf-8"
    ) as f:
        upr_info = {normalise_text(row["recommendation"]) for row in csv.DictReader(f)}
    themes, groups = _codes("themes.csv"), _codes("groups_of_persons.csv")
    for row in second:
        assert (row["split"], row["lang"], row["source"]) == ("train", "en", "upr-info-c1")
        assert row["text"] in upr_info, row["id"]
        assert split_of(row["text"]) == "train", row["id"]  # never the tagger's held-out
        assert 1 <= len(row["themes"]) <= 5, row["id"]
        assert len(set(row["themes"])) == len(row["themes"]), row["id"]
        assert set(row["themes"]) <= themes, row["id"]
        assert len(row["groups"]) <= 3, row["id"]
        assert set(row["groups"]) <= groups, row["id"]
