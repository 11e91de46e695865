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
from matching.tagging.model import has_model, profile_folder
from matching.tagging.neutral import NeutralSpace


def tagger_directory() -> Path | None:
    """The configured model directory, if any (None: the shipped models)."""
    configured = get_settings().tagger_model_dir
    return Path(configured) if configured else None


@lru_cache(maxsize=8)
def _tagger_from(directory: str | None, profile: Profile) -> ThemeTagger:
    if directory is None or not has_model(Path(directory)):
        return ThemeTagger.load(profile)
    own = profile_folder(Path(directory), profile)
    return ThemeTagger.from_directory(own if has_model(own) else Path(directory))


def current_tagger(profile: Profile = "requests") -> ThemeTagger:
    directory = tagger_directory()
    return _tagger_from(str(directory) if directory is not None else None, profile)


@lru_cache(maxsize=1)
def neutral_space() -> NeutralSpace:
    """The encoder's language-neutral space (the encoder is the same for every model)."""
    return NeutralSpace.load()
