"""`uprtc tagger train` and the model the service loads (UPRTC_TAGGER_MODEL_DIR)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest

from app.config import get_settings
from app.core.tagger import _tagger_from
from matching.tagging import ThemeTagger
from tests.support.cli import uprtc
from tests.support.factories import ApiFactory
from tests.support.server import env_for

SHIPPED = Path(str(resources.files("matching.tagging").joinpath("data")))
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def model_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A configured model directory (UPRTC_TAGGER_MODEL_DIR) for this test only."""
    directory = tmp_path / "model"
    monkeypatch.setenv("UPRTC_TAGGER_MODEL_DIR", str(directory))
    get_settings.cache_clear()
    yield directory
    get_settings.cache_clear()


def test_the_service_tags_with_the_configured_model(api: ApiFactory, model_dir: Path) -> None:
    model_dir.mkdir()
    shutil.copy(SHIPPED / "tagger.npz", model_dir)
    meta = json.loads((SHIPPED / "tagger.json").read_text(encoding="utf-8"))
    meta["model_version"] = "uhri-tagger-2+configured"
    (model_dir / "tagger.json").write_text(json.dumps(meta), encoding="utf-8")
    rec = api.recommendation(themes=[], text="Ensure free primary education for all children")
    # a folder with one model serves both profiles
    assert {t["model_version"] for t in rec["theme_tags"]} == {"uhri-tagger-2+configured"}


def test_recommendations_are_tagged_by_the_recommendations_model(
    api: ApiFactory, model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("UPRTC_TAGGER_MODEL_DIR")
    get_settings.cache_clear()
    shipped = ThemeTagger.load("recommendations").model_version
    assert shipped != ThemeTagger.load().model_version
    rec = api.recommendation(themes=[], text="Ensure free primary education for all children")
    assert {t["model_version"] for t in rec["theme_tags"]} == {shipped}
    # a configured folder: its recommendations/ model, when there is one
    monkeypatch.setenv("UPRTC_TAGGER_MODEL_DIR", str(model_dir))
    get_settings.cache_clear()
    for folder, version in ((model_dir, "requests"), (model_dir / "recommendations", "recs")):
        folder.mkdir(parents=True)
        shutil.copy(SHIPPED / "tagger.npz", folder)
        meta = json.loads((SHIPPED / "tagger.json").read_text(encoding="utf-8"))
        meta["model_version"] = f"uhri-tagger-2+{version}"
        (folder / "tagger.json").write_text(json.dumps(meta), encoding="utf-8")
    rec = api.recommendation(themes=[], text="Abolish the death penalty")
    assert {t["model_version"] for t in rec["theme_tags"]} == {"uhri-tagger-2+recs"}


@pytest.mark.slow
def test_train_learns_from_staff_corrections_and_reports_before_and_after(
    api: ApiFactory, db_url: str, tmp_path: Path, model_dir: Path
) -> None:
    rec = api.recommendation(text="Strengthen the ombudsperson's office", themes=[])
    corrected = api.client.put(
        f"/api/v1/recommendations/{rec['id']}/tags",
        json={"themes": ["nhri"], "groups": [], "version": rec["version"]},
        headers=api.staff,
    )
    assert corrected.status_code == 200, corrected.text
    output = model_dir  # the configured folder, empty until this run writes both models
    _tagger_from.cache_clear()  # what the service loaded: a new `uprtc` process has none
    result = uprtc(
        "tagger",
        "train",
        "--small",
        "--output",
        output,
        "--cache",
        tmp_path / "cache.npz",
        db_url=db_url,
    )
    assert result.returncode == 0, result.stderr
    assert "1 staff-reviewed recommendations" in result.stdout
    assert "gold test part, micro-F1 before -> after" in result.stdout
    for lang in ("en", "fr", "es", "ru", "ar", "zh"):
        assert re.search(rf"\n  {lang} +\d\.\d{{3}} -> \d\.\d{{3}}", result.stdout), lang
    assert "requests model:" in result.stdout
    assert "recommendations model:" in result.stdout
    for profile in ("requests", "recommendations"):  # "before": the shipped models, both
        assert f"(was {ThemeTagger.load(profile).model_version})" in result.stdout
    model = ThemeTagger.from_directory(output)
    assert model.model_version in result.stdout
    assert model.metadata["training"]["n_extra"] == 1
    assert "n_gold_train_2" not in model.metadata["training"]
    assert "nhri" in model.codes
    recommendations = ThemeTagger.from_directory(output / "recommendations")
    assert recommendations.model_version in result.stdout
    assert recommendations.metadata["training"]["n_extra"] == 1
    assert recommendations.metadata["training"]["n_gold_train_2"] == 780


def test_train_without_its_training_data_names_what_is_missing(db_url: str, tmp_path: Path) -> None:
    """The code installed without the repository's seed_data/ and benchmarks/data/ (as a plain
    `pip install .` leaves it): the command stops at once, naming the first file it misses."""
    shutil.copytree(ROOT / "app", tmp_path / "app")
    shutil.copytree(ROOT / "matching", tmp_path / "matching", ignore=shutil.ignore_patterns("data"))
    run = subprocess.run(
        [sys.executable, "-c", "from app.cli import main; main()", "tagger", "train"],
        cwd=tmp_path,
        env=env_for(db_url, PYTHONPATH=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2, run.stderr
    assert "the tagger's training data is not here" in run.stderr
    assert str(tmp_path / "seed_data" / "themes.csv") in run.stderr
    assert not (tmp_path / "var").exists()  # nothing written
