"""`uprtc serve` as an operator runs it: JSON logs, readiness, graceful shutdown on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

UPRTC = str(Path(sys.executable).parent / "uprtc")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_ready(url: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server stopped"
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the server did not become ready")


def test_serve_logs_json_and_stops_gracefully_on_sigterm(db_url: str) -> None:
    port = _free_port()
    env = {**os.environ, "UPRTC_DATABASE_URL": db_url}
    process = subprocess.Popen(
        [UPRTC, "serve", "--port", str(port)],
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    try:
        _wait_ready(f"http://127.0.0.1:{port}/api/v1/health/ready", process)
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1/countries/KAZ", headers={"X-Request-ID": "op-1"}
        )
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - loopback
            assert response.headers["X-Request-ID"] == "op-1"
        process.send_signal(signal.SIGTERM)
        # uvicorn finishes the requests in flight, shuts down, then re-raises the signal so
        # that a supervisor sees why it stopped.
        assert process.wait(timeout=30) in (0, -signal.SIGTERM)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.stderr is not None
    lines = [
        json.loads(line) for line in process.stderr.read().splitlines() if line.startswith("{")
    ]
    access = [line for line in lines if line.get("request_id") == "op-1"]
    assert access
    assert access[0]["route"] == "/api/v1/countries/{iso3}"
    messages = " ".join(line.get("message", "") for line in lines)
    assert "Shutting down" in messages
    assert "Finished server process" in messages
