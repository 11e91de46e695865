"""Search by meaning: the sentence embeddings of every recommendation and offer, in memory.

The tagger's multilingual encoder places a text and its translation close together, so the
cosine of a query's embedding with each record's finds a French, Russian or Chinese query's
English recommendation; texts are ranked in the encoder's language-neutral space
(`matching.tagging.neutral`), and found from a floor on the encoder's own cosine. The vectors
come from the `text_embeddings` cache (`embed_cached`,
which matching fills too); a text never encoded is encoded once and stored.

Each kind ("recommendations", "offers") is a matrix of unit vectors (512 float32 a distinct
text: up to 200 MB at 100,000 different recommendations; the same recommendation made to many
States is one row) with the ids and, for recommendations, the State under review (a State's
search looks at its own only). It is built on the first search, then kept fresh every
`REFRESH_SECONDS` by a background thread (a record added or edited is found by its words at
once, by its meaning within that time). A first build encodes at most `SYNC_ENCODE_LIMIT` texts
in the request; the rest wait for the thread, and are found by their words meanwhile. `uprtc
search index` encodes everything ahead (after a large import). A failure of the encoder leaves
the search to words alone.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from threadpoolctl import ThreadpoolController

from app.core.tagger import current_tagger, neutral_space
from app.offers.models import Offer, offer_themes
from app.pairing.embeddings import embed_cached, known_embeddings, text_key
from app.recommendations.models import Recommendation, recommendation_themes
from matching.tagging.model import EMBEDDING_DIM, ThemeTagger
from matching.tagging.neutral import NeutralParts, NeutralSpace

log = logging.getLogger(__name__)

KINDS = ("recommendations", "offers")
REFRESH_SECONDS = 30.0
SYNC_ENCODE_LIMIT = 500
ENCODE_BATCH = 256
# Below this cosine a record is not "about" the query (USE-m: unrelated texts score ~0.1-0.3).
MIN_SIMILARITY = 0.35
# A word or two ("femmes", "mujeres", "妇女") is far from any sentence, also from those about it:
# "femmes" scores 0.31-0.33 with the recommendations on women and found none of them. For such
# short queries the floor is lower; unrelated words still score under it ("hello" 0.27,
# "football" 0.22; benchmarks/README.md, "Short queries").
SHORT_QUERY_MIN_SIMILARITY = 0.28
SHORT_QUERY_WORDS = 2
SHORT_QUERY_CHARACTERS = 20
# Ranking: the closest THEME_POOL texts are read, and those tagged with a theme the tagger reads
# in the query from QUERY_THEME_FLOOR gain THEME_BONUS (cosines of texts on a subject differ by
# 0.05-0.15; the bonus reorders them, it does not lift an unrelated text).
THEME_POOL = 100
THEME_BONUS = 0.1
QUERY_THEME_FLOOR = 0.25
_BLAS = ThreadpoolController()  # found once: looking for the libraries costs milliseconds


@dataclass(frozen=True)
class _Matrix:
    ids: NDArray[np.int64]  # the records, by id
    vectors: NDArray[np.float32]  # (distinct texts, 512), unit rows
    rows: NDArray[np.int32]  # each record's row in `vectors`
    states: NDArray[np.str_] | None  # each record's State under review (recommendations)
    keys: dict[str, int]  # text key -> row of `vectors`, to reuse them on refresh
    missing: int  # records whose text is not encoded yet
    signature: tuple[int, ...] = ()  # what the table looked like (see _signature)
    # State -> its records' positions (in `ids`): a search for one State scores only those
    by_state: dict[str, NDArray[np.int64]] = field(default_factory=dict)
    # each vector's parts in the language-neutral space (None: the encoder's cosine only)
    neutral: NeutralParts | None = None


_EMPTY = _Matrix(
    ids=np.zeros(0, dtype=np.int64),
    vectors=np.zeros((0, EMBEDDING_DIM), np.float32),
    rows=np.zeros(0, dtype=np.int32),
    states=None,
    keys={},
    missing=0,
)


def offer_text(title: str, description: str | None) -> str:
    return f"{title}\n{description or ''}".strip()


def _records(session: Session, kind: str) -> list[tuple[int, str, str | None]]:
    """(id, text, State under review or None) of every record of `kind`."""
    if kind == "recommendations":
        stmt = select(Recommendation.id, Recommendation.text, Recommendation.state_iso3)
        return [(i, t, s) for i, t, s in session.execute(stmt.order_by(Recommendation.id))]
    rows = session.execute(select(Offer.id, Offer.title, Offer.description).order_by(Offer.id))
    return [(i, offer_text(title, description), None) for i, title, description in rows]


def _signature(session: Session, kind: str) -> tuple[int, ...]:
    """Changes when a record of `kind` is added, edited (its version) or deleted: one scan of
    the table's integer columns, much cheaper than reading the texts again."""
    model = Recommendation if kind == "recommendations" else Offer
    row = session.execute(
        select(func.count(), func.max(model.id), func.sum(model.id * 7 + model.version))
    ).one()
    return tuple(int(value or 0) for value in row)


