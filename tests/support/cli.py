"""The `uprtc` command line in tests: in this process through typer's runner (the same code
without a process start-up, which costs seconds), or as a user types it in a new process (the
few smoke tests that check the installed command itself)."""

from __future__ import annotations

import contextlib
import subprocess
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from app.cli import cli
from app.config import get_settings
from tests.support.server import UPRTC, env_for


@dataclass
class CliResult:
    returncode: int
    stdout: str
    stderr: str
    stdout_bytes: bytes = b""


def uprtc(
    *args: str | Path, db_url: str, stdin: str | None = None, cwd: Path | None = None
) -> CliResult:
    """`uprtc ARGS` run in this process, with UPRTC_DATABASE_URL set to `db_url`."""
    get_settings.cache_clear()
    try:
        with contextlib.chdir(cwd or Path.cwd()):
            result = CliRunner().invoke(
                cli,
                [str(a) for a in args],
                input=stdin,
                env={"UPRTC_DATABASE_URL": db_url, "UPRTC_ENVIRONMENT": "test"},
                catch_exceptions=False,
            )
    finally:
        get_settings.cache_clear()
    return CliResult(result.exit_code, result.stdout, result.stderr, result.stdout_bytes)


def uprtc_typed(
    *args: str | Path,
    db_url: str,
    stdin: str | None = None,
    cwd: Path | None = None,
    extra_env: dict[str, str] | None = None,
) -> CliResult:
    """`uprtc ARGS` as a user types it: the installed command, in a new process."""
    done = subprocess.run(
        [UPRTC, *map(str, args)],
        input=stdin.encode() if stdin is not None else None,
        capture_output=True,
        env=env_for(db_url, **(extra_env or {})),
        cwd=cwd,
        timeout=300,
        check=False,
        # No controlling terminal: a hidden password prompt reads standard input, as it reads
        # the keyboard in a terminal.
        start_new_session=True,
    )
    return CliResult(
        done.returncode,
        done.stdout.decode(errors="replace"),
        done.stderr.decode(errors="replace"),
        done.stdout,
    )
