"""Theme suggestions for imported recommendations that arrive without themes."""

from __future__ import annotations

from collections.abc import Sequence

from app.imports.writer import Tagger


def default_tagger() -> Tagger | None:
    """The multilingual tagger from `matching`, loaded on first use."""
    try:
        from matching.tagging import ThemeTagger
    except ImportError:  # pragma: no cover - the tagger ships with the package
        return None
    loaded: list[ThemeTagger] = []

    def tag(texts: Sequence[str]) -> list[list[str]]:
        if not loaded:
            loaded.append(ThemeTagger.load())
        tagger = loaded[0]
        return [tagger.predict_codes(text) for text in texts]

    return tag
