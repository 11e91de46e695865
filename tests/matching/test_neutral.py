"""The language-neutral space of the search by meaning (matching/tagging/neutral.py)."""

from __future__ import annotations

import numpy as np
import pytest

from matching.tagging import ThemeTagger
from matching.tagging.neutral import NeutralSpace, build_neutral_space

# The same four recommendations in English and French: a translation should be the closest text.
ENGLISH = [
    "Ratify the Optional Protocol to the Convention against Torture",
    "Guarantee free and compulsory primary education for all children",
    "Protect journalists and guarantee the freedom of the press",
    "Ensure access to safe drinking water in rural areas",
]
FRENCH = [
    "Ratifier le Protocole facultatif se rapportant à la Convention contre la torture",
    "Garantir un enseignement primaire gratuit et obligatoire pour tous les enfants",
    "Protéger les journalistes et garantir la liberté de la presse",
    "Garantir l'accès à l'eau potable dans les zones rurales",
]


def _unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_the_same_content_in_two_languages_becomes_the_same_vector() -> None:
    """Texts that differ only by a language offset are told apart by the encoder's cosine and
    are the same vector in the neutral space; other contents stay apart."""
    rng = np.random.default_rng(7)
    contents = rng.normal(size=(40, 512))
    offsets = {lang: rng.normal(size=512) * 0.8 for lang in ("en", "fr", "ar")}
    embeddings = {
        lang: _unit(contents + offset).astype(np.float32) for lang, offset in offsets.items()
    }
    space = build_neutral_space(embeddings, pairs=5_000)
    assert space.basis.shape == (2, 512)  # three languages: two directions tell them apart
    assert np.allclose(space.basis @ space.basis.T, np.eye(2), atol=1e-5)
    english, arabic = space.transform(embeddings["en"]), space.transform(embeddings["ar"])
    assert np.allclose(np.linalg.norm(english, axis=1), 1.0, atol=1e-5)
    raw_same = np.einsum("ij,ij->i", embeddings["en"], embeddings["ar"])
    assert raw_same.max() < 0.8
    assert np.einsum("ij,ij->i", english, arabic).min() > 0.999
    assert (arabic[1:] @ english[0]).max() < 0.5


def test_a_single_language_is_refused() -> None:
    with pytest.raises(ValueError, match="at least two languages"):
        build_neutral_space({"en": np.eye(3, 512, dtype=np.float32)})


@pytest.fixture(scope="module")
def encoded() -> tuple[np.ndarray, np.ndarray]:
    tagger = ThemeTagger.load()
    return tagger.embed(ENGLISH), tagger.embed(FRENCH)


def test_the_shipped_space(encoded: tuple[np.ndarray, np.ndarray]) -> None:
    space = NeutralSpace.load()
    assert space.basis.shape == (5, 512)  # six languages
    assert np.allclose(space.basis @ space.basis.T, np.eye(5), atol=1e-4)
    english, french = encoded
    # the cosines computed from the parts are those of the transformed vectors
    direct = space.transform(english) @ space.transform(french[:1])[0]
    from_parts = space.cosines(english @ french[0], space.parts(english), space.parts(french[:1]))
    assert np.allclose(direct, from_parts, atol=1e-5)
    # a zero vector (an empty text) stays zero
    assert not space.transform(np.zeros((1, 512), np.float32)).any()


def test_translations_stand_further_out_in_the_neutral_space(
    encoded: tuple[np.ndarray, np.ndarray],
) -> None:
    """Each French text's margin: its translation's similarity minus the best other English
    text's; wider in the neutral space than with the encoder's cosine."""
    space = NeutralSpace.load()
    english, french = encoded
    raw = french @ english.T
    neutral = space.similarity(space.transform(french) @ space.transform(english).T)

    def margins(sims: np.ndarray) -> np.ndarray:
        others = np.where(np.eye(len(sims), dtype=bool), -np.inf, sims)
        return np.diag(sims) - others.max(axis=1)

    assert (margins(raw) > 0).all()
    assert margins(neutral).mean() > margins(raw).mean()
