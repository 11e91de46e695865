"""Short queries and the search by meaning: how far one word is from the texts about it.

For each word (by default: words on UPR subjects in the six languages, and unrelated words),
the cosine of its embedding with the closest recommendation texts of `var/search_eval.db` (the
UPR Info cycle-1 file and the cross-language targets; build it with `search_eval.py`), and how
many records each floor of `app.pairing.semantic` lets through: `MIN_SIMILARITY` (any query)
and `SHORT_QUERY_MIN_SIMILARITY` (a word or two); then what the search itself
(`app.recommendations.search.search`) finds: how many records, and the themes and groups the
word names when no text holds it (`app.reference.concepts`).

    .venv/bin/python benchmarks/short_queries.py
    .venv/bin/python benchmarks/short_queries.py femmes football
    .venv/bin/python benchmarks/short_queries.py --db var/demo.db    # another database, e.g.
    #   UPRTC_DATABASE_URL=sqlite:///var/demo.db uprtc db upgrade && ... uprtc seed --demo
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DB = ROOT / "var" / "search_eval.db"
ABOUT = [
    "femmes",
    "mujeres",
    "женщины",
    "妇女",
    "النساء",
    "enfants",
    "niños",
    "дети",
    "santé",
    "salud",
    "logement",
    "vivienda",
    "handicap",
    "discapacidad",
    "réfugiés",
    "беженцы",
]
UNRELATED = ["xyzzy", "hello", "bonjour", "football", "pizza", "voiture", "ordinateur", "足球"]


def main(words: list[str], db: Path) -> None:
    from app.core.pagination import PageParams
    from app.db.session import create_db_engine, create_session_factory
    from app.pairing.semantic import (
        MIN_SIMILARITY,
        SHORT_QUERY_MIN_SIMILARITY,
        SemanticIndex,
        _scores,
    )
    from app.recommendations.repository import LOAD_LISTED, RecommendationFilters
    from app.recommendations.search import search

    if not db.exists():
        sys.exit(f"{db} is missing: run benchmarks/search_eval.py first")
    factory = create_session_factory(create_db_engine(f"sqlite:///{db}"))
    index = SemanticIndex(factory, refresh_interval=None)
    index.refresh_all(encode_limit=None)
    matrix = index._matrices["recommendations"]
    print(f"{len(matrix.ids)} recommendations, {len(matrix.vectors)} distinct texts\n")
    floors = f"found at {MIN_SIMILARITY} | found at {SHORT_QUERY_MIN_SIMILARITY}"
    print(f"| word | best | 10th | {floors} | search finds | concepts named |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for word in words:
        everyone = np.arange(len(matrix.ids))
        scores = _scores(matrix, everyone, index._vector(word), index._space)[1]
        ranked = np.sort(scores)[::-1]
        long_floor = int((scores >= MIN_SIMILARITY).sum())
        short_floor = int((scores >= SHORT_QUERY_MIN_SIMILARITY).sum())
        with factory() as session:
            page = PageParams(limit=10, offset=0)
            found = search(
                session, RecommendationFilters(q=word), page, semantic=index, load=LOAD_LISTED
            )
        total = f"{found.total}{'+' if found.total_capped else ''}"
        named = ", ".join(found.concepts.codes) or "-"
        print(
            f"| {word} | {ranked[0]:.3f} | {ranked[9]:.3f} | {long_floor} | {short_floor} "
            f"| {total} | {named} |"
        )


if __name__ == "__main__":
    args = sys.argv[1:]
    chosen = DB
    if args[:1] == ["--db"]:
        chosen, args = Path(args[1]), args[2:]
    main(args or ABOUT + UNRELATED, chosen)
