"""The theme taggers the service uses, one per profile (`matching.tagging.PROFILES`): the
`requests` model reads requests for assistance, offers and any other text; the
`recommendations` model reads UPR recommendations. Both are the models shipped in
`matching/tagging/data/` (the recommendations one in its `recommendations/` folder), or those in
`UPRTC_TAGGER_MODEL_DIR` when set (where `uprtc tagger train` writes both; a folder holding only
one model serves both profiles). Loaded once per process, profile and model directory: a
retrained model needs a restart."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from app.config import get_settings
from matching.tagging import Profile, ThemeTagger

_META_FILE = "tagger.json"


def tagger_directory() -> Path | None:
    """The configured model directory, if any (None: the shipped models)."""
    configured = get_settings().tagger_model_dir
    return Path(configured) if configured else None


def profile_directory(directory: Path, profile: Profile) -> Path:
    """Where a profile's model lives in a model directory: the folder itself for requests, its
    `recommendations/` folder for recommendations (where `uprtc tagger train` writes it)."""
    return directory if profile == "requests" else directory / profile


@lru_cache(maxsize=8)
def _tagger_from(directory: str | None, profile: Profile) -> ThemeTagger:
    if directory is None or not (Path(directory) / _META_FILE).exists():
        return ThemeTagger.load(profile)
    own = profile_directory(Path(directory), profile)
    return ThemeTagger.from_directory(own if (own / _META_FILE).exists() else Path(directory))


def current_tagger(profile: Profile = "requests") -> ThemeTagger:
    directory = tagger_directory()
    return _tagger_from(str(directory) if directory is not None else None, profile)
