"""The theme tagger the service uses: the model shipped in `matching/tagging/data/`, or the one
in `UPRTC_TAGGER_MODEL_DIR` when set (where `uprtc tagger train` writes). Loaded once per
process and model directory: a retrained model needs a restart."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from app.config import get_settings
from matching.tagging import ThemeTagger


def tagger_directory() -> Path | None:
    """The configured model directory, if any (None: the shipped model)."""
    configured = get_settings().tagger_model_dir
    return Path(configured) if configured else None


@lru_cache(maxsize=4)
def _tagger_from(directory: str | None) -> ThemeTagger:
    if directory is None or not (Path(directory) / "tagger.json").exists():
        return ThemeTagger.load()
    return ThemeTagger.from_directory(Path(directory))


def current_tagger() -> ThemeTagger:
    directory = tagger_directory()
    return _tagger_from(str(directory) if directory is not None else None)
