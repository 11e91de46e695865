"""`uprtc report annual` against the known world of conftest.py: once as a user types it, the
rest in this process."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import load_workbook

from tests.support.cli import CliResult, uprtc, uprtc_typed
from tests.support.report_world import World
from tests.support.reports import sheet_of, table_keys


def annual(world: World, cwd: Path, *args: str, typed: bool = False) -> CliResult:
    """`uprtc report annual --year Y ARGS...` (ARGS may give --year again: the last one wins)."""
    run = uprtc_typed if typed else uprtc
    return run("report", "annual", "--year", str(world.year), *args, db_url=world.url, cwd=cwd)


def test_xlsx_round_trip_one_sheet_per_table(world: World, tmp_path: Path) -> None:
    result = annual(world, tmp_path, "--format", "xlsx", "--output", "report.xlsx", typed=True)
    assert result.returncode == 0, result.stderr
    assert "written to report.xlsx" in result.stderr
    report = world.report()
    workbook = load_workbook(tmp_path / "report.xlsx")
    assert table_keys(workbook) == [t["name"] for t in report["tables"]]
    assert "Key figures" in workbook.sheetnames  # sheets are named by the tables' titles
    rows = sheet_of(workbook, "summary").iter_rows(min_row=2, values_only=True)
    summary = {r[0]: r[1] for r in rows}
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
    assert one.stdout_bytes.decode("utf-8-sig").splitlines()[-1] == "All regions,4,2,2,2,50.0"

    pdf = annual(world, tmp_path, "--format", "pdf")
    assert pdf.returncode == 0, pdf.stderr
    assert (tmp_path / f"annual-report-{world.year}.pdf").read_bytes().startswith(b"%PDF-")


def test_refusals(world: World, tmp_path: Path) -> None:
    binary = annual(world, tmp_path, "--format", "xlsx", "-o", "-")
    assert binary.returncode == 2
    assert "is binary" in binary.stderr
    assert binary.stdout == ""
    future = annual(world, tmp_path, "--year", str(world.year + 1))
    assert future.returncode == 2
    assert "has not begun" in future.stderr
    bad = annual(world, tmp_path, "--year", "1999")
    assert bad.returncode == 2
    assert "--year" in bad.stderr
    unknown = annual(world, tmp_path, "--format", "csv", "--table", "nonsense")
    assert unknown.returncode == 2
    assert "no table 'nonsense'" in unknown.stderr
    assert list(tmp_path.iterdir()) == []
