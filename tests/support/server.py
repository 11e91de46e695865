"""`uprtc serve` as an operator starts it: a real process on a free loopback port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import IO

UPRTC = str(Path(sys.executable).parent / "uprtc")


def env_for(db_url: str, **extra: str) -> dict[str, str]:
    """The environment of a `uprtc` process on this database (test settings, quiet logs)."""
    return {
        **os.environ,
        "UPRTC_DATABASE_URL": db_url,
        "UPRTC_ENVIRONMENT": "test",
        **extra,
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.03)


class Server:
    """`uprtc serve` in its own process; its output goes to `log` (a file) or nowhere."""

    def __init__(
        self,
        db_url: str,
        log: Path | None = None,
        env: dict[str, str] | None = None,
        port: int | None = None,
    ) -> None:
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self._log: IO[bytes] | None = log.open("wb") if log else None
        self.process = subprocess.Popen(
            [UPRTC, "serve", "--port", str(self.port)],
            env=env or env_for(db_url),
            stdout=self._log or subprocess.DEVNULL,
            stderr=subprocess.STDOUT if self._log else subprocess.DEVNULL,
        )
        wait_for(self._ready, 60, "the server to answer /api/v1/health/ready")

    def _ready(self) -> bool:
        if self.process.poll() is not None:
            output = ""
            if self._log is not None:
                self._log.close()
                output = Path(self._log.name).read_text(errors="replace")[-3000:]
            raise AssertionError(f"the server exited with {self.process.returncode}:\n{output}")
        try:
            url = f"{self.base}/api/v1/health/ready"
            with urllib.request.urlopen(url, timeout=1) as answer:  # noqa: S310 - loopback
                return bool(answer.status == 200)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False

    def stop(self) -> None:
        """SIGTERM, as a supervisor stops it: requests in flight finish first."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)
        if self._log is not None:
            self._log.close()

    def kill(self) -> None:
        """SIGKILL: no handler, no cleanup, like a power cut for this process."""
        self.process.kill()
        self.process.wait(timeout=30)
        if self._log is not None:
            self._log.close()
