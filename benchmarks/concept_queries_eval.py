"""How a short query is read as a concept (`app.reference.concepts.concepts_in`), on queries
written blind: `benchmarks/data/short_queries_blind.jsonl` (see its `.md`), each with the theme
and group codes it should name ([] for a query too vague or naming nothing).

Builds a seeded SQLite database (the reference lists only) in a temporary folder and prints,
per language and in all: queries that name exactly the expected codes, micro precision and
recall of the codes named, queries naming at least one right code, queries that should name
nothing and do, and the queries whose words are in no label (synonyms) separately.

    .venv/bin/python benchmarks/concept_queries_eval.py [--failures]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
DATA = ROOT / "benchmarks" / "data" / "short_queries_blind.jsonl"


def _seeded(folder: str) -> str:
    url = f"sqlite:///{Path(folder) / 'concepts.db'}"
    env = {**os.environ, "UPRTC_DATABASE_URL": url, "UPRTC_LOG_LEVEL": "WARNING"}
    for args in (("db", "upgrade"), ("seed",)):
        subprocess.run([str(BIN / "uprtc"), *args], env=env, check=True, capture_output=True)
    return url


def main() -> None:
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from app.reference.concepts import concepts_in

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--failures", action="store_true")
    args = parser.parse_args()
    queries = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines()]
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    misses = []
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(_seeded(folder))
        with Session(engine) as session:
            for item in queries:
                named = set(concepts_in(session, item["query"]).codes)
                want = set(item["codes"])
                for key in (item["lang"], "all") + (
                    ("synonyms",) if item["note"].startswith("synonym") else ()
                ):
                    c = counts[key]
                    c["n"] += 1
                    c["exact"] += named == want
                    c["named"] += len(named)
                    c["wanted"] += len(want)
                    c["right"] += len(named & want)
                    c["some_right"] += bool(named & want)
                    c["should_be_empty"] += not want
                    c["empty_ok"] += not want and not named
                    c["with_codes"] += bool(want)
                if named != want:
                    misses.append(
                        f"{item['lang']} {item['query']!r}: named {sorted(named)}, "
                        f"wanted {sorted(want)} ({item['note']})"
                    )
        engine.dispose()
    print(
        "| queries | n | exact | codes P / R | at least one right (of those with codes) "
        "| nothing named where nothing should be |"
    )
    print("| --- | ---: | ---: | --- | ---: | ---: |")
    for key in ("ar", "zh", "en", "fr", "es", "ru", "synonyms", "all"):
        c = counts[key]
        if not c["n"]:
            continue
        precision = c["right"] / c["named"] if c["named"] else 1.0
        recall = c["right"] / c["wanted"] if c["wanted"] else 1.0
        print(
            f"| {key} | {c['n']} | {c['exact'] / c['n']:.3f} | {precision:.3f} / {recall:.3f} "
            f"| {c['some_right']}/{c['with_codes']} | {c['empty_ok']}/{c['should_be_empty']} |"
        )
    if args.failures:
        print("\n".join(misses))


if __name__ == "__main__":
    main()
