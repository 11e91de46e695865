"""`uprtc serve` as an operator runs it: JSON logs, readiness, graceful shutdown on SIGTERM."""

from __future__ import annotations

import json
import signal
import subprocess
import urllib.request

import httpx2 as httpx

from tests.support.server import UPRTC, Server, env_for, free_port, wait_for
from tests.support.web import csrf_from


def test_serve_logs_json_and_stops_gracefully_on_sigterm(db_url: str) -> None:
    port = free_port()
    env = env_for(db_url)
    process = subprocess.Popen(
        [UPRTC, "serve", "--port", str(port)],
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    try:
        wait_for(lambda: _ready(port, process), 60, "the server to be ready")
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


def _ready(port: int, process: subprocess.Popen[str]) -> bool:
    assert process.poll() is None, "the server stopped"
    try:
        url = f"http://127.0.0.1:{port}/api/v1/health/ready"
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def _failed_sign_ins(base: str, forwarded_for: list[str]) -> list[int]:
    """Statuses of failed sign-ins for one account, each claiming another X-Forwarded-For."""
    statuses = []
    with httpx.Client(base_url=base, timeout=10) as client:
        for address in forwarded_for:
            token = csrf_from(client.get("/login").text)
            response = client.post(
                "/login",
                data={
                    "email": "who@example.org",
                    "password": "not the password",
                    "csrf_token": token,
                },
                headers={"X-Forwarded-For": address},
            )
            statuses.append(response.status_code)
    return statuses


def test_forwarded_headers_are_believed_only_from_trusted_proxies(db_url: str) -> None:
    rotating = [f"203.0.113.{n}" for n in range(1, 8)]
    # Development: the session cookie is not Secure, so that it travels over plain HTTP here.
    env = env_for(db_url, UPRTC_ENVIRONMENT="development", UPRTC_LOGIN_FAILURES_PER_MINUTE="3")
    server = Server(db_url, env=env)
    try:
        # No trusted proxy (the default): a local client cannot pose as other addresses.
        assert _failed_sign_ins(server.base, rotating[:4]) == [400, 400, 400, 429]
    finally:
        server.stop()
    server = Server(db_url, env={**env, "UPRTC_TRUSTED_PROXIES": "127.0.0.1"})
    try:
        # Behind a trusted proxy each forwarded address is a client of its own...
        assert _failed_sign_ins(server.base, rotating[:4]) == [400, 400, 400, 400]
        # ...and one client is throttled whatever the connection.
        assert _failed_sign_ins(server.base, ["198.51.100.9"] * 4) == [400, 400, 400, 429]
    finally:
        server.stop()
