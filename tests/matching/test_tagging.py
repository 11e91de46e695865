"""The theme tagger with the real shipped model (matching/tagging/data), all six UN languages.

The sentences below are written for these tests; none is taken from the training data.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from matching.tagging import Tags, ThemeSuggestion, ThemeTagger, detect_language
from matching.tagging.model import Neighbours

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def tagger() -> ThemeTagger:
    return ThemeTagger.load()


def top_codes(tagger: ThemeTagger, text: str, k: int = 3) -> list[str]:
    return [s.code for s in tagger.suggest(text, top_k=k)]


def test_load_is_cached_and_codes_are_uhri_themes(tagger: ThemeTagger) -> None:
    assert ThemeTagger.load() is tagger
    with (ROOT / "seed_data/themes.csv").open(encoding="utf-8", newline="") as handle:
        uhri = {row["code"] for row in csv.DictReader(handle)}
    assert len(tagger.codes) >= 40
    assert set(tagger.codes) <= uhri
    assert 0 < tagger.threshold_other < 1
    assert 0 < tagger.threshold_en < 1


def test_the_recommendations_profile_is_its_own_model_on_the_same_encoder(
    tagger: ThemeTagger,
) -> None:
    recommendations = ThemeTagger.load("recommendations")
    assert recommendations is ThemeTagger.load("recommendations")
    assert recommendations.model_version != tagger.model_version
    assert recommendations.codes == tagger.codes
    assert recommendations.group_codes == tagger.group_codes
    assert recommendations.metadata["training"]["n_gold_train_2"] == 780
    text = "Ratify the Optional Protocol to the Convention against Torture"
    assert np.array_equal(recommendations.embed([text]), tagger.embed([text]))
    assert "torture" in recommendations.predict_codes(text)
    with pytest.raises(ValueError, match="unknown tagger profile 'offers'"):
        ThemeTagger.load("offers")  # type: ignore[arg-type]


def test_english_torture_opcat(tagger: ThemeTagger) -> None:
    text = (
        "Establish a national preventive mechanism in line with the Optional Protocol to the "
        "Convention against Torture (OPCAT)."
    )
    assert "torture" in top_codes(tagger, text)
    assert "torture" in tagger.predict_codes(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Создать национальное правозащитное учреждение в полном соответствии с Парижскими "
            "принципами.",
            "nhri",
        ),
        (
            "Établir une institution nationale des droits de l'homme indépendante, conforme aux "
            "Principes de Paris.",
            "nhri",
        ),
        (
            "Establecer una institución nacional de derechos humanos conforme a los Principios de "
            "París.",
            "nhri",
        ),
        ("إنشاء مؤسسة وطنية مستقلة لحقوق الإنسان وفقاً لمبادئ باريس", "nhri"),
        ("根据《巴黎原则》设立一个独立的国家人权机构", "nhri"),
        (
            "Обеспечить всем детям доступ к бесплатному начальному образованию.",
            "right-to-education",
        ),
        ("Abolir la pena de muerte y declarar una moratoria de las ejecuciones.", "death-penalty"),
        ("采取措施打击贩运人口行为", "trafficking-slavery"),
    ],
)
def test_other_languages_top3(tagger: ThemeTagger, text: str, expected: str) -> None:
    assert expected in top_codes(tagger, text)


@pytest.mark.parametrize(
    "text",
    [
        "Ensure access to education for girls, in particular in rural areas.",
        "Garantir l'accès des filles à l'éducation, en particulier dans les zones rurales.",
        "Garantizar el acceso de las niñas a la educación, en particular en las zonas rurales.",
        "Обеспечить доступ девочек к образованию, особенно в сельских районах.",
        "ضمان حصول الفتيات على التعليم، ولا سيما في المناطق الريفية",
        "确保女童，特别是农村地区的女童接受教育",
    ],
)
def test_education_of_girls(tagger: ThemeTagger, text: str) -> None:
    # UPR Info tags such texts with women's rights + child rights + education; the women pair
    # (advancement / discrimination) takes two places, so education may come fourth.
    top3 = top_codes(tagger, text)
    assert {"advancement-of-women", "children-general", "right-to-education"} & set(top3)
    assert "right-to-education" in tagger.predict_codes(text)


def test_translations_agree_across_languages(tagger: ThemeTagger) -> None:
    texts = [
        "Ratify the Convention on the Rights of Persons with Disabilities.",
        "Ratifier la Convention relative aux droits des personnes handicapées.",
        "Ратифицировать Конвенцию о правах инвалидов.",
        "批准《残疾人权利公约》。",
    ]
    for suggestions in tagger.suggest_many(texts, top_k=3):
        assert "disability-general" in [s.code for s in suggestions]
    vectors = tagger.embed(texts)
    unrelated = tagger.embed(["Improve prison conditions and reduce overcrowding."])[0]
    assert float(vectors[0] @ vectors[2]) > float(vectors[0] @ unrelated)


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_text(tagger: ThemeTagger, text: str) -> None:
    assert tagger.suggest(text) == []
    assert tagger.predict_codes(text) == []
    assert tagger.suggest_many([text, text]) == [[], []]


def test_scores_in_range_and_sorted(tagger: ThemeTagger) -> None:
    for text in [
        "Combat domestic violence and provide shelters for victims.",
        "Renforcer la liberté de la presse et protéger les journalistes.",
        "Хорошая погода сегодня",
    ]:
        suggestions = tagger.suggest(text, top_k=10)
        assert len(suggestions) == 10
        scores = [s.score for s in suggestions]
        assert all(0.0 <= s <= 1.0 for s in scores)
        assert scores == sorted(scores, reverse=True)
        assert len({s.code for s in suggestions}) == 10


def test_top_k_and_min_score(tagger: ThemeTagger) -> None:
    text = "Abolish the death penalty and commute all death sentences."
    assert len(tagger.suggest(text, top_k=2)) == 2
    assert tagger.suggest(text, top_k=0) == []
    filtered = tagger.suggest(text, top_k=20, min_score=0.5)
    assert filtered
    assert all(s.score >= 0.5 for s in filtered)
    assert filtered[0] == ThemeSuggestion("death-penalty", filtered[0].score)
    assert len(filtered) < 20


def test_suggest_many_equals_suggest(tagger: ThemeTagger) -> None:
    texts = [
        "Strengthen the independence of the judiciary.",
        "",
        "Garantizar la libertad de reunión pacífica.",
        "Обеспечить доступ к чистой питьевой воде в сельских районах.",
        "保障宗教信仰自由",
        "تعزيز حقوق العمال المهاجرين",
    ]
    batch = tagger.suggest_many(texts, top_k=5)
    assert len(batch) == len(texts)
    for text, many in zip(texts, batch, strict=True):
        one = tagger.suggest(text, top_k=5)
        assert [s.code for s in many] == [s.code for s in one]
        assert [s.score for s in many] == pytest.approx([s.score for s in one], abs=1e-5)


def test_predict_codes(tagger: ThemeTagger) -> None:
    codes = tagger.predict_codes(
        "Take measures to end child labour and the trafficking of children."
    )
    # UHRI: child labour and the sale/trafficking of children are "protection against
    # exploitation" (the UPR Info crosswalk gave the general child-rights theme)
    assert "children-exploitation" in codes
    assert "trafficking-slavery" in codes
    assert len(codes) == len(set(codes))
    suggestions = {
        s.code: s.score for s in tagger.suggest("Ensure free primary education.", top_k=60)
    }
    predicted = tagger.predict_codes("Ensure free primary education.")
    assert predicted
    assert predicted[0] == max(suggestions, key=lambda c: suggestions[c])


def test_embed_is_normalised(tagger: ThemeTagger) -> None:
    vectors = tagger.embed(["Protect human rights defenders.", "", "Защищать правозащитников."])
    assert vectors.shape == (3, 512)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors[[0, 2]], axis=1), 1.0, atol=1e-5)
    assert not vectors[1].any()
    assert float(vectors[0] @ vectors[2]) > 0.5


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Establish a national human rights institution.", "en"),
        ("Renforcer l'indépendance de la justice.", "fr"),
        ("Garantizar la educación de las niñas.", "es"),
        ("Укрепить независимость судебной власти.", "ru"),
        ("تعزيز استقلال القضاء", "ar"),
        ("加强司法独立", "zh"),
        ("Die Unabhängigkeit der Justiz stärken.", None),
        ("Зміцнити незалежність судової влади в Україні.", None),
        ("", None),
        ("2024 / 15", None),
    ],
)
def test_detect_language(text: str, lang: str | None) -> None:
    assert detect_language(text) == lang


def test_predict_many_matches_predict_codes(tagger: ThemeTagger) -> None:
    texts = ["Abolish the death penalty.", "", "Создать национальное правозащитное учреждение."]
    expected = [tagger.predict_codes(t) for t in texts]
    assert tagger.predict_codes_many(texts) == expected
    assert tagger.predict_many(texts) == expected
    assert expected[1] == []
    assert "death-penalty" in expected[0]
    assert "nhri" in expected[2]


# ---------- groups of persons, tag(), model_version ----------


def test_model_version_and_labels(tagger: ThemeTagger) -> None:
    assert tagger.model_version.startswith("uhri-tagger-2+")
    with (ROOT / "seed_data/themes.csv").open(encoding="utf-8", newline="") as handle:
        assert tagger.codes == tuple(row["code"] for row in csv.DictReader(handle))
    with (ROOT / "seed_data/groups_of_persons.csv").open(encoding="utf-8", newline="") as handle:
        assert tagger.group_codes == tuple(row["code"] for row in csv.DictReader(handle))
    thresholds = tagger.thresholds("groups", english=False)
    assert set(thresholds) == set(tagger.group_codes)
    assert all(0 < t < 1 for t in thresholds.values())


@pytest.mark.parametrize(
    "text",
    [
        "Ensure inclusive education for persons with disabilities.",
        "Garantir une éducation inclusive aux personnes handicapées.",
        "Garantizar la educación inclusiva de las personas con discapacidad.",
        "Обеспечить инклюзивное образование для инвалидов.",
        "ضمان التعليم الشامل للأشخاص ذوي الإعاقة",
        "确保残疾人享有全纳教育",
    ],
)
def test_groups_across_languages(tagger: ThemeTagger, text: str) -> None:
    assert "persons-with-disabilities" in tagger.predict_groups(text)
    assert "persons-with-disabilities" in [s.code for s in tagger.suggest_groups(text, top_k=2)]


def test_tag_returns_themes_and_groups_with_scores(tagger: ThemeTagger) -> None:
    tags = tagger.tag("Adopt a law criminalising violence against women and girls.")
    assert isinstance(tags, Tags)
    assert tags.model_version == tagger.model_version
    assert tags.language == "en"
    assert "violence-against-women" in tags.theme_codes
    assert "women-girls" in tags.group_codes
    for suggestions in (tags.themes, tags.groups):
        scores = [s.score for s in suggestions]
        assert scores == sorted(scores, reverse=True)
        assert all(0 < s <= 1 for s in scores)
    assert tagger.tag("   ") == Tags((), (), None, tagger.model_version)


def test_no_group_for_a_general_text(tagger: ThemeTagger) -> None:
    assert tagger.predict_groups("Abolish the death penalty.") == []


def test_tag_many_with_cached_embeddings(tagger: ThemeTagger) -> None:
    texts = [
        "Protect journalists from attacks and investigate the killings of journalists.",
        "",
        "Garantizar el registro de todos los nacimientos.",
    ]
    vectors = tagger.embed(texts)
    assert tagger.tag_many(texts, vectors) == tagger.tag_many(texts)
    assert tagger.predict_groups_many(texts, vectors) == [tagger.predict_groups(t) for t in texts]
    assert tagger.predict_codes_many(texts, vectors) == [tagger.predict_codes(t) for t in texts]


def test_crosswalk_pairs_need_support_from_the_text(tagger: ThemeTagger) -> None:
    # UPR Info tags both texts "International instruments" (-> ratification AND scope of
    # obligations); only the second is about reservations.
    ratify = tagger.predict_codes("Ratify the Convention against Torture.")
    assert "ratification" in ratify
    assert "scope-of-obligations" not in ratify
    assert "scope-of-obligations" in tagger.predict_codes(
        "Withdraw its reservations to the Convention on the Elimination of All Forms of "
        "Discrimination against Women."
    )


def test_old_format_still_loads() -> None:
    # format 1 (uhri-tagger-1.0: themes only, global thresholds) from arrays and metadata
    k = 3
    weights = {
        "embedding_coef": np.zeros((512, k), dtype=np.float32),
        "embedding_intercept": np.array([1.0, -1.0, -3.0], dtype=np.float32),
    }
    meta = {
        "model_version": "uhri-tagger-1.0",
        "codes": ["torture", "nhri", "privacy"],
        "blend_embedding_weight": 0.5,
        "threshold_en": 0.4,
        "threshold_other": 0.3,
        "min_signal": 0.05,
    }
    old = ThemeTagger.from_files(weights, meta)
    assert old.model_version == "uhri-tagger-1.0"
    assert old.group_codes == ()
    vectors = np.zeros((1, 512), dtype=np.float32)
    assert old.predict_codes_many(["anything"], vectors) == [["torture"]]
    assert old.predict_groups_many(["anything"], vectors) == [[]]


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        (
            "Girls from our villages were promised work as waitresses in the city and then "
            "forced to sell sex",
            "trafficking-slavery",
        ),
        (
            "Des jeunes femmes recrutées pour travailler à l'étranger puis contraintes à se "
            "prostituer",
            "trafficking-slavery",
        ),
        (
            "Женщин вербуют на работу за границей, а потом заставляют заниматься проституцией",
            "trafficking-slavery",
        ),
        (
            "Families are being moved inland because the sea keeps swallowing their village",
            "climate-change",
        ),
    ],
)
def test_the_nearest_training_texts_read_a_request_told_in_plain_words(
    text: str, theme: str
) -> None:
    # The linear parts read these as violence against women, work or water; the request-style
    # paraphrases closest to them say trafficking and climate change.
    shipped = ThemeTagger.load()
    assert shipped.predict_codes(text)[0] == theme
    without = ThemeTagger.from_directory(ROOT / "matching/tagging/data")
    without._themes.neighbour_weight = 0.0
    assert without.suggest(text, top_k=1)[0].code != theme


def three_d_neighbours(vectors: list[list[int]], labels: list[list[bool]]) -> Neighbours:
    """Texts on the axes of a 3-d space (int8, scale 1/127), two labels, two neighbours."""
    return Neighbours(
        mean=np.zeros(3, dtype=np.float32),
        basis=np.eye(3, dtype=np.float32),
        vectors=np.array(vectors, dtype=np.int8).reshape(-1, 3),
        scales=np.full(len(vectors), 1 / 127, dtype=np.float32),
        labels=np.array(labels, dtype=bool).reshape(-1, 2),
        k=2,
        temperature=0.05,
    )


def test_neighbours_vote_for_the_labels_of_the_closest_texts() -> None:
    neighbours = three_d_neighbours(
        [[127, 0, 0], [0, 127, 0], [0, 0, 127]], [[True, False], [False, True], [True, True]]
    )
    close_to_first, between_second_and_third = neighbours.scores(
        np.array([[1.0, 0.1, 0.0], [0.0, 0.6, 0.8]])
    )
    assert close_to_first == pytest.approx([1.0, 0.0], abs=1e-6)  # the second is far behind
    assert between_second_and_third[1] == pytest.approx(1.0)  # both nearest carry label 1
    assert between_second_and_third[0] == pytest.approx(1 / (1 + np.exp(-0.2 / 0.05)))
    with pytest.raises(ValueError, match="do not fit"):
        three_d_neighbours([[0, 0, 0]] * 2, [[False, False]] * 3)
    with pytest.raises(ValueError, match="at least one text"):
        three_d_neighbours([], [])
