"""`uprtc report annual`, run as a user types it, against the known world of conftest.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook

from tests.app.reports.conftest import World

UPRTC = str(Path(sys.executable).parent / "uprtc")


def uprtc(*args: str, db_url: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "UPRTC_DATABASE_URL": db_url}
    return subprocess.run(
        [UPRTC, *args], capture_output=True, env=env, cwd=cwd, timeout=180, check=False
    )


def annual(world: World, cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """`uprtc report annual --year Y ARGS...` (ARGS may give --year again: the last one wins)."""
    return uprtc("report", "annual", "--year", str(world.year), *args, db_url=world.url, cwd=cwd)


def test_xlsx_round_trip_one_sheet_per_table(world: World, tmp_path: Path) -> None:
    result = annual(world, tmp_path, "--format", "xlsx", "--output", "report.xlsx")
    assert result.returncode == 0, result.stderr
    assert b"written to report.xlsx" in result.stderr
    report = world.report()
    workbook = load_workbook(tmp_path / "report.xlsx")
    assert workbook.sheetnames == ["About", *(t["name"] for t in report["tables"])]
    summary = {r[0]: r[1] for r in workbook["summary"].iter_rows(min_row=2, values_only=True)}
    assert summary == dict(report["tables"][0]["rows"])


def test_default_file_name_and_stdout(world: World, tmp_path: Path) -> None:
    result = annual(world, tmp_path, "--format", "html")
    assert result.returncode == 0, result.stderr
    assert "<svg" in (tmp_path / f"annual-report-{world.year}.html").read_text()

    printed = annual(world, tmp_path, "-o", "-")
    assert printed.returncode == 0, printed.stderr
    assert json.loads(printed.stdout)["tables"] == world.report()["tables"]

    one = annual(world, tmp_path, "--format", "csv", "--table", "coverage", "-o", "-")
    assert one.returncode == 0, one.stderr
    assert one.stdout.decode("utf-8-sig").splitlines()[-1] == "All regions,4,2,2,2,50.0"

    pdf = annual(world, tmp_path, "--format", "pdf")
    assert pdf.returncode == 0, pdf.stderr
    assert (tmp_path / f"annual-report-{world.year}.pdf").read_bytes().startswith(b"%PDF-")


def test_refusals(world: World, tmp_path: Path) -> None:
    binary = annual(world, tmp_path, "--format", "xlsx", "-o", "-")
    assert binary.returncode == 2
    assert b"is binary" in binary.stderr
    assert binary.stdout == b""
    future = annual(world, tmp_path, "--year", str(world.year + 1))
    assert future.returncode == 2
    assert b"has not begun" in future.stderr
    bad = annual(world, tmp_path, "--year", "1999")
    assert bad.returncode == 2
    assert b"--year" in bad.stderr
    unknown = annual(world, tmp_path, "--format", "csv", "--table", "nonsense")
    assert unknown.returncode == 2
    assert b"no table 'nonsense'" in unknown.stderr
    assert list(tmp_path.iterdir()) == []
