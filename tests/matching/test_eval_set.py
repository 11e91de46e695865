"""The matcher's evaluation sets (benchmarks/data/matching_eval.json and matching_eval_2.json to
matching_eval_9.json) are well formed.

Fast: no sentence encoder. The full benchmark is `benchmarks/matching_eval.py`.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from matching.scoring import OfferIndex
from tests.support.benchmarks import load_benchmark

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seed_data"


bench = load_benchmark("matching_eval")


def _codes(filename: str, column: str = "code") -> set[str]:
    with (SEED / filename).open(encoding="utf-8", newline="") as handle:
        return {row[column] for row in csv.DictReader(handle)}


DATA = ROOT / "benchmarks/data"
SETS = {
    "set1": DATA / "matching_eval.json",
    "set2": DATA / "matching_eval_2.json",
    "set3": DATA / "matching_eval_3.json",
    "set4": DATA / "matching_eval_4.json",
    "set5": DATA / "matching_eval_5.json",
    "set6": DATA / "matching_eval_6.json",
    "set7": DATA / "matching_eval_7.json",
    "set8": DATA / "matching_eval_8.json",
    "set9": DATA / "matching_eval_9.json",
}


@pytest.fixture(scope="module", params=sorted(SETS))
def which(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def eval_set(which: str) -> Any:
    return bench.load_eval_set(SETS[which])


@pytest.fixture(scope="module")
def raw(eval_set: Any) -> dict[str, Any]:
    return dict(eval_set.raw)


def test_it_says_who_wrote_it(raw: dict[str, Any]) -> None:
    assert "written by the developers" in raw["_about"]


def test_every_code_exists_in_seed_data(raw: dict[str, Any]) -> None:
    themes = _codes("themes.csv")
    types = _codes("assistance_types.csv")
    languages = _codes("languages.csv")
    regions = _codes("regions.csv")
    countries = _codes("countries.csv", "iso3")
    for offer in raw["offers"]:
        assert set(offer["themes"]) <= themes, offer["id"]
        assert set(offer["assistance_types"]) <= types, offer["id"]
        assert set(offer["languages"]) <= languages, offer["id"]
        assert set(offer["coverage"]["regions"]) <= regions, offer["id"]
        assert set(offer["coverage"]["countries"]) <= countries, offer["id"]
        assert offer["language"] in bench.LANGS
    for request in raw["requests"]:
        assert request["state"] in countries, request["id"]
        assert set(request["themes"]) <= themes, request["id"]
        assert set(request["assistance_types"]) <= types, request["id"]
        assert set(request["languages"]) <= languages, request["id"]
        assert request["language"] in bench.LANGS
    for provider in raw["providers"]:
        assert provider["state"] is None or provider["state"] in countries
    assert {t["theme"] for t in raw["track_record"]} <= themes


def test_ids_and_references(raw: dict[str, Any]) -> None:
    offer_ids = [o["id"] for o in raw["offers"]]
    request_ids = [r["id"] for r in raw["requests"]]
    assert len(set(offer_ids)) == len(offer_ids)
    assert len(set(request_ids)) == len(request_ids)
    providers = {p["id"] for p in raw["providers"]}
    assert {o["provider_id"] for o in raw["offers"]} <= providers
    for request in raw["requests"]:
        judged = {int(k): v for k, v in request["judgments"].items()}
        decoys = {d["offer_id"] for d in request["decoys"]}
        assert set(judged) <= set(offer_ids), request["id"]
        assert decoys <= set(offer_ids), request["id"]
        assert not set(judged) & decoys, request["id"]
        assert set(judged.values()) <= {1, 2}, request["id"]
        assert request["no_valid_offer"] == (not judged), request["id"]
        assert {d["fails"] for d in request["decoys"]} <= set(bench.CONSTRAINTS)
        assert request["split"] in {"dev", "test"}
    for request_id, offer_id in raw["rejected"]:
        assert request_id in request_ids
        assert offer_id in offer_ids


def test_judged_offers_meet_every_hard_constraint(eval_set: Any) -> None:
    offers = {o.id: o for o in eval_set.offers}
    for request in eval_set.requests:
        for offer_id in eval_set.judged[request.id].judgments:
            failed = bench.constraint_failures(request, offers[offer_id], eval_set.context)
            assert failed == [], (request.id, offer_id, failed)


def test_each_decoy_fails_exactly_the_constraint_it_claims(eval_set: Any) -> None:
    offers = {o.id: o for o in eval_set.offers}
    kinds: Counter[str] = Counter()
    for request in eval_set.requests:
        for offer_id, claimed in eval_set.judged[request.id].decoys.items():
            failed = bench.constraint_failures(request, offers[offer_id], eval_set.context)
            assert failed == [claimed], (request.id, offer_id, claimed, failed)
            kinds[claimed] += 1
    assert set(kinds) == set(bench.CONSTRAINTS), "every kind of hard constraint has a decoy"


@pytest.mark.parametrize("which", ["set1", "set2"])
def test_the_set_has_what_the_benchmark_needs(which: str) -> None:
    """Size thresholds fitted to the first set; the second set meets them too. The blind sets
    have their own (`test_the_third_set_has_what_its_brief_asked_for` and the next)."""
    eval_set = bench.load_eval_set(SETS[which])
    raw = eval_set.raw
    requests = raw["requests"]
    assert len(raw["offers"]) >= 60
    assert len(requests) >= 80
    assert {r["language"] for r in requests} == set(bench.LANGS)
    assert {o["language"] for o in raw["offers"]} == set(bench.LANGS)
    cross = [r for r in requests if r["language"] != "en" and eval_set.cross_lingual(r["id"])]
    assert len(cross) >= 10
    assert sum(r["no_valid_offer"] for r in requests) >= 8
    assert any(not r["themes"] for r in requests)
    assert any(not o["themes"] for o in raw["offers"])
    splits = Counter(r["split"] for r in requests)
    assert abs(splits["dev"] - splits["test"]) <= 2
    kinds = Counter(p["kind"] for p in raw["providers"])
    assert {"un_entity", "state", "regional_org", "nhri", "cso", "academic"} <= set(kinds)


def _check_blind_set(which: str, *, min_offers: int, min_requests: int, first_id: int) -> Any:
    """What the two blind sets' briefs share (see benchmarks/README.md): providers of every
    kind, offers in the six languages, many Arabic and Chinese requests, an even split, a few
    track records, and ids after every earlier set's (providers from `first_id`, offers from
    `first_id` + 1000, requests from `first_id` + 2000). Returns the loaded set."""
    eval_set = bench.load_eval_set(SETS[which])
    raw = eval_set.raw
    requests, offers, providers = raw["requests"], raw["offers"], raw["providers"]
    assert raw["reference_date"] == "2026-12-01"
    assert len(providers) >= 30
    assert {"un_entity", "state", "regional_org", "nhri", "cso", "academic"} <= {
        p["kind"] for p in providers
    }
    assert all(p["state"] for p in providers if p["kind"] == "state")
    assert len(offers) >= min_offers
    offer_languages = Counter(o["language"] for o in offers)
    assert set(offer_languages) == set(bench.LANGS)
    assert all(offer_languages[lang] >= 5 for lang in bench.LANGS if lang != "en")
    assert len(requests) >= min_requests
    languages = Counter(r["language"] for r in requests)
    assert languages["ar"] >= 12
    assert languages["zh"] >= 12
    assert all(languages[lang] >= 8 for lang in ("fr", "es", "ru"))
    assert sum(eval_set.cross_lingual(r["id"]) for r in requests) >= 12
    splits = Counter(r["split"] for r in requests)
    assert abs(splits["dev"] - splits["test"]) <= 2
    assert 8 <= len(raw["track_record"]) <= 15
    for key, first in (("providers", 0), ("offers", 1000), ("requests", 2000)):
        assert min(x["id"] for x in raw[key]) >= first_id + first, key
    for other in sorted(SETS)[: sorted(SETS).index(which)]:
        earlier = bench.load_eval_set(SETS[other]).raw
        for key in ("providers", "offers", "requests"):
            assert not {x["id"] for x in earlier[key]} & {x["id"] for x in raw[key]}, key
    return eval_set


def test_the_third_set_has_what_its_brief_asked_for() -> None:
    """benchmarks/README.md, 'Third matching set': a blind set with more Arabic and Chinese,
    more requests without themes, cross-lingual and no-valid requests."""
    raw = _check_blind_set("set3", min_offers=50, min_requests=64, first_id=5001).raw
    requests = raw["requests"]
    assert any(not o["themes"] for o in raw["offers"])
    assert sum(not r["themes"] for r in requests) >= 20
    assert sum(r["no_valid_offer"] for r in requests) >= 8
    assert sum(bool(r.get("linked_recommendations")) for r in requests) >= 3


def _check_later_brief(raw: dict[str, Any], *, without_themes: int, no_valid: int) -> None:
    """What the fourth to sixth sets' briefs share (see benchmarks/README.md): a few offers
    without themes, full or inactive; many requests without themes, in every language; requests
    with no valid offer; four or five vague requests resting on their linked recommendations;
    decoys of every kind; an ideal offer for every answerable request."""
    requests, offers = raw["requests"], raw["offers"]
    assert 3 <= sum(not o["themes"] for o in offers) <= 5
    assert sum(o["capacity_left"] <= 0 for o in offers) == 2
    assert 2 <= sum(not o["active"] for o in offers) <= 3
    assert sum(not r["themes"] for r in requests) >= without_themes
    assert {r["language"] for r in requests if not r["themes"]} == set(bench.LANGS)
    assert all(1 <= len(r["themes"]) <= 4 for r in requests if r["themes"])
    assert sum(r["no_valid_offer"] for r in requests) >= no_valid
    assert 4 <= sum(bool(r.get("linked_recommendations")) for r in requests) <= 5
    decoys = Counter(d["fails"] for r in requests for d in r["decoys"])
    assert sum(decoys.values()) >= 30
    assert set(decoys) == set(bench.CONSTRAINTS)
    for request in requests:
        if not request["no_valid_offer"]:
            assert 2 in request["judgments"].values(), request["id"]


def test_the_fourth_set_has_what_its_brief_asked_for() -> None:
    """benchmarks/README.md, 'Fourth matching set': a blind set from small and less usual States,
    with many requests without themes, cross-lingual, no-valid and vague requests."""
    raw = _check_blind_set("set4", min_offers=48, min_requests=60, first_id=8001).raw
    _check_later_brief(raw, without_themes=30, no_valid=9)


def test_the_fifth_set_has_what_its_brief_asked_for() -> None:
    """benchmarks/data/matching_eval_5.md: a fifth blind set, with more Arabic and Chinese
    requests, most of them without themes and in plain words."""
    raw = _check_blind_set("set5", min_offers=50, min_requests=60, first_id=11001).raw
    assert "fifth blind set" in raw["_about"]
    _check_later_brief(raw, without_themes=28, no_valid=9)
    linked = [
        r["linked_recommendations"] for r in raw["requests"] if r.get("linked_recommendations")
    ]
    assert all(len(recommendations) == 2 for recommendations in linked)


# The sixth to ninth sets' briefs (benchmarks/data/matching_eval_N.md): the sixth, most of
# its requests answered in another language than their own; the seventh, hard distinctions
# between neighbouring subjects; the eighth, its ideal offers spread over many themes; the
# ninth, subjects and hard distinctions the eighth did not use; the last three with most
# requests without themes, in plain words.
CROSS_LINGUAL_BRIEFS = {
    # set: (first id, name in `_about`, requests without themes, no-valid requests)
    "set6": (14001, "sixth blind set", 28, 10),
    "set7": (17001, "seventh blind set", 35, 12),
    "set8": (20001, "eighth blind set", 40, 12),
    "set9": (23001, "ninth blind set", 45, 14),
}


@pytest.mark.parametrize("which", sorted(CROSS_LINGUAL_BRIEFS))
def test_the_sixth_to_eighth_sets_have_what_their_briefs_asked_for(which: str) -> None:
    first_id, name, without_themes, no_valid = CROSS_LINGUAL_BRIEFS[which]
    eval_set = _check_blind_set(which, min_offers=50, min_requests=60, first_id=first_id)
    raw = eval_set.raw
    assert name in raw["_about"]
    assert sum(eval_set.cross_lingual(r["id"]) for r in raw["requests"]) >= 25
    _check_later_brief(raw, without_themes=without_themes, no_valid=no_valid)


def test_the_index_agrees_with_the_independent_constraint_check(eval_set: Any) -> None:
    index = OfferIndex(eval_set.offers, eval_set.context)
    for request in eval_set.requests:
        eligible = {index.offers[row].id for row in index.eligible_rows(request)}
        expected = {
            o.id
            for o in eval_set.offers
            if not bench.constraint_failures(request, o, eval_set.context)
        }
        assert eligible == expected, request.id


def test_the_harness_runs_on_a_subset_without_the_encoder(eval_set: Any) -> None:
    """Authors' themes and the lexical signal only: checks the plumbing, not the quality."""
    subset = bench.EvalSet(
        raw=eval_set.raw,
        offers=eval_set.offers,
        requests=eval_set.requests[:20] + eval_set.requests[-10:],
        judged=eval_set.judged,
        offer_language=eval_set.offer_language,
        context=eval_set.context,
    )
    outcomes = bench.run(subset, OfferIndex(subset.offers, subset.context), k=5)
    summary = bench.summarise(subset, outcomes)
    assert summary["all"]["requests"] == 30
    assert summary["all"]["violations"] == 0
    assert summary["all"]["p_at_1"] is not None
    assert 0.0 <= summary["all"]["ndcg_at_5"] <= 1.0
    assert "P@1" in bench.report(summary, subset, {"rank": 0.0})
    dev_only = bench.EvalSet(
        raw=eval_set.raw,
        offers=eval_set.offers,
        requests=[r for r in subset.requests if eval_set.judged[r.id].split == "dev"],
        judged=eval_set.judged,
        offer_language=eval_set.offer_language,
        context=eval_set.context,
    )
    outcomes = bench.run(dev_only, OfferIndex(dev_only.offers, dev_only.context), k=5)
    text = bench.report(bench.summarise(dev_only, outcomes), dev_only, {}, split="dev")
    assert "| dev |" in text  # `--split dev`: the one row is the dev part, not "all"
    assert "| all |" not in text
    assert "(dev only)" in text
