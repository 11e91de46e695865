"""Text search at 100,000 recommendations, on SQLite and PostgreSQL: before and after the index.

Builds (once, kept in var/) a database with the UPR Info cycle-1 file imported and copied until
it holds --size recommendations (default 100,000; each copy under another id, so every text
appears ~5 times, as the same recommendation is made to many States), then times, for each
query, what `GET /api/v1/recommendations?q=` runs:
- before: `text ILIKE '%q%'` with the exact count of every row found, then the page (offset);
- index:  the text index (`app/db/text_search.py`), the capped count and the page;
- deep:   the same, 40 pages in, by offset and by key (`after=`);
- meaning: words and meaning together (the service's search with `SemanticSearch`), only with
  --meaning (encodes the 21k distinct texts once, ~1-3 min on two cores).
Timings are in-process (the query and the ORM loading; no HTTP), --rounds (20) per query, after
a warm-up; p50 and p95 over all queries and rounds.

    .venv/bin/python benchmarks/text_search_bench.py
    .venv/bin/python benchmarks/text_search_bench.py --postgres postgresql+psycopg://postgres@127.0.0.1/postgres
    .venv/bin/python benchmarks/text_search_bench.py --meaning
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
UPR_INFO = ROOT / "seed_data" / "upr_info" / "upr_info_cycle1_sessions01-12.csv"
BIN = Path(sys.executable).parent
QUERIES = [
    "torture",  # common
    "women",  # very common
    "albinism",  # rare
    "national preventive mechanism",  # a phrase
    "freedom of expression",
    "Roma",
    "death penalty",
    "trafficking",
    "birth registration",
    "no such words anywhere",  # nothing
    "femmes",  # no text holds it: the themes and groups it names (app/reference/concepts.py)
    "logement",  # the same, a rare theme (right-to-housing)
]
ROUNDS = 20
PG_DATABASE = "uprtc_text_search_bench"


def _uprtc(url: str, *args: str) -> None:
    env = {**os.environ, "UPRTC_DATABASE_URL": url, "UPRTC_LOG_LEVEL": "WARNING"}
    subprocess.run([str(BIN / "uprtc"), *args], env=env, check=True, capture_output=True)


def _build(url: str, size: int) -> None:
    from sqlalchemy import create_engine, func, select, text

    from app.recommendations.models import Recommendation

    print(f"building {url} ...", file=sys.stderr)
    _uprtc(url, "db", "upgrade")
    _uprtc(url, "seed")
    _uprtc(url, "import", "upr-info", str(UPR_INFO))
    engine = create_engine(url)
    columns = [
        c.name
        for c in Recommendation.__table__.columns  # type: ignore[attr-defined]
        if c.name not in ("id", "external_id")
    ]
    listed = ", ".join(columns)
    copy = 1
    with engine.begin() as conn:
        base = conn.scalar(select(func.max(Recommendation.id))) or 0
        while (conn.scalar(select(func.count()).select_from(Recommendation)) or 0) < size:
            conn.execute(
                text(
                    f"INSERT INTO recommendations ({listed}, external_id) "  # noqa: S608
                    f"SELECT {listed}, external_id || '-copy{copy}' FROM recommendations "
                    f"WHERE id <= {base}"
                )
            )
            copy += 1
        if conn.dialect.name == "postgresql":
            conn.execute(text("ANALYZE"))  # every table: the planner needs their sizes
    engine.dispose()


def _postgres_url(server_url: str, name: str) -> tuple[str, bool]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    url = make_url(server_url).set(database=name)
    return url.render_as_string(hide_password=False), not exists


def _time(run: Callable[[str], Any]) -> list[float]:
    from app.core import heap

    for query in QUERIES:
        run(query)  # warm-up
    heap.settle()  # as the server does once its first requests have run (`app.core.heap`)
    out = []
    for _ in range(ROUNDS):
        for query in QUERIES:
            begin = time.perf_counter()
            run(query)
            out.append((time.perf_counter() - begin) * 1000)
    return sorted(out)


def _bench(url: str, meaning: bool) -> list[tuple[str, list[float]]]:
    from sqlalchemy import func, select

    from app.core.pagination import PageParams, paginate
    from app.db.session import create_db_engine, create_session_factory
    from app.pairing.semantic import SemanticIndex
    from app.recommendations import search
    from app.recommendations.models import Recommendation
    from app.recommendations.repository import LOAD_ALL, LOAD_READ, RecommendationFilters

    factory = create_session_factory(create_db_engine(url))
    first, deep = PageParams(50, 0), PageParams(50, 2000)
    results = []
    with factory() as session:
        count = session.scalar(select(func.count()).select_from(Recommendation))
        print(f"{url.split('@')[-1]}: {count} recommendations", file=sys.stderr)

        def before(q: str, page: PageParams = first) -> Any:
            stmt = (
                select(Recommendation)
                .options(*LOAD_ALL)
                .where(Recommendation.text.ilike(f"%{q}%"))
                .order_by(Recommendation.id)
            )
            return paginate(session, stmt, page)

        def index(q: str, page: PageParams = first, after: int | None = None) -> Any:
            filters = RecommendationFilters(q=q)  # what the API runs (its relations: LOAD_READ)
            return search.search(session, filters, page, after=after, load=LOAD_READ)

        middle = {}
        for q in QUERIES:
            found = search.search(session, RecommendationFilters(q=q), PageParams(1, 2000))
            middle[q] = found.items[0].id if found.items else 0

        results.append(("before: ILIKE, exact count, page 1", _time(before)))
        results.append(("index: capped count, page 1", _time(index)))
        results.append(("before: page 41 by offset", _time(lambda q: before(q, deep))))
        results.append(("index: page 41 by offset", _time(lambda q: index(q, deep))))
        results.append(
            ("index: page 41 by key (after=)", _time(lambda q: index(q, after=middle[q])))
        )
        if meaning:
            semantic = SemanticIndex(factory)  # as the server runs it
            started = time.perf_counter()
            semantic.refresh_all(encode_limit=None)
            print(f"meaning index: {time.perf_counter() - started:.0f} s", file=sys.stderr)

            def hybrid(q: str) -> Any:
                filters = RecommendationFilters(q=q)
                return search.search(session, filters, first, semantic=semantic)

            results.append(("words + meaning, page 1", _time(hybrid)))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--postgres", help="a PostgreSQL server URL (a database is created)")
    parser.add_argument("--fresh", action="store_true", help="rebuild the databases")
    parser.add_argument("--meaning", action="store_true", help="also words + meaning")
    parser.add_argument(
        "--pg-database", default=PG_DATABASE, help=f"the database to build (default {PG_DATABASE})"
    )
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="rounds per query")
    args = parser.parse_args()
    globals()["ROUNDS"] = args.rounds
    sys.path.insert(0, str(ROOT))

    urls = []
    if not args.no_sqlite:
        path = ROOT / "var" / f"text_search_{args.size}.db"
        if args.fresh and path.exists():
            path.unlink()
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            _build(f"sqlite:///{path}", args.size)
        else:
            _uprtc(f"sqlite:///{path}", "db", "upgrade")  # built by an earlier schema
        urls.append(f"sqlite:///{path}")
    if args.postgres:
        url, created = _postgres_url(args.postgres, args.pg_database)
        if created or args.fresh:
            _build(url, args.size)
        else:
            _uprtc(url, "db", "upgrade")
        urls.append(url)

    for url in urls:
        print(f"\n{url.split('://')[0]}, {len(QUERIES)} queries x {args.rounds} rounds\n")
        print("| search | p50 ms | p95 ms | max ms |")
        print("| --- | ---: | ---: | ---: |")
        for name, times in _bench(url, args.meaning):
            p50, p95 = times[len(times) // 2], times[int(0.95 * len(times))]
            print(f"| {name} | {p50:.1f} | {p95:.1f} | {times[-1]:.1f} |")


if __name__ == "__main__":
    main()
