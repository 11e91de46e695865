"""A language-neutral view of the encoder's sentence embeddings, for search across languages.

The multilingual encoder places a text and its translation close together, but every vector also
carries a part shared by all texts (their mean, a third of a vector's length) and a part that
says which language it is written in. Both weigh in the cosine beside what the texts say: a
Chinese query on older persons' pensions came closer to English texts on the age of criminal
responsibility than to its own English recommendation. Removing them (Libovický et al., 2020,
"On the language neutrality of pre-trained multilingual representations") keeps what the texts
say:

    neutral(v) = unit(w - B^T B w),  w = v - mean

where `mean` is the mean embedding of the six languages' means and the rows of `B` are an
orthonormal basis of the space the six language means span around it (five directions). The
means are taken over the tagger's training phrasings and requests (`seed_data/tagging/`), written
on the same subjects in the six languages, so they differ by language, not by subject. No
language has to be detected: the projection is one linear map for every text.

Cosines of neutral vectors are lower than the encoder's (unrelated texts score about 0 instead of
about 0.17), so `similarity` maps them back to the encoder's scale by matching the mean and the
spread of the two over pairs of texts written in the same language: what was set on that scale
(the search's theme bonus of 0.1) keeps its size.

The search by meaning (`app.pairing.semantic`) ranks texts by this similarity, and still
decides what counts as found on the encoder's cosine: a query far from every UPR text (a word,
"pizza", "cheap flights to Paris") loses most of its distance with the common part, and would
pass the search's floor of 0.35 with over a hundred texts. Measured in benchmarks/README.md,
"Language-neutral ranking": recall@10 of users' queries in French, Spanish, Russian, Arabic and
Chinese against their English targets, on three blind sets. Not used by matching: tried there
for every pair and for pairs in two languages, it gave requests with no valid offer suggestions,
and P@1 fell on a blind set (benchmarks/README.md).

The file `data/language_neutral.npz` is written by `tools/build_language_neutral.py`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from matching.tagging.model import FloatArray

NEUTRAL_FILE: Final = "language_neutral.npz"


@dataclass(frozen=True)
class NeutralParts:
    """Of unit vectors: their products with the mean, their coordinates along the language
    directions (after the mean is removed), and the length of what is left."""

    on_mean: NDArray[np.float32]  # (n,)
    coords: NDArray[np.float32]  # (n, k)
    norm: NDArray[np.float32]  # (n,)

    def take(self, rows: NDArray[np.integer[Any]]) -> NeutralParts:
        return NeutralParts(self.on_mean[rows], self.coords[rows], self.norm[rows])


@dataclass(frozen=True)
class NeutralSpace:
    """`transform` embeddings, then compare them with `similarity` (on the encoder's scale)."""

    mean: FloatArray  # (512,)
    basis: FloatArray  # (k, 512), orthonormal rows: the directions that tell languages apart
    offset: float  # similarity = offset + scale x cosine of neutral vectors
    scale: float

    def transform(self, vectors: NDArray[np.floating[Any]]) -> FloatArray:
        """Unit rows with the common and the language parts removed; a zero row stays zero."""
        rows = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
        present = np.linalg.norm(rows, axis=1) > 0
        centred = rows - self.mean
        centred -= (centred @ self.basis.T) @ self.basis
        norms = np.linalg.norm(centred, axis=1, keepdims=True)
        out = centred / np.maximum(norms, 1e-12)
        out[~present] = 0.0
        return np.asarray(out, dtype=np.float32)

    def parts(self, vectors: NDArray[np.floating[Any]]) -> NeutralParts:
        """What `cosines` needs of each unit row, besides the encoder's cosine."""
        rows = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
        on_mean = rows @ self.mean
        # (rows - mean) @ basis.T without a copy of `rows`
        coords = rows @ self.basis.T - self.mean @ self.basis.T
        squared = 1.0 - 2.0 * on_mean + float(self.mean @ self.mean) - (coords**2).sum(axis=1)
        return NeutralParts(on_mean, coords, np.sqrt(np.maximum(squared, 1e-12)))

    def cosines(
        self,
        encoder_cosines: NDArray[np.floating[Any]],
        rows: NeutralParts,
        query: NeutralParts,
    ) -> NDArray[np.float32]:
        """The cosines of the neutral vectors, from the encoder's cosines of the unit vectors
        (`rows` against one `query`): the same as `transform` then a product, without a
        second matrix of vectors."""
        dot = (
            encoder_cosines
            - rows.on_mean
            - query.on_mean[0]
            + float(self.mean @ self.mean)
            - rows.coords @ query.coords[0]
        )
        return np.asarray(dot / (rows.norm * query.norm[0]), dtype=np.float32)

    def similarity(self, cosines: NDArray[np.floating[Any]]) -> NDArray[np.float32]:
        """Cosines of neutral vectors on the encoder's cosine scale."""
        return np.asarray(self.offset + self.scale * cosines, dtype=np.float32)

    def save(self, path: Path) -> None:
        np.savez(
            path,
            mean=self.mean,
            basis=self.basis,
            calibration=np.array([self.offset, self.scale], dtype=np.float64),
        )

    @classmethod
    def from_file(cls, path: Any) -> NeutralSpace:
        with np.load(path) as data:
            offset, scale = (float(x) for x in data["calibration"])
            return cls(
                mean=np.asarray(data["mean"], dtype=np.float32),
                basis=np.asarray(data["basis"], dtype=np.float32),
                offset=offset,
                scale=scale,
            )

    @classmethod
    def load(cls) -> NeutralSpace:
        """The shipped space (for the shipped encoder)."""
        shipped = resources.files("matching.tagging").joinpath("data", NEUTRAL_FILE)
        with resources.as_file(shipped) as path:
            return cls.from_file(path)


def build_neutral_space(
    embeddings: Mapping[str, FloatArray], *, pairs: int = 200_000, seed: int = 0
) -> NeutralSpace:
    """The space from unit embeddings of texts on the same subjects in each language
    (language -> (n, 512)); `pairs` random same-language pairs calibrate `similarity`."""
    languages = sorted(embeddings)
    if len(languages) < 2:
        raise ValueError("a neutral space needs texts in at least two languages")
    means = np.stack([np.asarray(embeddings[lang], np.float64).mean(axis=0) for lang in languages])
    mean = means.mean(axis=0)
    _, singular, directions = np.linalg.svd(means - mean, full_matrices=False)
    basis = directions[singular > 1e-6 * singular.max()]
    space = NeutralSpace(mean.astype(np.float32), basis.astype(np.float32), 0.0, 1.0)
    offset, scale = _calibration(space, [embeddings[lang] for lang in languages], pairs, seed)
    return NeutralSpace(space.mean, space.basis, offset, scale)


def _calibration(
    space: NeutralSpace, groups: Sequence[FloatArray], pairs: int, seed: int
) -> tuple[float, float]:
    """(offset, scale) that give neutral cosines the mean and spread of the encoder's over
    random pairs of texts in the same language."""
    rng = np.random.default_rng(seed)
    raw_parts, neutral_parts = [], []
    for vectors in groups:
        vectors = np.asarray(vectors, dtype=np.float32)
        neutral = space.transform(vectors)
        n = pairs // len(groups)
        i, j = rng.integers(0, len(vectors), n), rng.integers(0, len(vectors), n)
        keep = i != j
        i, j = i[keep], j[keep]
        raw_parts.append(np.einsum("ij,ij->i", vectors[i], vectors[j]))
        neutral_parts.append(np.einsum("ij,ij->i", neutral[i], neutral[j]))
    raw, neutral_cos = np.concatenate(raw_parts), np.concatenate(neutral_parts)
    scale = float(raw.std() / neutral_cos.std())
    return float(raw.mean() - scale * neutral_cos.mean()), scale
