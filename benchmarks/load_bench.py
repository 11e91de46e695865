"""A bounded load run on loopback against uvicorn, with the demo-seeded database.

Starts `uprtc serve` (one uvicorn worker) on a fresh SQLite database seeded by `uprtc seed --demo`
(which also runs matching) plus, by default, the UPR Info cycle-1 file of seed_data/upr_info
(21k recommendations). In the same run it starts two references under the same uvicorn:
- a bare FastAPI app (one endpoint returning a constant, `_bare_app.py`);
- a minimal FastAPI + SQLAlchemy app running the same queries with the same response models but
  nothing else (no middleware, authentication or visibility rule, `_minimal_app.py`): the ceiling
  the service's API can reach. The machines are shared and noisy: compare ratios within one run.

Scenarios (each for --seconds at --concurrency connections, after a warm-up):
- bare:            GET /ping on the bare app
- search-minimal:  GET /recommendations?q=<word>&state=<ISO3> on the minimal app
- search:          GET /api/v1/recommendations?q=<word>&state=<ISO3> (public, anonymous)
- search-all(-minimal): GET /api/v1/recommendations?q=<word>, no State: every record is scored
                   by meaning, not one State's few
- page:            GET /recommendations?q=<word>&state=<ISO3> (the public HTML search page)
- matches-minimal: GET /requests/{id}/matches on the minimal app
- matches:         GET /api/v1/requests/{id}/matches (staff token)
- write:           POST /api/v1/requests (staff token)
- <name>@before:   search, page and matches against the service as of --before GIT_REF (same
                   database, same run), for before/after figures
- write-pg:        the same against PostgreSQL (only with --postgres URL: a scratch database
                   `uprtc_load_bench` is created there, migrated and seeded without demo data)

    .venv/bin/python benchmarks/load_bench.py                      # 10 s per scenario
    .venv/bin/python benchmarks/load_bench.py --seconds 5 --concurrency 8 --only search,page
    .venv/bin/python benchmarks/load_bench.py --postgres postgresql+psycopg://postgres@127.0.0.1/postgres
    .venv/bin/python benchmarks/load_bench.py --before f3acdd2 --embeddings-from var/search_eval.db
    .venv/bin/python benchmarks/load_bench.py --seconds 16 --rounds 4   # interleaved, see --rounds
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx2 as httpx

BIN = Path(sys.executable).parent
BARE_APP = Path(__file__).with_name("_bare_app.py")
ROOT = Path(__file__).resolve().parent.parent
UPR_INFO = ROOT / "seed_data" / "upr_info" / "upr_info_cycle1_sessions01-12.csv"
SCENARIOS = [
    "bare",
    "search-minimal",
    "search",
    "search-all-minimal",
    "search-all",
    "page",
    "matches-minimal",
    "matches",
    "write",
    "write-pg",
]
WORDS = ["torture", "women", "children", "education", "police", "health", "prison", "press"]
STATES = ["KAZ", "KGZ", "SEN", "BOL", "FJI", "FRA", "BRA", "IND"]


@dataclass
class Result:
    name: str
    requests: int
    errors: int
    seconds: float
    latencies: list[float]
    first_error: str = ""  # the first answer >= 400: its status and the start of its body

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def uprtc(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [str(BIN / "uprtc"), *args], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def wait_ready(url: str) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer")


async def hammer(
    name: str,
    make: Callable[[httpx.AsyncClient, int], httpx.Request],
    base: str,
    seconds: float,
    concurrency: int,
) -> Result:
    latencies: list[float] = []
    errors = 0
    first_error = ""
    counter = itertools.count()
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        for _ in range(concurrency):  # warm-up
            await client.send(make(client, next(counter)))
        stop = time.perf_counter() + seconds
        started = time.perf_counter()

        async def worker() -> None:
            nonlocal errors, first_error
            while time.perf_counter() < stop:
                request = make(client, next(counter))
                begin = time.perf_counter()
                response = await client.send(request)
                latencies.append(time.perf_counter() - begin)
                if response.status_code >= 400:
                    errors += 1
                    first_error = first_error or f"{response.status_code} {response.text[:200]}"

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return Result(name, len(latencies), errors, elapsed, latencies, first_error)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="split each scenario's --seconds into this many slices, run in turns with the "
        "scenarios it is compared with (its minimal app, its @before), the order alternating: "
        "ratios then hold up on a noisy machine",
    )
    parser.add_argument("--only", help="comma-separated scenarios (default: all)")
    parser.add_argument("--no-upr-info", action="store_true", help="demo data only")
    parser.add_argument("--postgres", help="a PostgreSQL server URL for the write-pg scenario")
    parser.add_argument(
        "--before",
        metavar="GIT_REF",
        help="also serve the service as of GIT_REF (same database) and run search, page and "
        "matches against it too: before/after figures from one run",
    )
    parser.add_argument(
        "--embeddings-from",
        type=Path,
        help="an SQLite database whose text_embeddings to reuse (e.g. var/search_eval.db from "
        "benchmarks/search_eval.py), instead of encoding 21k texts again",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    wanted = args.only.split(",") if args.only else SCENARIOS
    if "bare" not in wanted:
        wanted = ["bare", *wanted]

    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "UPRTC_DATABASE_URL": f"sqlite:///{tmp}/load.db",
            "UPRTC_LOG_LEVEL": "WARNING",
            "UPRTC_MAIL_SEND_INTERVAL_SECONDS": "0",
        }
        print("seeding the demo database ...", file=sys.stderr)
        uprtc(env, "db", "upgrade")
        uprtc(env, "seed", "--demo")
        if not args.no_upr_info and UPR_INFO.exists():
            print("importing the UPR Info cycle-1 file ...", file=sys.stderr)
            uprtc(env, "import", "upr-info", str(UPR_INFO))
        if args.embeddings_from:
            _copy_embeddings(args.embeddings_from, Path(tmp) / "load.db")
        print("encoding the texts for the search by meaning ...", file=sys.stderr)
        uprtc(env, "search", "index")
        token = uprtc(env, "token", "create", "--role", "staff", "--name", "load bench")
        staff = {"Authorization": f"Bearer {token}"}
        ports = {name: free_port() for name in ("app", "bare", "minimal", "pg", "before")}
        servers = [
            _serve([str(BIN / "uprtc"), "serve", "--port", str(ports["app"])], env),
            _uvicorn(BARE_APP.parent, "_bare_app:app", ports["bare"], env),
            _uvicorn(ROOT, "benchmarks._minimal_app:app", ports["minimal"], env),
        ]
        if args.before:
            old_tree = Path(tmp) / "before"
            _export(args.before, old_tree)
            old_env = {**env, "PYTHONPATH": str(old_tree)}
            command = [str(BIN / "uprtc"), "serve", "--port", str(ports["before"])]
            servers.append(_serve(command, old_env, cwd=old_tree))
        pg_staff: dict[str, str] = {}
        if args.postgres and "write-pg" in wanted:
            pg_env = {**env, "UPRTC_DATABASE_URL": _scratch_postgres(args.postgres)}
            print("migrating and seeding PostgreSQL ...", file=sys.stderr)
            uprtc(pg_env, "db", "upgrade")
            uprtc(pg_env, "seed")
            pg_token = uprtc(pg_env, "token", "create", "--role", "staff", "--name", "load")
            pg_staff = {"Authorization": f"Bearer {pg_token}"}
            servers.append(
                _serve([str(BIN / "uprtc"), "serve", "--port", str(ports["pg"])], pg_env)
            )
        try:
            urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
            wait_ready(f"{urls['app']}/api/v1/health/ready")
            wait_ready(f"{urls['bare']}/ping")
            wait_ready(f"{urls['minimal']}/docs")
            if pg_staff:
                wait_ready(f"{urls['pg']}/api/v1/health/ready")
            if args.before:  # its schema is older than the database's: not "ready", but live
                wait_ready(f"{urls['before']}/api/v1/health/live")
            results = asyncio.run(_scenarios(urls, staff, pg_staff, wanted, args))
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=30)
    _report(results, args)


def _copy_embeddings(source: Path, target: Path) -> None:
    import sqlite3

    with sqlite3.connect(target) as conn:
        conn.execute("ATTACH DATABASE ? AS source", (str(source),))
        conn.execute("INSERT OR IGNORE INTO text_embeddings SELECT * FROM source.text_embeddings")
        conn.commit()
        conn.execute("DETACH DATABASE source")


def _serve(command: list[str], env: dict[str, str], cwd: Path = ROOT) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd
    )


def _export(ref: str, target: Path) -> None:
    """The repository's tree at `ref`, written to `target` (git archive)."""
    target.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)