@lru_cache(maxsize=2048)
def _query_vector(query: str) -> NDArray[np.float32]:
    return np.asarray(current_tagger().embed([query])[0], dtype=np.float32)


def min_similarity(query: str) -> float:
    """The cosine from which a record counts as found for `query`: lower for a word or two."""
    words = query.split()
    short = len(words) <= SHORT_QUERY_WORDS and len(query.strip()) <= SHORT_QUERY_CHARACTERS
    return SHORT_QUERY_MIN_SIMILARITY if short else MIN_SIMILARITY


def _scores(
    matrix: _Matrix,
    among: NDArray[np.int64],
    query_vector: NDArray[np.float32],
    space: NeutralSpace | None = None,
) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """Two similarities of each record in `among` to the query: the one to rank by (in the
    language-neutral `space` when there is one: a French query's English text is not pushed
    behind texts on other subjects by the language it is written in) and the encoder's cosine,
    on which the floors of what counts as found were set (in the neutral space "pizza" passes
    the floor of 0.35 with over a hundred texts, that of 0.28 with over a thousand).

    Records share vectors (the same text made to many States): each distinct vector is scored
    once and the scores are handed out, instead of copying a vector per record (at 100,000
    records, a 200 MB copy and 75 ms per search); a few records (one State's) have their own
    few vectors scored."""
    rows = matrix.rows[among]
    # One BLAS thread: on a busy two-core server two threads made this product 10x slower
    # (33 ms instead of 3 ms for 20,000 texts).
    with _BLAS.limit(limits=1, user_api="blas"):
        if len(rows) < len(matrix.vectors):
            cosines = np.asarray(matrix.vectors[rows] @ query_vector)
        else:
            cosines = np.asarray((matrix.vectors @ query_vector)[rows])
    if space is None or matrix.neutral is None:
        return cosines, cosines
    neutral = space.similarity(
        space.cosines(cosines, matrix.neutral.take(rows), space.parts(query_vector))
    )
    return neutral, cosines


@lru_cache(maxsize=2048)
def _query_themes(tagger: ThemeTagger, query: str, query_vector: bytes) -> tuple[str, ...]:
    """The themes `tagger` reads in a query and its vector (as bytes), once: the same query
    paged through or asked again is not read again."""
    vector = np.frombuffer(query_vector, dtype=np.float32)[None, :]
    tags = tagger.tag_many([query], embeddings=vector)
    return tuple(s.code for s in tags[0].themes if s.score >= QUERY_THEME_FLOOR)


