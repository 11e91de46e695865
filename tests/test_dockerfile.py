"""The production image (`Dockerfile`) holds every file the service and its commands read
beside their code. The image cannot be built here (no Docker daemon on the test machines), so
this reads the Dockerfile against the paths the code itself resolves."""

from __future__ import annotations

import shlex
from dataclasses import astuple
from pathlib import Path

from app.db.migrations import alembic_config
from app.health.router import _ALEMBIC_INI
from app.reference.seed import SEED_DIR
from matching.tagging.training import DataPaths

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")


def _copied() -> list[Path]:
    sources: list[Path] = []
    for line in DOCKERFILE.splitlines():
        if not line.startswith("COPY "):
            continue
        words = shlex.split(line)
        sources.extend(ROOT / word for word in words[1:-1] if not word.startswith("--"))
    return sources


def _read_at_run_time() -> list[Path]:
    config_file = alembic_config("sqlite://").config_file_name
    assert config_file is not None
    migrations = Path(config_file).parent / "migrations"
    return [Path(config_file), migrations, _ALEMBIC_INI, SEED_DIR, *astuple(DataPaths())]


def test_the_image_copies_every_file_the_service_reads_beside_its_code() -> None:
    copied = _copied()
    for path in _read_at_run_time():
        assert path.exists(), path
        assert any(path == source or source in path.parents for source in copied), (
            f"{path.relative_to(ROOT)} is read at run time but not copied into the image"
        )


def test_the_image_installs_the_project_in_place() -> None:
    # The code finds those files relative to itself (Path(__file__).parents[...]): a plain
    # `pip install .` would run a copy in site-packages, where none of them is.
    assert "pip install -e ." in DOCKERFILE


def test_the_docker_context_keeps_what_the_image_copies() -> None:
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    for source in _copied():
        relative = source.relative_to(ROOT).as_posix()
        assert not any(
            relative == pattern or relative.startswith(f"{pattern}/") for pattern in ignored
        ), relative
