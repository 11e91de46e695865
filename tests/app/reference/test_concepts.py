"""A short query read as a concept: which themes and groups of persons a word names through
their six-language labels (seeded by the migrations)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from app.db.session import create_db_engine
from app.reference.concepts import Concepts, concepts_in, labelled

WOMEN_THEMES = {
    "advancement-of-women",
    "discrimination-against-women",
    "women-participation",
    "violence-against-women",
}
CHILDREN = {
    "children-general",
    "children-family-care",
    "juvenile-justice",
    "children-exploitation",
    "children",
    "children-vulnerable",
}


@pytest.fixture
def session(db_url: str) -> Iterator[Session]:
    engine = create_db_engine(db_url)
    with Session(engine) as session:
        yield session
    engine.dispose()


@pytest.mark.parametrize(
    "word", ["femmes", "Femme", "MUJERES", "mujer", "женщины", "женщин", "妇女", "women"]
)
def test_a_word_for_women_in_any_language_names_the_womens_codes(
    session: Session, word: str
) -> None:
    # Case and the ending of a long word (femme/femmes, женщины/женщин) do not matter.
    found = concepts_in(session, word)
    assert set(found.themes) == WOMEN_THEMES, found
    assert found.groups == ("women-girls",), found


@pytest.mark.parametrize("word", ["enfants", "ninos", "niños", "дети", "儿童", "الأطفال", "اطفال"])
def test_accents_and_the_arabic_article_are_set_aside(session: Session, word: str) -> None:
    assert set(concepts_in(session, word).codes) == CHILDREN


def test_two_words_name_the_codes_whose_labels_hold_both(session: Session) -> None:
    assert concepts_in(session, "violence femmes").themes == ("violence-against-women",)
    assert concepts_in(session, "pueblos indígenas").codes == [
        "indigenous-peoples",
        "indigenous-peoples",
    ]


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("pena de muerte", ["death-penalty"]),  # function words say nothing
        ("peine de mort", ["death-penalty"]),
        ("اللاجئين", ["refugees-asylum-seekers", "refugees-asylum-seekers"]),  # plural ending
        ("المهاجرين", ["migrants", "migrants"]),
    ],
)
def test_function_words_and_arabic_endings(session: Session, query: str, codes: list[str]) -> None:
    assert concepts_in(session, query).codes == codes


@pytest.mark.parametrize("word", ["prisoners", "тюрьмы", "囚犯", "السجناء"])
def test_a_synonym_in_no_label_names_what_the_tagger_reads_in_it(
    session: Session, word: str
) -> None:
    found = concepts_in(session, word)
    assert "persons-deprived-of-liberty" in found.groups, found


@pytest.mark.parametrize(
    "query",
    [
        "droits",  # in most labels: says too little
        "human",
        "de",
        "football",  # in none
        "UN",  # "un", an article in French and Spanish labels
        "femm",  # too short to match another ending
        "Personnes handicapées victimes de violence",  # four words that say something: a phrase
        "",
        "   ",
    ],
)
def test_what_names_no_concept(session: Session, query: str) -> None:
    assert concepts_in(session, query) == Concepts()
    assert not concepts_in(session, query)


def test_a_part_of_a_label_word_is_not_the_word(session: Session) -> None:
    # "art" is in "participation" but names none of its themes; the tagger may read it as
    # cultural rights (artistic freedom), never as participation.
    found = concepts_in(session, "art")
    assert not any("participation" in code for code in found.codes), found
    assert set(found.themes) <= {"cultural-rights"}


def test_the_labels_shown_name_each_concept_once(session: Session) -> None:
    # "migrants" names the theme and the group of the same label: shown once.
    found = concepts_in(session, "migrantes")
    assert found.themes == ("migrants",)
    assert found.groups == ("migrants",)
    assert [row.label("es") for row in labelled(session, found)] == ["Migrantes"]
