"""parse_report_text on excerpts in the style of UPR Working Group reports (en, fr, es, ru)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.imports.country_names import CountryNameIndex
from app.imports.report_text import ParsedParagraph, ParseProblem, parse_report_text

SEED = Path(__file__).resolve().parents[3] / "seed_data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BLIND = Path(__file__).resolve().parents[3] / "benchmarks" / "data" / "report_texts_blind"


@pytest.fixture(scope="module")
def index() -> CountryNameIndex:
    return CountryNameIndex.from_csv(SEED / "countries.csv")


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def paragraphs(results: list[ParsedParagraph | ParseProblem]) -> list[ParsedParagraph]:
    return [r for r in results if isinstance(r, ParsedParagraph)]


def problems(results: list[ParsedParagraph | ParseProblem]) -> list[ParseProblem]:
    return [r for r in results if isinstance(r, ParseProblem)]


def by_number(results: list[ParsedParagraph | ParseProblem]) -> dict[str, ParsedParagraph]:
    return {p.paragraph: p for p in paragraphs(results)}


# --- English ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def english(index) -> list[ParsedParagraph | ParseProblem]:
    return parse_report_text(fixture_text("report_en.txt"), index)


def test_english_paragraphs_and_no_problems(english):
    assert problems(english) == []
    numbers = [p.paragraph for p in paragraphs(english)]
    assert numbers == [f"145.{n}" for n in range(1, 12)] + [f"146.{n}" for n in range(1, 5)]
    # Headings (144., 145., 146., 147.) are not recommendations.
    assert all("following recommendations" not in p.text for p in paragraphs(english))
    assert all(p.unresolved_states == [] for p in paragraphs(english))


def test_english_states(english):
    states = {p.paragraph: p.recommending_states for p in paragraphs(english)}
    assert states == {
        "145.1": ["DNK", "CHL"],
        "145.2": ["BOL", "FRA"],
        "145.3": ["CIV"],
        "145.4": ["IRN", "UKR", "GBR"],
        "145.5": ["VEN"],
        "145.6": ["NLD", "ISL"],
        "145.7": ["PRK"],
        "145.8": ["KOR", "PHL"],
        "145.9": ["CHE"],
        "145.10": ["CZE", "FSM"],
        "145.11": ["VAT", "PSE"],
        "146.1": ["AUS", "LAO", "GNB"],
        "146.2": ["CAN", "USA"],
        "146.3": ["LVA", "TUR", "VCT"],
        "146.4": ["COG", "COD", "NER", "NGA", "GNQ"],
    }


def test_english_text_brackets_are_kept(english):
    paras = by_number(english)
    assert paras["145.1"].text == (
        "Consider ratifying the Optional Protocol to the Convention against Torture and Other "
        "Cruel, Inhuman or Degrading Treatment or Punishment (OPCAT)"
    )
    assert paras["145.5"].text == (
        "Continue to implement the National Action Plan on Human Rights (2019-2023) and "
        "allocate adequate resources for its implementation"
    )


def test_english_multi_line_and_page_break(english):
    paras = by_number(english)
    # Split over a footnote, a footer and a header: none of them leaks into the text.
    assert paras["145.8"].text == (
        "Take further steps to combat trafficking in persons, especially women and children, "
        "and ensure that victims have access to protection and assistance"
    )
    assert paras["145.4"].text.endswith("Global Alliance of National Human Rights Institutions")
    for para in paragraphs(english):
        assert "GE.19" not in para.text
        assert "A/HRC" not in para.text
        assert "  " not in para.text
        assert not para.text.endswith((";", ".", " "))
    # A State name broken over two lines, with and without a hyphen.
    assert paras["146.1"].recommending_states[-1] == "GNB"
    assert paras["146.4"].recommending_states[1] == "COD"


def test_english_line_numbers(english):
    lines = fixture_text("report_en.txt").splitlines()
    for para in paragraphs(english):
        assert lines[para.line - 1].startswith(para.paragraph + " ")
    assert by_number(english)["145.1"].line == 10


def test_english_last_paragraph_ends_with_full_stop(english):
    last = paragraphs(english)[-1]
    assert last.paragraph == "146.4"
    assert last.text.endswith("fully align national legislation with it")


# --- French, Spanish, Russian ---------------------------------------------------------------


def test_french(index):
    results = parse_report_text(fixture_text("report_fr.txt"), index)
    assert problems(results) == []
    states = {p.paragraph: p.recommending_states for p in paragraphs(results)}
    assert states == {
        "118.1": ["DNK", "CHL"],
        "118.2": ["BOL", "SEN"],
        "118.3": ["IRN", "CIV"],
        "118.4": ["KOR", "TGO"],
        "118.5": ["GBR"],
        "118.6": ["NLD", "VAT"],
        "118.7": ["USA", "COD", "COG"],
    }
    paras = by_number(results)
    # French space (here a no-break space) before ";" is not part of the text.
    assert paras["118.1"].text == "Mettre en place un mécanisme national de prévention"
    assert paras["118.4"].text == (
        "Renforcer le « mécanisme national d\u2019établissement des rapports et de suivi » et lui "
        "allouer les ressources nécessaires"
    )
    assert paras["118.5"].text.endswith("droits de l\u2019homme (2020-2024)")


def test_spanish(index):
    results = parse_report_text(fixture_text("report_es.txt"), index)
    assert problems(results) == []
    states = {p.paragraph: p.recommending_states for p in paragraphs(results)}
    assert states == {
        "120.1": ["DNK", "CHL"],
        "120.2": ["BOL", "VEN"],
        "120.3": ["IRN", "ESP"],
        "120.4": ["NLD", "USA"],
        "120.5": ["DOM", "DMA", "VAT"],
        "120.6": ["GBR", "CIV"],
    }
    paras = by_number(results)
    assert paras["120.3"].text == (
        "Adoptar medidas para prevenir la violencia contra las mujeres y las niñas y garantizar "
        "el acceso a la justicia de las víctimas"
    )
    assert (
        paras["120.6"].text == "Seguir aplicando el Plan Nacional de Derechos Humanos (2018-2022)"
    )


def test_russian(index):
    results = parse_report_text(fixture_text("report_ru.txt"), index)
    assert problems(results) == []
    states = {p.paragraph: p.recommending_states for p in paragraphs(results)}
    assert states == {
        "115.1": ["DNK", "CHL"],
        "115.2": ["BOL", "KAZ"],
        "115.3": ["IRN", "KGZ"],
        "115.4": ["RUS", "BLR"],
        "115.5": ["USA", "CIV"],
        "115.6": ["VEN", "UZB"],
    }
    paras = by_number(results)
    assert paras["115.1"].text == "Создать национальный превентивный механизм"
    assert "эффективное расследование" in paras["115.5"].text
    assert paras["115.6"].text.endswith("(2021\u20132025 годы)")


# --- problems and edge cases ----------------------------------------------------------------


def test_unresolved_state_is_a_problem_and_good_paragraphs_survive(index):
    text = (
        "10.1 Ratify the Convention (Denmark);\n"
        "10.2 Establish an NHRI (Freedonia) (Chile);\n"
        "10.3 Adopt a law on domestic\nviolence (Sweden).\n"
    )
    results = parse_report_text(text, index)
    assert [p.paragraph for p in paragraphs(results)] == ["10.1", "10.3"]
    assert problems(results) == [
        ParseProblem(2, "paragraph 10.2: recommending State not recognised: 'Freedonia'")
    ]
    assert by_number(results)["10.3"].text == "Adopt a law on domestic violence"

    partial = parse_report_text(text, index, keep_partial=True)
    assert partial[1] == problems(results)[0]
    assert partial[2] == ParsedParagraph(2, "10.2", "Establish an NHRI", ["CHL"], ["Freedonia"])


def test_paragraph_without_state_is_a_problem(index):
    text = "10.1 Ratify the Optional Protocol (OPCAT);\n10.2 Ratify CEDAW (Chile);\n"
    results = parse_report_text(text, index)
    assert problems(results) == [
        ParseProblem(1, "paragraph 10.1: no recommending State in brackets at the end")
    ]
    assert by_number(results)["10.2"].recommending_states == ["CHL"]


@pytest.mark.parametrize(
    ("bracket", "kept"),
    [
        ("(OPCAT)", True),
        ("(2019-2023)", True),
        ("(in particular women and girls)", True),
        ("(see A/HRC/41/9)", True),
        ("(Istanbul Convention)", True),
        ("(Law No. 12)", True),
        ("(USA)", False),
        ("(UK)", False),
    ],
)
def test_text_brackets_before_states(index, bracket, kept):
    results = parse_report_text(f"10.1 Do something {bracket} (Chile);", index)
    (para,) = paragraphs(results)
    if kept:
        assert para.text == f"Do something {bracket}"
        assert para.recommending_states == ["CHL"]
    else:
        assert para.text == "Do something"
        assert para.recommending_states[-1] == "CHL"
        assert len(para.recommending_states) == 2


def test_comma_separated_states_are_tolerated(index):
    (para,) = parse_report_text("10.1 Do something (Denmark, Chile);", index)
    assert isinstance(para, ParsedParagraph)
    assert para.recommending_states == ["DNK", "CHL"]
    assert para.text == "Do something"


def test_duplicate_state_is_listed_once(index):
    (para,) = parse_report_text("10.1 Do something (Chile) (Chili);", index)
    assert isinstance(para, ParsedParagraph)
    assert para.recommending_states == ["CHL"]


def test_number_at_line_start_inside_a_paragraph_is_continuation(index):
    text = (
        "145. The following recommendations enjoy the support of Ruritania:\n"
        "145.1 Achieve target\n"
        "16.2 of the Sustainable Development Goals (Denmark);\n"
        "145.2 Ratify the\n"
        "1. Convention (Chile);\n"
    )
    results = parse_report_text(text, index)
    assert problems(results) == []
    paras = by_number(results)
    assert paras["145.1"].text == "Achieve target 16.2 of the Sustainable Development Goals"
    assert paras["145.2"].text == "Ratify the 1. Convention"


def test_a_numbered_list_under_a_heading_as_in_the_first_cycle(index):
    # Cycle 1 (2008-2011): the recommendations of paragraph 60 are numbered 1., 2., ...;
    # item k of paragraph 60 is 60.k, and item 61 is not the heading 61.
    items = "".join(f"{k}. To consider measure number {k} (Brazil);\n" for k in range(1, 61))
    text = (
        "60. The recommendations formulated during the interactive dialogue have been examined\n"
        "by Ruritania and the recommendations listed below enjoy the support of Ruritania:\n"
        f"{items}"
        "61. To take steps\n"
        "2. of the plan into account (Mexico, Chile);\n"
        "62. To ratify the Optional Protocol (OPCAT) (Denmark).\n"
        "63. The following recommendations will be examined by Ruritania, which will provide\n"
        "responses in due time:\n"
        "1. To abolish the death penalty (France);\n"
        "2) To invite the special procedures (Chile).\n"
        "64. All conclusions and/or recommendations contained in the present report reflect\n"
        "the position of the submitting State(s) and/or the State under review.\n"
    )
    results = parse_report_text(text, index)
    assert problems(results) == []
    paras = by_number(results)
    assert list(paras) == [f"60.{k}" for k in range(1, 63)] + ["63.1", "63.2"]
    assert paras["60.7"].text == "To consider measure number 7"
    assert paras["60.61"].text == "To take steps 2. of the plan into account"
    assert paras["60.61"].recommending_states == ["MEX", "CHL"]
    assert paras["60.62"].recommending_states == ["DNK"]
    assert paras["63.2"].text == "To invite the special procedures"


def test_a_numbered_list_in_french(index):
    text = (
        "86. Les recommandations formulées au cours du dialogue ont été examinées par la\n"
        "Ruritanie et les recommandations ci-après ont recueilli son adhésion :\n"
        "1. Ratifier la Convention contre la torture (Brésil) ;\n"
        "2. Envisager d’adopter une loi sur la\n"
        "non-discrimination (Chili, Mexique).\n"
    )
    paras = by_number(parse_report_text(text, index))
    assert paras["86.1"].text == "Ratifier la Convention contre la torture"
    assert paras["86.2"].recommending_states == ["CHL", "MEX"]


def test_arabic_report_text(index):
    # Arabic reports number 145-1, end with ؛ and write the States in Arabic.
    results = parse_report_text(fixture_text("report_ar.txt"), index)
    assert problems(results) == []
    paras = by_number(results)
    assert list(paras) == ["145.1", "145.2", "145.3", "145.4", "145.5a", "145.5b", "145.6"]
    assert paras["145.1"].text == (
        "النظر في التصديق على البروتوكول الاختياري لاتفاقية مناهضة التعذيب"
    )
    assert paras["145.1"].recommending_states == ["DNK"]
    assert paras["145.2"].text == "مواصلة تنفيذ خطة العمل الوطنية لحقوق الإنسان (2019-2023)"
    assert paras["145.2"].recommending_states == ["EGY", "JOR"]
    assert paras["145.3"].recommending_states == ["BOL"]
    assert paras["145.4"].recommending_states == ["MAR", "TUN"]
    assert paras["145.5a"].recommending_states == ["CHL"]
    assert paras["145.5b"].text == "والنظر في وقف اختياري لتنفيذ عقوبة الإعدام"
    assert paras["145.5b"].recommending_states == ["FRA"]
    assert paras["145.6"].text == "ضمان تسجيل جميع المواليد مجاناً"
    assert paras["145.6"].recommending_states == ["QAT"]


def test_chinese_report_text(index):
    # Chinese reports use full-width brackets, ； and 。, and lines join without a space.
    results = parse_report_text(fixture_text("report_zh.txt"), index)
    assert problems(results) == []
    paras = by_number(results)
    assert list(paras) == ["145.1", "145.2", "145.3", "145.4", "145.5a", "145.5b", "145.6"]
    assert paras["145.1"].recommending_states == ["DNK"]
    assert paras["145.2"].text == "继续执行《国家人权行动计划（2019-2023年）》"
    assert paras["145.2"].recommending_states == ["CHN", "VNM"]
    assert paras["145.3"].text == "通过一项全面的反歧视法，涵盖所有受禁止的歧视理由"
    assert paras["145.3"].recommending_states == ["BOL"]
    assert paras["145.4"].text == "加强国家人权机构的独立性，使之符合《巴黎原则》"
    assert paras["145.4"].recommending_states == ["KOR", "FRA"]
    assert paras["145.5a"].text == "批准《公民权利和政治权利国际公约第二项任择议定书》"
    assert paras["145.5b"].text == "考虑暂停执行死刑"
    assert paras["145.5b"].recommending_states == ["NZL"]
    assert paras["145.6"].recommending_states == ["USA"]


def test_a_hyphenated_number_is_a_paragraph_only_in_arabic(index):
    text = "10.1 Protect children aged\n10-12 from labour (Chile);\n10.2 Adopt a law (Denmark);"
    paras = by_number(parse_report_text(text, index))
    assert list(paras) == ["10.1", "10.2"]
    assert paras["10.1"].text == "Protect children aged 10-12 from labour"


def test_a_list_of_states_in_one_bracket_is_read_as_a_list_before_a_fuzzy_whole(index):
    # Read fuzzily as a whole, both gave their first State only.
    text = (
        "10.1 Establish an NHRI (United Kingdom of Great Britain and Northern Ireland, Canada);\n"
        "10.2 Renforcer l’accès à l’éducation (Bolivie (État plurinational de), Équateur);\n"
        "10.3 Do something (Korea, Republic of);"
    )
    paras = by_number(parse_report_text(text, index))
    assert paras["10.1"].recommending_states == ["GBR", "CAN"]
    assert paras["10.2"].recommending_states == ["BOL", "ECU"]
    assert paras["10.3"].recommending_states == ["KOR"]


def test_and_between_the_last_two_states_of_a_bracket(index):
    text = (
        "10.1 Train the police (Slovenia, Czech Republic and Netherlands);\n"
        "10.2 Do something (Trinidad and Tobago, Saint Vincent and the Grenadines);\n"
        "10.3 مواصلة جهودها (الأردن، والجزائر)؛\n"
        "10.4 Train judges (Bosnia and Herzegovina).\n"
    )
    paras = by_number(parse_report_text(text, index))
    assert paras["10.1"].recommending_states == ["SVN", "CZE", "NLD"]
    assert paras["10.2"].recommending_states == ["TTO", "VCT"]
    assert paras["10.3"].recommending_states == ["JOR", "DZA"]
    assert paras["10.4"].recommending_states == ["BIH"]


def test_an_acronym_in_another_alphabet_is_text_not_a_state(index):
    (para,) = parse_report_text("125.1 ратифицировать ФП-КПП (ФП-КПП) (Дания);", index)
    assert isinstance(para, ParsedParagraph)
    assert para.text == "ратифицировать ФП-КПП (ФП-КПП)"
    assert para.recommending_states == ["DNK"]


@pytest.mark.parametrize("conjunction", ["and", "et", "y", "и"])
def test_a_conjunction_after_the_last_states_is_not_a_recommendation(index, conjunction):
    text = f"10.1 Do something (Chile); {conjunction}\n10.2 Do another thing (Denmark)."
    results = parse_report_text(text, index)
    assert problems(results) == []
    assert [p.paragraph for p in paragraphs(results)] == ["10.1", "10.2"]


BLIND_TEXTS = sorted(
    p.relative_to(BLIND.parent) for p in BLIND.parent.glob("report_texts_blind*/*.txt")
)


# A copy that lost the numbers of a list and has neither number nor bullet on its lines, one per
# paragraph: the lines after the last number read as members of that paragraph (93.15a, ...)
# where the writer numbered them on (93.16, ...), which nothing in the text says.
NUMBERS_LOST = {"report_texts_blind_4/en_b.txt": 36}


def test_the_blind_report_texts_are_there():
    assert len(BLIND_TEXTS) == 28, BLIND_TEXTS


@pytest.mark.parametrize("name", [str(p) for p in BLIND_TEXTS])
def test_the_blind_report_texts_are_read_exactly(index, name):
    # Written by other hands that never saw the parser (benchmarks/data/report_texts_blind*/).
    path = BLIND.parent / name
    expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    results = parse_report_text(path.read_text(encoding="utf-8"), index)
    assert problems(results) == []
    got = [(p.paragraph, p.text, p.recommending_states) for p in paragraphs(results)]
    want = [(e["paragraph"], e["text"], e["states"]) for e in expected]
    if name in NUMBERS_LOST:  # every text and its States, but the numbers the copy lost
        kept = NUMBERS_LOST[name]
        assert [g[1:] for g in got] == [w[1:] for w in want]
        assert got[:kept] == want[:kept]
        return
    assert got == want


def test_hyphenation(index):
    text = (
        "10.1 Continue to imple-\nment the plan and adopt\n"
        "non-\ndiscrimination laws in line with Guinea-\nBissau (Chile);"
    )
    (para,) = parse_report_text(text, index)
    assert isinstance(para, ParsedParagraph)
    assert para.text == (
        "Continue to implement the plan and adopt non-discrimination laws in line with "
        "Guinea-Bissau"
    )


def test_compounds_broken_at_their_hyphen_keep_it(index):
    text = (
        "10.1 Adopt an evidence-\nbased and victim-\ncentred policy, after a decision-\n"
        "making (Chile);"
    )
    (para,) = parse_report_text(text, index)
    assert isinstance(para, ParsedParagraph)
    assert para.text == "Adopt an evidence-based and victim-centred policy, after a decision-making"


def test_text_after_the_last_paragraph_and_before_the_first_is_ignored(index):
    text = (
        "Recommendations\n"
        "The delegation thanked (Chile) for its remarks.\n"
        "10.1 Ratify the Convention (Denmark).\n"
        "Annex\n"
        "Composition of the delegation\n"
    )
    results = parse_report_text(text, index)
    assert results == [ParsedParagraph(3, "10.1", "Ratify the Convention", ["DNK"])]


def test_windows_line_endings_and_no_final_full_stop(index):
    text = "10.1 Ratify the\r\nConvention (Denmark);\r\n10.2 Adopt a law (Chile)"
    results = parse_report_text(text, index)
    assert [(p.paragraph, p.text, p.recommending_states) for p in paragraphs(results)] == [
        ("10.1", "Ratify the Convention", ["DNK"]),
        ("10.2", "Adopt a law", ["CHL"]),
    ]


def test_empty_and_unnumbered_input(index):
    assert parse_report_text("", index) == []
    assert parse_report_text("Just some text (Chile);\nMore text.", index) == []


def test_numbered_paragraph_without_text(index):
    results = parse_report_text("10.1 (Chile);\n10.2 Ratify CAT (Denmark);", index)
    assert problems(results) == [ParseProblem(1, "paragraph 10.1: no recommendation text")]
    assert [p.paragraph for p in paragraphs(results)] == ["10.2"]


# --- clustered paragraphs, on whole report texts -------------------------------------------


@pytest.mark.parametrize("language", ["en", "fr"])
def test_report_texts_parse_exactly(index: CountryNameIndex, language: str) -> None:
    """170 numbered paragraphs laid out as a PDF gives them (wrapped lines, State lists split
    over lines, page furniture, clustered paragraphs); the expected parse is written down by
    tools/build_report_text_fixtures.py from the recommendations the text is made of."""
    name = f"report_clusters_{language}"
    expected = json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))
    assert len({e["paragraph"].rstrip("abc") for e in expected}) >= 150
    clustered = {e["paragraph"][:-1] for e in expected if e["paragraph"][-1].isalpha()}
    assert len(clustered) >= 15

    results = parse_report_text(fixture_text(f"{name}.txt"), index)

    parsed = {p.paragraph: (p.text, p.recommending_states) for p in paragraphs(results)}
    wanted = {e["paragraph"]: (e["text"], e["states"]) for e in expected}
    exact = [number for number, parse in wanted.items() if parsed.get(number) == parse]
    misses = {n: (parsed.get(n), wanted[n]) for n in wanted if n not in exact}
    assert len(exact) / len(wanted) >= 0.99, misses
    assert set(parsed) - set(wanted) == set(), "no paragraph the report does not have"
    assert problems(results) == []


def test_clustered_paragraph_gives_one_recommendation_per_member(index: CountryNameIndex) -> None:
    text = (
        "145.12 Ratify the Second Optional Protocol to the International Covenant on Civil and\n"
        "Political Rights, aiming at the abolition of the death penalty (Chile); Consider\n"
        "ratifying the Second Optional Protocol to the International Covenant on Civil and\n"
        "Political Rights, aiming at the abolition of the death penalty (Nepal) (Bolivia\n"
        "(Plurinational State of));\n"
        "145.13 Establish a national preventive mechanism (Denmark);\n"
    )
    results = parse_report_text(text, index)
    assert problems(results) == []
    assert [(p.line, p.paragraph, p.recommending_states) for p in paragraphs(results)] == [
        (1, "145.12a", ["CHL"]),
        (1, "145.12b", ["NPL", "BOL"]),
        (6, "145.13", ["DNK"]),
    ]
    first, second = paragraphs(results)[:2]
    assert first.text.startswith("Ratify the Second Optional Protocol")
    assert first.text.endswith("abolition of the death penalty")
    assert second.text.startswith("Consider ratifying the Second Optional Protocol")


def test_french_clustered_paragraph(index: CountryNameIndex) -> None:
    text = (
        "145.12 Ratifier le deuxième Protocole facultatif se rapportant au Pacte international\n"
        "relatif aux droits civils et politiques, visant à abolir la peine de mort (Chili)\u202f;\n"
        "Envisager de ratifier le deuxième Protocole facultatif (Népal) (Royaume-Uni de\n"
        "Grande-Bretagne et d\u2019Irlande du Nord)\u00a0; Adhérer à la Convention\n"
        "(Côte d\u2019Ivoire) ;\n"
        "GE.23-24551 14\n"
        "A/HRC/55/7\n"
        "145.13 Abolir la peine de mort (États-Unis d\u2019Amérique) (Saint-Siège).\n"
    )
    results = parse_report_text(text, index)
    assert problems(results) == []
    assert [(p.paragraph, p.text, p.recommending_states) for p in paragraphs(results)] == [
        (
            "145.12a",
            "Ratifier le deuxième Protocole facultatif se rapportant au Pacte international "
            "relatif aux droits civils et politiques, visant à abolir la peine de mort",
            ["CHL"],
        ),
        ("145.12b", "Envisager de ratifier le deuxième Protocole facultatif", ["NPL", "GBR"]),
        ("145.12c", "Adhérer à la Convention", ["CIV"]),
        ("145.13", "Abolir la peine de mort", ["USA", "VAT"]),
    ]


def test_cluster_member_with_an_unknown_state_is_a_problem_of_its_own(
    index: CountryNameIndex,
) -> None:
    results = parse_report_text("10.1 Do A (Freedonia); Do B (Chile);", index)
    assert problems(results) == [
        ParseProblem(1, "paragraph 10.1a: recommending State not recognised: 'Freedonia'")
    ]
    assert [(p.paragraph, p.text) for p in paragraphs(results)] == [("10.1b", "Do B")]


def test_text_bracket_before_a_semicolon_does_not_split(index: CountryNameIndex) -> None:
    (para,) = parse_report_text("10.1 Ratify OPCAT (OPCAT); Adopt a law (Chile);", index)
    assert para == ParsedParagraph(1, "10.1", "Ratify OPCAT (OPCAT); Adopt a law", ["CHL"])


def test_text_after_the_last_state_of_a_paragraph_is_reported(index: CountryNameIndex) -> None:
    results = parse_report_text("10.1 Ratify the Convention (Denmark);\nAnnex\n", index)
    assert paragraphs(results) == [ParsedParagraph(1, "10.1", "Ratify the Convention", ["DNK"])]
    assert problems(results) == [
        ParseProblem(
            1,
            "paragraph 10.1: text after the last recommending State has no State of its own: "
            "'Annex'",
        )
    ]


def test_footer_spread_out_by_the_pdf_layout_is_furniture(index: CountryNameIndex) -> None:
    text = "10.1 Ratify the\nGE.23-24817" + " " * 60 + "12\n" + " " * 60 + "A/HRC/55/16\n"
    (para,) = parse_report_text(text + "Convention (Chile).", index)
    assert para == ParsedParagraph(1, "10.1", "Ratify the Convention", ["CHL"])


# --- what PDF and Word copies leave in the text (the third blind set) ------------------------


def test_soft_hyphens_and_direction_marks_leave_no_trace(index):
    arabic = (
        "\u200f124-1\u200f\tمواصلة تعزيز المؤسسة الوطنية (المغرب)؛\n\u200f124-2\u200f\tضمان (قطر)."
    )
    assert list(by_number(parse_report_text(arabic, index))) == ["124.1", "124.2"]
    text = (
        "118.2 Step up efforts against hate speech, inclu\u00ad\nding on social\u00admedia (Chile);"
    )
    (para,) = parse_report_text(text, index)
    assert para.text == "Step up efforts against hate speech, including on socialmedia"


def test_a_space_after_the_major_number(index):
    text = "128. 6 Adresser une invitation permanente (Lettonie) ;\n128. 7 Renforcer (Géorgie) ;"
    assert list(by_number(parse_report_text(text, index))) == ["128.6", "128.7"]


def test_footnotes_at_the_foot_of_a_page_are_left_out_with_their_marks(index):
    text = (
        "128.5 Ratifier le Statut de Rome et l\u2019Accord sur les privilèges de la\n"
        "Cour1 (Chili) ;\n"
        "128.6 Instaurer un moratoire en vue d\u2019abolir la peine\n"
        "1 Accord adopté à New York le 9 septembre 2002.\n"
        "GE.19-11234 17\n"
        "A/HRC/42/11\n"
        "de mort (Belgique) ;\n"
        "128.7 Abolish the death penalty and, pending abolition,[2] establish a moratorium\n"
        "(Italy) (Uruguay)\n"
        "________________\n"
        "2\n"
        "The recommendation as read out.\n"
        "GE.19-11234 18\n"
    )
    found = by_number(parse_report_text(text, index))
    assert found["128.5"].text == (
        "Ratifier le Statut de Rome et l\u2019Accord sur les privilèges de la Cour"
    )
    assert found["128.6"].text == "Instaurer un moratoire en vue d\u2019abolir la peine de mort"
    assert found["128.6"].recommending_states == ["BEL"]
    assert found["128.7"].text == (
        "Abolish the death penalty and, pending abolition, establish a moratorium"
    )
    assert found["128.7"].recommending_states == ["ITA", "URY"]


def test_a_line_starting_with_a_number_before_a_page_break_stays_text(index):
    # No footnote refers to 19: the line is the paragraph's, which goes on after the break.
    text = (
        "118.1 Bring the media law into line with article\n"
        "19 of the Covenant, in consultation\n"
        "GE.24-05831(E)\n"
        "A/HRC/56/14\n"
        "with journalists (Norway);"
    )
    (para,) = parse_report_text(text, index)
    assert para.text == (
        "Bring the media law into line with article 19 of the Covenant, in consultation with "
        "journalists"
    )


def test_chinese_and_between_states_and_arabic_and_after_the_last(index):
    chinese = (
        "120.5 向特别程序发出长期有效的邀请（黑山和突尼斯）；\n120.6 设立人权机构（捷克共和国）；"
    )
    found = by_number(parse_report_text(chinese, index))
    assert found["120.5"].recommending_states == ["MNE", "TUN"]
    assert found["120.6"].recommending_states == ["CZE"]  # "和" inside a name stays
    arabic = "124-29 مواصلة جهودها (الأردن)؛ و\n124-30 ضمان استقلال القضاء (قطر)."
    results = parse_report_text(arabic, index)
    assert not problems(results)
    assert by_number(results)["124.29"].text == "مواصلة جهودها"


# --- the fourth blind set: lists that lost their numbers, names holding "and", other marks ---


def test_a_bullet_that_replaced_a_number_starts_the_next_paragraph(index):
    text = (
        "93.1 Ratify the Optional Protocol (Greece);\n"
        "\u2022\tAccede to the Rome Statute (Liechtenstein, Slovenia and Switzerland);\n"
        "\u2022 Abolish the death penalty (Italy); Consider a moratorium (Cabo Verde);"
    )
    found = by_number(parse_report_text(text, index))
    assert list(found) == ["93.1", "93.2", "93.3a", "93.3b"]
    assert found["93.2"].recommending_states == ["LIE", "SVN", "CHE"]


def test_nothing_after_the_closing_paragraph_is_read(index):
    text = (
        "122.1 Ввести мораторий на смертную казнь (Австралия);\n"
        "123. Все выводы и/или рекомендации, содержащиеся в настоящем докладе, отражают позицию\n"
        "представившего их государства.\n"
        "Приложение\n"
        "1. г-жа Дина Орлова, заместитель министра;\n"
        "2. г-н Тимур Сабиров, Постоянный представитель (Посол);"
    )
    results = parse_report_text(text, index)
    assert not problems(results)
    assert list(by_number(results)) == ["122.1"]


@pytest.mark.parametrize(
    ("bracket", "states"),
    [
        ("Trinidad and Tobago and Saint Vincent and the Grenadines", ["TTO", "VCT"]),
        ("Republic of Korea, Slovenia, and Uruguay", ["KOR", "SVN", "URY"]),
        ("Bosnia y Herzegovina y San Vicente y las Granadinas", ["BIH", "VCT"]),
        ("Chile e Indonesia", ["CHL", "IDN"]),
        ("Тринидад и Тобаго и Босния и Герцеговина", ["TTO", "BIH"]),
        ("قطر والكويت", ["QAT", "KWT"]),
        ("البوسنة والهرسك", ["BIH"]),
    ],
)
def test_every_and_of_a_list_of_states(index, bracket, states):
    (para,) = parse_report_text(f"118.16 Reform the justice sector ({bracket});", index)
    assert isinstance(para, ParsedParagraph), para
    assert para.recommending_states == states


def test_superscript_and_asterisk_marks_and_an_arabic_acronym(index):
    text = (
        "99.6 Abolir la peine de mort\u00b3 pour tous les crimes (Belgique) ;\n"
        "99.7 Garantizar la inscripción gratuita de los nacimientos** (Chile) ;\n"
        "99.8 سحب التحفظات على اتفاقية القضاء على التمييز ضد المرأة (سيداو) (قطر)؛"
    )
    found = by_number(parse_report_text(text, index))
    assert found["99.6"].text == "Abolir la peine de mort pour tous les crimes"
    assert found["99.7"].text == "Garantizar la inscripción gratuita de los nacimientos"
    assert found["99.8"].text.endswith("(سيداو)")
    assert found["99.8"].recommending_states == ["QAT"]