def _themes_first(
    session: Session,
    kind: str,
    query: str,
    query_vector: NDArray[np.float32],
    found: list[tuple[int, float]],
) -> list[tuple[int, float]]:
    """`found` (id, similarity), best first, with the records tagged with a theme the tagger
    reads in the query (from `QUERY_THEME_FLOOR`) moved up by `THEME_BONUS`: among texts close
    in meaning, those on the query's subject first (a blind set of users' queries: the one
    asked-for text went from 0.29 to 0.44 of the first ten; our own set unchanged)."""
    if not found:
        return found
    vector = np.ascontiguousarray(query_vector, dtype=np.float32)
    wanted = _query_themes(current_tagger(), query, vector.tobytes())
    if not wanted:
        return found
    link = recommendation_themes if kind == "recommendations" else offer_themes
    key = link.c.recommendation_id if kind == "recommendations" else link.c.offer_id
    on_subject = set(
        session.scalars(
            select(key).where(key.in_([i for i, _ in found]), link.c.theme_code.in_(list(wanted)))
        )
    )
    bonus = dict.fromkeys(on_subject, THEME_BONUS)
    return sorted(found, key=lambda item: -(item[1] + bonus.get(item[0], 0.0)))


class SemanticIndex:
    """`app.core.semantic.SemanticSearch` for one database."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        embed: Callable[[Sequence[str]], NDArray[np.float32]] | None = None,
        refresh_interval: float | None = REFRESH_SECONDS,
    ) -> None:
        """`embed`: the encoder (the tagger's by default); `refresh_interval`: seconds between
        two refreshes by the background thread, started by the first search (None: no thread,
        each search checks for changes itself, as in tests)."""
        self._factory = session_factory
        self._embed = embed
        # The service's encoder is compared in its language-neutral space; an encoder given
        # by a caller (tests) as it is.
        self._space = neutral_space() if embed is None else None
        self._refresh_interval = refresh_interval
        self._matrices: dict[str, _Matrix] = {}
        self._lock = threading.Lock()
        self._build_lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # --- the search --------------------------------------------------------------------------
    def nearest(
        self,
        session: Session,
        kind: str,
        query: str,
        *,
        limit: int,
        state: str | None = None,
    ) -> list[tuple[int, float]]:
        if not query.strip():
            return []
        try:
            return self._nearest(session, kind, query, limit, state)
        except Exception:
            log.exception("the search by meaning failed; words only")
            return []

    def _nearest(
        self, session: Session, kind: str, query: str, limit: int, state: str | None
    ) -> list[tuple[int, float]]:
        matrix = self._matrices.get(kind)
        if self._refresh_interval is None:  # no thread: check for changes at each search
            with self._build_lock:
                matrix = self.refresh(kind, encode_limit=SYNC_ENCODE_LIMIT)
        elif matrix is None:
            self.start(self._refresh_interval)  # on the first search, not at start-up
            with self._build_lock:  # the first search waits for one build (its own or the thread's)
                matrix = self._matrices.get(kind) or self.refresh(
                    kind, encode_limit=SYNC_ENCODE_LIMIT
                )
        if not len(matrix.ids):
            return []
        query_vector = self._vector(query)
        if state is not None and matrix.states is not None:
            # one State's few hundred records, not the whole table
            among = matrix.by_state.get(state, np.zeros(0, dtype=np.int64))
        else:
            among = np.arange(len(matrix.ids))
        if not len(among):
            return []
        scores, floor_scores = _scores(matrix, among, query_vector, self._space)
        count = min(max(limit, THEME_POOL), len(scores))
        top = np.argpartition(-scores, count - 1)[:count]
        top = top[np.argsort(-scores[top], kind="stable")]
        floor = min_similarity(query)
        found = [
            (int(matrix.ids[among[i]]), float(scores[i])) for i in top if floor_scores[i] >= floor
        ]
        if self._embed is None:  # the service's encoder: its tagger reads the same vector
            found = _themes_first(session, kind, query, query_vector, found)
        return found[:limit]

    def _vector(self, query: str) -> NDArray[np.float32]:
        if self._embed is not None:
            return np.asarray(self._embed([query])[0], dtype=np.float32)
        return _query_vector(query.strip()[:500])

    # --- building and refreshing ---------------------------------------------------------------
    def refresh(self, kind: str, *, encode_limit: int | None) -> _Matrix:
        """Read every record of `kind` and build its matrix, reusing the vectors already in
        memory, then those cached in the database, and encoding (and storing) at most
        `encode_limit` texts (None: all); nothing when the table has not changed. In a session
        of its own: the embeddings it stores are a cache, committed whatever happens to the
        request that asked."""
        with self._factory() as session:
            signature = _signature(session, kind)
            old = self._matrices.get(kind)
            if old is not None and old.signature == signature and not old.missing:
                return old
            matrix = self._build(session, kind, old or _EMPTY, encode_limit)
            matrix = replace(matrix, signature=signature)
        with self._lock:
            self._matrices[kind] = matrix
        return matrix

    def _build(
        self, session: Session, kind: str, old: _Matrix, encode_limit: int | None
    ) -> _Matrix:
        records = _records(session, kind)
        keys = [text_key(text) for _id, text, _state in records]
        # One vector per distinct text: the same recommendation is made to many States.
        distinct = list(dict.fromkeys(keys))
        found: dict[str, NDArray[np.float32]] = {
            key: old.vectors[old.keys[key]] for key in distinct if key in old.keys
        }
        found.update(known_embeddings(session, [k for k in distinct if k not in found]))
        wanted = [key for key in distinct if key not in found]
        to_encode = wanted if encode_limit is None else wanted[:encode_limit]
        first_text = {key: text for key, (_id, text, _state) in zip(keys, records, strict=True)}
        for start in range(0, len(to_encode), ENCODE_BATCH):
            batch = to_encode[start : start + ENCODE_BATCH]
            fresh = embed_cached(session, [first_text[key] for key in batch], embed=self._embed)
            session.commit()  # keep each batch encoded, whatever happens to the next
            found.update(zip(batch, fresh, strict=True))
        usable = [key for key in distinct if key in found]
        slot = {key: n for n, key in enumerate(usable)}
        kept = [row for row, key in enumerate(keys) if key in slot]
        vectors = np.zeros((len(usable), EMBEDDING_DIM), dtype=np.float32)
        for key, n in slot.items():
            vectors[n] = found[key]
        states = [records[row][2] for row in kept]
        by_state: dict[str, list[int]] = {}
        for position, state in enumerate(states):
            if state is not None:
                by_state.setdefault(state, []).append(position)
        return _Matrix(
            ids=np.array([records[row][0] for row in kept], dtype=np.int64),
            vectors=vectors,
            neutral=self._space.parts(vectors) if self._space is not None else None,
            rows=np.array([slot[keys[row]] for row in kept], dtype=np.int32),
            states=np.array(states, dtype="U3") if kind == "recommendations" else None,
            keys=slot,
            missing=len(records) - len(kept),
            by_state={state: np.array(rows, dtype=np.int64) for state, rows in by_state.items()},
        )

    def refresh_all(self, *, encode_limit: int | None = None) -> dict[str, int]:
        """Refresh every kind in a session of its own; the number still not encoded per kind."""
        missing = {}
        for kind in KINDS:
            with self._build_lock:
                missing[kind] = self.refresh(kind, encode_limit=encode_limit).missing
        return missing

    def start(self, interval: float = REFRESH_SECONDS) -> None:
        """Keep the matrices fresh in a daemon thread."""
        with self._lock:
            if self._thread is not None:
                return
            self._thread = threading.Thread(target=lambda: None)  # claimed

        def run() -> None:
            while True:
                try:
                    self.refresh_all(encode_limit=ENCODE_BATCH * 4)
                except Exception:
                    log.exception("refreshing the search index failed (the last one is kept)")
                if self._stop.wait(interval):
                    return

        self._thread = threading.Thread(target=run, name="semantic-index", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread.is_alive():
            self._thread.join(timeout=10)
