"""The `uprtc` command line in tests: as a subprocess, as a user types it, or in this process
(the same code without a second's start-up)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from app.cli import cli
from app.config import get_settings

UPRTC = str(Path(sys.executable).parent / "uprtc")


def uprtc(*args: str | Path, db_url: str) -> subprocess.CompletedProcess[str]:
    """`uprtc ARGS` as a user types it."""
    env = {**os.environ, "UPRTC_DATABASE_URL": db_url}
    return subprocess.run(
        [UPRTC, *map(str, args)], capture_output=True, text=True, env=env, timeout=120, check=False
    )


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


def uprtc_here(*args: str | Path, db_url: str) -> CliResult:
    """`uprtc ARGS` run in this process."""
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(
            cli, [str(a) for a in args], env={"UPRTC_DATABASE_URL": db_url}, catch_exceptions=False
        )
    finally:
        get_settings.cache_clear()
    return CliResult(result.exit_code, result.stdout, result.stderr)
