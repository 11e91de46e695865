"""Theme suggestions for imported recommendations that arrive without themes."""

from __future__ import annotations

from collections.abc import Sequence

from app.imports.writer import Tagger
from matching.tagging import ThemeTagger


def default_tagger() -> Tagger:
    """The multilingual tagger from `matching.tagging` (its encoder loads on first use)."""

    def tag(texts: Sequence[str]) -> list[list[str]]:
        return ThemeTagger.load().predict_codes_many(texts)

    return tag
