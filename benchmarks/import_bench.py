"""Import speed and memory: the 21k-row UPR Info file, and a synthetic 270k-row UHRI JSON export.

Each run imports into a fresh migrated and seeded SQLite database, through the real command line
(`uprtc import ...`) in a child process; peak memory is the child's maximum resident set size.

    .venv/bin/python benchmarks/import_bench.py                 # both, 3 runs of UPR Info
    .venv/bin/python benchmarks/import_bench.py --uhri-rows 270000 --runs 1
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
UPR_INFO = ROOT / "seed_data" / "upr_info" / "upr_info_cycle1_sessions01-12.csv"


def uprtc(db_url: str, *args: str) -> tuple[float, int, str]:
    """Run one command; returns (seconds, peak RSS of the child in MB, stdout)."""
    env = {**os.environ, "UPRTC_DATABASE_URL": db_url}
    with tempfile.TemporaryFile("w+") as out:
        start = time.perf_counter()
        child = subprocess.Popen(
            [str(BIN / "uprtc"), *args], env=env, stdout=out, stderr=subprocess.DEVNULL
        )
        # wait4 gives this child's own peak RSS (RUSAGE_CHILDREN would mix all children).
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
        if child.returncode != 0:
            raise SystemExit(f"uprtc {' '.join(args)} failed with {child.returncode}")
        out.seek(0)
        return seconds, usage.ru_maxrss // 1024, out.read().strip()


def fresh_database(folder: Path, name: str) -> str:
    url = f"sqlite:///{folder / name}"
    uprtc(url, "db", "upgrade")
    uprtc(url, "seed")
    return url


def write_uhri_json(path: Path, rows: int, seed: int = 7) -> None:
    """A UHRI-shaped export built from the real UPR Info texts, names and themes."""
    rng = random.Random(seed)
    themes = {
        r["code"]: r["label_en"]
        for r in csv.DictReader((ROOT / "seed_data" / "themes.csv").open(encoding="utf-8"))
    }
    crosswalk = {
        r["upr_info_issue"]: r["theme_codes"].split("|")
        for r in csv.DictReader(
            (ROOT / "seed_data" / "upr_info_issue_crosswalk.csv").open(encoding="utf-8")
        )
    }
    groups = [
        r["label_en"]
        for r in csv.DictReader(
            (ROOT / "seed_data" / "groups_of_persons.csv").open(encoding="utf-8")
        )
    ]
    source = list(csv.DictReader(UPR_INFO.open(encoding="utf-8")))
    source = [r for r in source if "&#" not in r["recommending_state"]]
    with path.open("w", encoding="utf-8") as out:
        out.write("[\n")
        for index in range(rows):
            row = source[index % len(source)]
            session = rng.randint(1, 54)
            labels = sorted(
                {themes[c] for issue in row["issues"].split(" | ") for c in crosswalk[issue]}
            )
            item = {
                "Text": f"{100 + session}.{index % 300 + 1} {row['recommendation']}",
                "Countries Concerned": f"- {row['state_under_review']}",
                "Reccomending Body": "UPR",
                "Document Symbol": f"A/HRC/{session + 9}/{rng.randint(1, 20)}",
                "Themes": "\n".join(f"- {label}" for label in labels),
                "Affected Persons": "\n".join(f"- {g}" for g in rng.sample(groups, 2)),
                "Sdgs": f"- {rng.randint(1, 17)} - Goal",
                "Document Publication Date": 40000 + rng.randint(0, 6000),
                "UPR Reccomending States": f"- {row['recommending_state']}",
                "UPR Position": "Supported" if row["response"] == "Accepted" else "Noted",
                "Type": "Recommendations from the UPR",
                "OHCHR Annotation Id": f"synthetic-{index:07d}",
                "UPR Session": str(session),
                "Regions Concerned": "- Somewhere",
                "Recommending Regions": "- Elsewhere",
                "Date of publication on UHRI": 45000,
            }
            out.write(json.dumps(item, ensure_ascii=False))
            out.write(",\n" if index < rows - 1 else "\n")
        out.write("]\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="UPR Info runs (median reported)")
    parser.add_argument("--uhri-rows", type=int, default=270_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        times, peaks = [], []
        for run in range(args.runs):
            url = fresh_database(folder, f"upr{run}.db")
            seconds, peak, out = uprtc(url, "import", "upr-info", str(UPR_INFO))
            times.append(seconds)
            peaks.append(peak)
            print(f"upr-info run {run + 1}: {seconds:.1f} s, peak {peak} MB | {out}")
        seconds, _, out = uprtc(url, "import", "upr-info", str(UPR_INFO))
        print(f"upr-info re-import: {seconds:.1f} s | {out}")
        print(
            f"UPR Info 21k rows: median {statistics.median(times):.1f} s "
            f"(target < 20 s), peak {max(peaks)} MB"
        )
        if args.uhri_rows:
            path = folder / "uhri.json"
            start = time.perf_counter()
            write_uhri_json(path, args.uhri_rows)
            size = path.stat().st_size // 2**20
            print(
                f"generated {args.uhri_rows} UHRI rows ({size} MB) in "
                f"{time.perf_counter() - start:.0f} s"
            )
            url = fresh_database(folder, "uhri.db")
            seconds, peak, out = uprtc(url, "import", "uhri", str(path))
            print(
                f"UHRI {args.uhri_rows} rows: {seconds:.1f} s (target < 180 s), "
                f"peak {peak} MB (target < 1024 MB) | {out}"
            )


if __name__ == "__main__":
    main()