def _uvicorn(app_dir: Path, app: str, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [str(BIN / "uvicorn"), "--app-dir", str(app_dir), app]
    # the service's own choices (app/cli/serving.py), so that only the app differs
    options = ["--http", "httptools", "--loop", "asyncio", "--log-level", "warning"]
    return _serve([*command, "--port", str(port), *options], env)


def _scratch_postgres(server_url: str) -> str:
    """A new, empty database `uprtc_load_bench` on the server of `server_url`."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("DROP DATABASE IF EXISTS uprtc_load_bench WITH (FORCE)"))
        connection.execute(text("CREATE DATABASE uprtc_load_bench"))
    engine.dispose()
    url = make_url(server_url).set(database="uprtc_load_bench")
    return url.render_as_string(hide_password=False)


async def _scenarios(
    urls: dict[str, str],
    staff: dict[str, str],
    pg_staff: dict[str, str],
    wanted: list[str],
    args: argparse.Namespace,
) -> list[Result]:
    async with httpx.AsyncClient(base_url=urls["app"], headers=staff) as client:
        requests = (await client.get("/api/v1/requests", params={"limit": 200})).json()["items"]
    request_ids = [r["id"] for r in requests] or [1]
    rng = random.Random(7)

    def ping(c: httpx.AsyncClient, _i: int) -> httpx.Request:
        return c.build_request("GET", "/ping")

    def search_params(i: int) -> dict[str, str]:
        return {"q": WORDS[i % len(WORDS)], "state": STATES[rng.randrange(len(STATES))]}

    def search_minimal(c: httpx.AsyncClient, i: int) -> httpx.Request:
        return c.build_request("GET", "/recommendations", params=search_params(i))

    def search(c: httpx.AsyncClient, i: int) -> httpx.Request:
        return c.build_request("GET", "/api/v1/recommendations", params=search_params(i))

    def search_all_minimal(c: httpx.AsyncClient, i: int) -> httpx.Request:
        return c.build_request("GET", "/recommendations", params={"q": WORDS[i % len(WORDS)]})

    def search_all(c: httpx.AsyncClient, i: int) -> httpx.Request:
        params = {"q": WORDS[i % len(WORDS)]}
        return c.build_request("GET", "/api/v1/recommendations", params=params)

    def page(c: httpx.AsyncClient, i: int) -> httpx.Request:
        return c.build_request("GET", "/recommendations", params=search_params(i))

    def matches_minimal(c: httpx.AsyncClient, i: int) -> httpx.Request:
        rid = request_ids[i % len(request_ids)]
        return c.build_request("GET", f"/requests/{rid}/matches")

    def matches(c: httpx.AsyncClient, i: int) -> httpx.Request:
        rid = request_ids[i % len(request_ids)]
        return c.build_request("GET", f"/api/v1/requests/{rid}/matches", headers=staff)

    def write(c: httpx.AsyncClient, i: int) -> httpx.Request:
        body = {"state": STATES[i % len(STATES)], "title": f"Load test request {i}"}
        return c.build_request("POST", "/api/v1/requests", json=body, headers=staff)

    def write_pg(c: httpx.AsyncClient, i: int) -> httpx.Request:
        body = {"state": STATES[i % len(STATES)], "title": f"Load test request {i}"}
        return c.build_request("POST", "/api/v1/requests", json=body, headers=pg_staff)

    plan = {
        "bare": (ping, "bare"),
        "search-minimal": (search_minimal, "minimal"),
        "search": (search, "app"),
        "search-all-minimal": (search_all_minimal, "minimal"),
        "search-all": (search_all, "app"),
        "page": (page, "app"),
        "matches-minimal": (matches_minimal, "minimal"),
        "matches": (matches, "app"),
        "write": (write, "app"),
        "write-pg": (write_pg, "pg"),
    }
    names = [n for n in SCENARIOS if n in wanted and not (n == "write-pg" and not pg_staff)]
    results: dict[str, Result] = {}
    for group in _groups(names, with_before=bool(args.before)):
        for turn in range(args.rounds):
            # Alternate the order each round: the scenarios compared share the machine's drift.
            for name in group if turn % 2 == 0 else group[::-1]:
                make, server = plan[name.removesuffix("@before")]
                if name.endswith("@before"):
                    server = "before"
                part = await hammer(
                    name, make, urls[server], args.seconds / args.rounds, args.concurrency
                )
                results[name] = _merged(results.get(name), part)
    return [results[name] for group in _groups(names, bool(args.before)) for name in group]


def _groups(names: list[str], with_before: bool) -> list[list[str]]:
    """The scenarios compared with one another (a service scenario, its minimal-app reference,
    its `@before`), each group run together."""
    groups: list[list[str]] = []
    for name in names:
        if name.endswith("-minimal"):
            continue
        group = [n for n in (f"{name}-minimal",) if n in names] + [name]
        if with_before and name in ("search", "search-all", "page", "matches"):
            group.append(f"{name}@before")
        groups.append(group)
    return groups


def _merged(done: Result | None, part: Result) -> Result:
    if done is None:
        return part
    return Result(
        part.name,
        done.requests + part.requests,
        done.errors + part.errors,
        done.seconds + part.seconds,
        done.latencies + part.latencies,
        done.first_error or part.first_error,
    )


def _report(results: list[Result], args: argparse.Namespace) -> None:
    baseline = results[0]
    print(
        f"\n{args.seconds:.0f} s per scenario, {args.concurrency} connections, loopback, "
        "one uvicorn worker each\n"
    )
    print(
        "| scenario | requests | errors | req/s | p50 ms | p95 ms | p99 ms | vs bare | vs minimal |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    by_name = {r.name: r for r in results}
    rows = []
    for r in results:
        row = {
            "scenario": r.name,
            "requests": r.requests,
            "errors": r.errors,
            "rps": round(r.rps, 1),
            "p50_ms": round(r.percentile(50), 1),
            "p95_ms": round(r.percentile(95), 1),
            "p99_ms": round(r.percentile(99), 1),
            "ratio_vs_bare": round(r.rps / baseline.rps, 3),
            "ratio_vs_minimal": _vs_minimal(r, by_name),
            "median_ms": round(statistics.median(r.latencies) * 1000, 1),
        }
        rows.append(row)
        print(
            f"| {r.name} | {r.requests} | {r.errors} | {row['rps']} | {row['p50_ms']} | "
            f"{row['p95_ms']} | {row['p99_ms']} | {row['ratio_vs_bare']} | "
            f"{row['ratio_vs_minimal'] if row['ratio_vs_minimal'] is not None else ''} |"
        )
    for r in results:
        if r.first_error:
            print(f"\n{r.name}: {r.errors} errors, the first: {r.first_error}")
    if args.json:
        print(json.dumps(rows, indent=2))


def _vs_minimal(result: Result, by_name: dict[str, Result]) -> float | None:
    reference = by_name.get(f"{result.name.split('@')[0]}-minimal")
    return round(result.rps / reference.rps, 3) if reference else None


if __name__ == "__main__":
    main()
