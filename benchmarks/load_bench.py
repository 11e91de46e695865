"""A bounded load run on loopback against uvicorn, with the demo-seeded database.

Starts `uprtc serve` on a fresh SQLite database seeded by `uprtc seed --demo` (which also runs
matching), and, in the same run, a bare FastAPI app (one endpoint returning a constant) under the
same uvicorn, so that each scenario is reported next to the bare baseline as a ratio: the
machines are shared and noisy, ratios within one run are what compare.

Scenarios (each for --seconds at --concurrency connections, after a warm-up):
- bare:        GET /ping on the bare app
- search:      GET /api/v1/recommendations?q=<word>&state=<ISO3> (public, anonymous)
- matches:     GET /api/v1/requests/{id}/matches (staff token)
- write:       POST /api/v1/requests (staff token)

    .venv/bin/python benchmarks/load_bench.py                      # 10 s per scenario
    .venv/bin/python benchmarks/load_bench.py --seconds 5 --concurrency 8
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
WORDS = ["torture", "women", "children", "education", "police", "health", "prison", "press"]
STATES = ["KAZ", "KGZ", "SEN", "BOL", "FJI", "FRA", "BRA", "IND"]


@dataclass
class Result:
    name: str
    requests: int
    errors: int
    seconds: float
    latencies: list[float]

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
    counter = itertools.count()
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        for _ in range(concurrency):  # warm-up
            await client.send(make(client, next(counter)))
        stop = time.perf_counter() + seconds
        started = time.perf_counter()

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < stop:
                request = make(client, next(counter))
                begin = time.perf_counter()
                response = await client.send(request)
                latencies.append(time.perf_counter() - begin)
                if response.status_code >= 400:
                    errors += 1

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return Result(name, len(latencies), errors, elapsed, latencies)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "UPRTC_DATABASE_URL": f"sqlite:///{tmp}/load.db",
            "UPRTC_LOG_LEVEL": "WARNING",
        }
        print("seeding the demo database ...", file=sys.stderr)
        uprtc(env, "db", "upgrade")
        uprtc(env, "seed", "--demo")
        token = uprtc(env, "token", "create", "--role", "staff", "--name", "load bench")
        staff = {"Authorization": f"Bearer {token}"}
        app_port, bare_port = free_port(), free_port()
        servers = [
            subprocess.Popen(
                [str(BIN / "uprtc"), "serve", "--port", str(app_port)],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            ),
            subprocess.Popen(
                [
                    *(str(BIN / "uvicorn"), "--app-dir", str(BARE_APP.parent), "_bare_app:app"),
                    *("--port", str(bare_port), "--log-level", "warning"),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            ),
        ]
        try:
            base, bare = f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{bare_port}"
            wait_ready(f"{base}/api/v1/health/ready")
            wait_ready(f"{bare}/ping")
            results = asyncio.run(_scenarios(base, bare, staff, args))
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=30)
    _report(results, args)


async def _scenarios(
    base: str, bare: str, staff: dict[str, str], args: argparse.Namespace
) -> list[Result]:
    async with httpx.AsyncClient(base_url=base, headers=staff) as client:
        requests = (await client.get("/api/v1/requests", params={"limit": 200})).json()["items"]
    request_ids = [r["id"] for r in requests] or [1]
    rng = random.Random(7)

    def ping(c: httpx.AsyncClient, _i: int) -> httpx.Request:
        return c.build_request("GET", "/ping")

    def search(c: httpx.AsyncClient, i: int) -> httpx.Request:
        params = {"q": WORDS[i % len(WORDS)], "state": STATES[rng.randrange(len(STATES))]}
        return c.build_request("GET", "/api/v1/recommendations", params=params)

    def matches(c: httpx.AsyncClient, i: int) -> httpx.Request:
        rid = request_ids[i % len(request_ids)]
        return c.build_request("GET", f"/api/v1/requests/{rid}/matches", headers=staff)

    def write(c: httpx.AsyncClient, i: int) -> httpx.Request:
        body = {"state": STATES[i % len(STATES)], "title": f"Load test request {i}"}
        return c.build_request("POST", "/api/v1/requests", json=body, headers=staff)

    seconds, concurrency = args.seconds, args.concurrency
    return [
        await hammer("bare", ping, bare, seconds, concurrency),
        await hammer("search", search, base, seconds, concurrency),
        await hammer("matches", matches, base, seconds, concurrency),
        await hammer("write", write, base, seconds, concurrency),
    ]


def _report(results: list[Result], args: argparse.Namespace) -> None:
    baseline = results[0]
    print(
        f"\n{args.seconds:.0f} s per scenario, {args.concurrency} connections, loopback, "
        "one uvicorn worker each\n"
    )
    print("| scenario | requests | errors | req/s | p50 ms | p95 ms | p99 ms | req/s vs bare |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
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
            "median_ms": round(statistics.median(r.latencies) * 1000, 1),
        }
        rows.append(row)
        print(
            f"| {r.name} | {r.requests} | {r.errors} | {row['rps']} | {row['p50_ms']} | "
            f"{row['p95_ms']} | {row['p99_ms']} | {row['ratio_vs_bare']} |"
        )
    if args.json:
        print(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
