"""The training API of the tagger (`matching.tagging.training`) on a tiny made-up dataset.

Nothing here retrains the shipped model: three themes, two groups, a handful of texts. The
encoder is the real one (loaded once per process, as by the other tagging tests)."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from matching.tagging import ThemeTagger
from matching.tagging.training import (
    DataPaths,
    EmbeddingCache,
    LabelledExample,
    TrainingConfig,
    _tfidf,
    calibrate,
    evaluate,
    fit_logistic,
    profile_config,
    reachability,
    score,
    train,
)

THEMES = ["death-penalty", "right-to-education", "torture"]
GROUPS = ["children", "women-girls"]

PHRASINGS = {
    ("theme", "death-penalty"): [
        "Abolish the death penalty",
        "Establish a moratorium on executions",
        "Commute all death sentences to imprisonment",
        "Ratify the Second Optional Protocol on the abolition of the death penalty",
        "Stop executing people convicted of drug offences",
        "Remove capital punishment from the penal code",
    ],
    ("theme", "right-to-education"): [
        "Ensure free and compulsory primary education",
        "Increase school enrolment in rural areas",
        "Build more schools and train teachers",
        "Reduce school dropout rates",
        "Guarantee access to secondary education for all",
        "Improve the quality of education",
    ],
    ("theme", "torture"): [
        "Prohibit torture in all circumstances",
        "Investigate all allegations of torture by the police",
        "Establish a national preventive mechanism against torture",
        "Criminalise torture in line with the Convention against Torture",
        "Prevent ill-treatment of detainees",
        "Ratify the Optional Protocol to the Convention against Torture",
    ],
    ("group", "children"): [
        "Protect children from violence",
        "Register all children at birth",
        "End child labour",
        "Protect the rights of the child",
        "Ensure that children are heard in court",
        "Prohibit corporal punishment of children",
    ],
    ("group", "women-girls"): [
        "Combat violence against women",
        "Promote the participation of women",
        "Ensure equal pay for women",
        "Protect girls from early marriage",
        "Eliminate discrimination against women",
        "Support women entrepreneurs",
    ],
}

REQUESTS = {
    ("theme", "death-penalty"): ["Help to stop hanging people in the central prison"],
    ("theme", "right-to-education"): ["Classrooms and teachers for the villages in the hills"],
    ("theme", "torture"): ["Doctors who can record the marks of beatings in police cells"],
    ("group", "children"): ["Help for boys and girls living on the streets"],
    ("group", "women-girls"): ["Shelters for mothers beaten at home"],
}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> DataPaths:
    root = tmp_path_factory.mktemp("tiny")
    (root / "themes.csv").write_text("code,label_en\n" + "".join(f"{c},{c}\n" for c in THEMES))
    (root / "groups.csv").write_text("code,label_en\n" + "".join(f"{c},{c}\n" for c in GROUPS))
    defs = root / "definitions"
    defs.mkdir()
    with (defs / "en.jsonl").open("w", encoding="utf-8") as handle:
        for (kind, code), phrasings in PHRASINGS.items():
            row = {
                "kind": kind,
                "code": code,
                "lang": "en",
                "label": code.replace("-", " "),
                "definition": f"Recommendations about {code.replace('-', ' ')}.",
                "includes": [code.replace("-", " ")],
                "excludes": [],
                "phrasings": phrasings,
            }
            handle.write(json.dumps(row) + "\n")
    requests = root / "requests"
    requests.mkdir()
    with (requests / "en.jsonl").open("w", encoding="utf-8") as handle:
        for (kind, code), texts in REQUESTS.items():
            row = {"kind": kind, "code": code, "lang": "en", "requests": texts}
            handle.write(json.dumps(row) + "\n")
    gold = [
        ("t1", "train", "Abolish the death penalty for minors", ["death-penalty"], ["children"]),
        (
            "t2",
            "train",
            "Make primary school free for girls",
            ["right-to-education"],
            ["children", "women-girls"],
        ),
        ("t3", "train", "Punish police officers who torture suspects", ["torture"], []),
        ("d1", "dev", "Declare a moratorium on the death penalty", ["death-penalty"], []),
        ("d2", "dev", "Send all girls to school", ["right-to-education"], ["women-girls"]),
        ("d3", "dev", "Stop the torture of prisoners", ["torture"], []),
        ("e1", "test", "Abolish capital punishment", ["death-penalty"], []),
        (
            "e2",
            "test",
            "Ensure that all children go to school",
            ["right-to-education"],
            ["children"],
        ),
    ]
    with (root / "gold.jsonl").open("w", encoding="utf-8") as handle:
        for id_, split, text, themes, groups in gold:
            row = {
                "id": id_,
                "split": split,
                "lang": "en",
                "text": text,
                "themes": themes,
                "groups": groups,
            }
            handle.write(json.dumps(row) + "\n")
    (root / "crosswalk.csv").write_text(
        "upr_info_issue,theme_codes,note\nDeath penalty,death-penalty,\n"
        "Justice,torture|death-penalty,\nRight to education,right-to-education,\n"
    )
    with (root / "upr.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["recommendation", "issues"])
        writer.writerow(["Abolish the death penalty now", "Death penalty"])
        writer.writerow(["Stop all executions", "Justice"])
        writer.writerow(["Improve schools", "Right to education"])
        writer.writerow(["Train more teachers", "Right to education"])
    return DataPaths(
        themes_csv=root / "themes.csv",
        groups_csv=root / "groups.csv",
        definitions_dir=defs,
        requests_dir=requests,
        gold_jsonl=root / "gold.jsonl",
        upr_info_csv=root / "upr.csv",
        crosswalk_csv=root / "crosswalk.csv",
    )


CONFIG = TrainingConfig(
    languages=("en",),
    lexical_max_features=500,
    lexical_min_df=1,
    max_iter=100,
    upr_info_weight=0.5,  # exercise the crosswalk path (pairs, pseudo-labels)
)


@pytest.fixture(scope="module")
def trained(tiny: DataPaths, tmp_path_factory: pytest.TempPathFactory) -> ThemeTagger:
    cache = tmp_path_factory.mktemp("cache") / "emb.npz"
    model = train(config=CONFIG, paths=tiny, cache=cache, log=lambda _: None)
    assert cache.exists()
    out = tmp_path_factory.mktemp("model")
    sizes = model.save(out)
    assert set(sizes) == {"tagger.json", "tagger.npz"}
    reloaded = ThemeTagger.from_directory(out)
    assert reloaded.model_version == model.model_version
    return reloaded


def test_trained_model_tags_themes_and_groups(trained: ThemeTagger) -> None:
    assert trained.codes == tuple(THEMES)
    assert trained.group_codes == tuple(GROUPS)
    assert trained.model_version.startswith("uhri-tagger-2+")
    tags = trained.tag("Abolish the death penalty and commute death sentences")
    assert tags.theme_codes[0] == "death-penalty"
    assert tags.model_version == trained.model_version
    assert "torture" in trained.predict_codes("Investigate torture in police stations")
    assert "children" in trained.predict_groups("Protect children from child labour")


def test_the_themes_keep_their_training_texts_as_neighbours(
    tiny: DataPaths, trained: ThemeTagger
) -> None:
    heads = trained.metadata["heads"]
    assert heads["themes"]["neighbours"] == {"weight": 0.3, "k": 20, "temperature": 0.05}
    assert "neighbours" not in heads["groups"]
    # every text that names a theme (phrasings, labels, definitions, includes, request-style
    # texts, gold items), none of the group texts
    n_theme_texts = (
        sum(len(p) - 1 + 3 for (kind, _), p in PHRASINGS.items() if kind == "theme")
        + sum(len(t) for (kind, _), t in REQUESTS.items() if kind == "theme")
        + 3
    )
    assert trained._themes.neighbours is not None
    assert trained._themes.neighbours.vectors.shape[0] == n_theme_texts
    # a training text itself: its nearest texts are its own label's
    own = trained._themes.neighbours.scores(
        trained.embed(["Remove capital punishment from the penal code"]).astype(np.float64)
    )
    assert own.argmax() == THEMES.index("death-penalty")
    without = train(
        config=replace(CONFIG, neighbour_weight=0), paths=tiny, cache=None, log=lambda _: None
    )
    assert "neighbours" not in without.meta["heads"]["themes"]
    assert not any("neighbour" in name for name in without.weights)
    assert without.tagger()._themes.neighbours is None
    both = train(
        config=replace(CONFIG, neighbour_heads=("themes", "groups")),
        paths=tiny,
        cache=None,
        log=lambda _: None,
    )
    n_group_texts = (
        sum(len(p) - 1 + 3 for (kind, _), p in PHRASINGS.items() if kind == "group")
        + sum(len(t) for (kind, _), t in REQUESTS.items() if kind == "group")
        + 2  # the gold items naming a group: t1, t2
    )
    assert both.weights["groups_neighbour_vectors"].shape[0] == n_group_texts
    groups = both.tagger()._groups
    assert groups is not None
    assert groups.neighbours is not None
    assert profile_config("recommendations").neighbour_weight == 0
    assert profile_config("requests").neighbour_weight == 0.3


def test_training_is_deterministic(tiny: DataPaths, trained: ThemeTagger) -> None:
    again = train(config=CONFIG, paths=tiny, cache=None, log=lambda _: None)
    assert again.model_version == trained.model_version


def test_extra_examples_change_the_model(tiny: DataPaths, trained: ThemeTagger) -> None:
    extra = [
        LabelledExample("Fermer les écoles privées illégales", "fr", ("right-to-education",), ())
    ]
    model = train(extra, config=CONFIG, paths=tiny, cache=None, log=lambda _: None)
    assert model.model_version != trained.model_version
    assert model.meta["training"]["n_extra"] == 1
    assert model.meta["training"]["n_upr_info_train"] > 0
    assert model.meta["training"]["upr_info_relabelling"]["pair_labels"] >= 0
    with pytest.raises(ValueError, match="unknown codes"):
        train(
            [LabelledExample("x", "en", ("no-such-theme",))], config=CONFIG, paths=tiny, cache=None
        )


def test_request_style_texts_are_trained_on_and_checked(
    tiny: DataPaths, trained: ThemeTagger, tmp_path: Path
) -> None:
    assert trained.metadata["training"]["n_request_texts"] == len(REQUESTS)
    without = train(
        config=replace(CONFIG, request_weight=0), paths=tiny, cache=None, log=lambda _: None
    )
    assert without.meta["training"]["n_request_texts"] == 0
    assert without.model_version != trained.model_version
    bad = tmp_path / "requests"
    bad.mkdir()
    (bad / "en.jsonl").write_text(
        json.dumps({"kind": "theme", "code": "no-such-theme", "lang": "en", "requests": ["x"]}),
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="unknown theme code 'no-such-theme'"):
        train(config=CONFIG, paths=replace(tiny, requests_dir=bad), cache=None)


OPTIONAL_GOLD = {
    # the gold train part's translations, and the second gold train part: (path field, weight
    # field, the count in the model's metadata, a line of the file)
    "translations": (
        "gold_translations_jsonl",
        "gold_translation_weight",
        "n_gold_train_translations",
        {"id": "t1", "lang": "fr", "text": "Abolir la peine de mort", "translated_from": "en"},
    ),
    "second train part": (
        "gold_train_2_jsonl",
        "gold_train_2_weight",
        "n_gold_train_2",
        {"id": "g9001", "lang": "en", "text": "Abolish the death penalty"},
    ),
}


@pytest.mark.parametrize("which", sorted(OPTIONAL_GOLD))
def test_optional_gold_files_are_read_only_when_weighted(
    which: str, tiny: DataPaths, trained: ThemeTagger, tmp_path: Path
) -> None:
    path_field, weight_field, count, line = OPTIONAL_GOLD[which]
    assert trained.metadata["training"].get(count, 0) == 0
    data = tmp_path / "gold.jsonl"
    row = {**line, "split": "train", "themes": ["death-penalty"], "groups": []}
    data.write_text(json.dumps(row) + "\n", encoding="utf-8")
    paths = replace(tiny, **{path_field: data})
    same = train(config=CONFIG, paths=paths, cache=None, log=lambda _: None)
    assert same.model_version == trained.model_version  # weight 0: the file is not read
    config = replace(CONFIG, **{weight_field: 1.0})
    model = train(config=config, paths=paths, cache=None, log=lambda _: None)
    assert model.meta["training"][count] == 1
    assert model.model_version != trained.model_version


def test_the_lexical_vocabulary_breaks_ties_by_the_feature_itself() -> None:
    """The most frequent features, ties broken alphabetically, whatever the order of the texts:
    scikit-learn's own cut broke ties by a CPU-dependent sort (different models on different
    machines from the same data)."""
    texts = ["zeta alpha", "beta zeta", "gamma delta", "zeta epsilon"]
    config = replace(CONFIG, lexical_max_features=3, lexical_min_df=1)
    vocabulary, idf, matrix = _tfidf(texts, texts, config)
    assert vocabulary == ["alpha", "beta", "zeta"]  # zeta (3 texts), then the first two of 1
    assert _tfidf(texts[::-1], texts, config)[0] == vocabulary
    assert matrix.shape == (4, 3)
    assert idf[2] < idf[0]


def test_evaluate_and_reachability(tiny: DataPaths, trained: ThemeTagger) -> None:
    report = evaluate(trained, "test", paths=tiny, languages=("en",))
    assert report.model_version == trained.model_version
    assert set(report.themes) == {"en"}
    assert report.groups is not None
    assert 0.0 <= report.themes["en"].micro_f1 <= 1.0
    assert "en" in report.summary()["groups"]
    assert "themes" in report.format()
    reach = reachability(trained, paths=tiny, languages=("en",), embeddings=EmbeddingCache(None))
    assert set(reach) == {"theme", "group"}
    assert set(reach["theme"].per_label) == set(THEMES)
    # phrasing 5 (0-based) of each entry is held out: one per label here
    assert all(n == 1 for n, _ in reach["theme"].per_label.values())


def test_score() -> None:
    s = score([["a", "b"], ["c"]], [["a"], ["c", "d"]])
    assert s.micro_precision == pytest.approx(2 / 3)
    assert s.micro_recall == pytest.approx(2 / 3)
    assert s.per_label["b"].recall == 0.0
    assert s.unreached == ["b"]


def test_fit_logistic_soft_targets_and_masks() -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 4)).astype(np.float32)
    Y = np.stack([(X[:, 0] > 0), (X[:, 1] > 0)], axis=1).astype(np.float32)
    W = np.ones_like(Y)
    W[:100, 1] = 0.0  # half of the second label unknown
    A, _ = fit_logistic(X, Y, W, l2=0.1, max_iter=200)
    assert A.shape == (4, 2)
    assert A[0, 0] > 1.0
    assert A[1, 1] > 1.0
    assert abs(A[2, 0]) < 0.5 * A[0, 0]


def test_calibrate_moves_a_label_only_for_a_gain() -> None:
    scores = np.array([[0.9, 0.2], [0.1, 0.25], [0.2, 0.1]])
    gold = np.array([[True, True], [False, True], [False, False]])
    thresholds, global_t = calibrate(scores, gold, (0.15, 0.3, 0.5), 0.001, None)
    assert global_t in (0.15, 0.3, 0.5)
    assert thresholds[1] == 0.15  # the second label needs a low threshold for its examples
