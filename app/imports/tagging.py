"""Theme suggestions for imported recommendations that arrive without themes."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any

from app.imports.writer import Tagger


def default_tagger() -> Tagger | None:
    """The multilingual tagger from `matching.tagging`, loaded on first use (it is large)."""
    try:
        module: Any = importlib.import_module("matching.tagging")
    except ImportError:  # pragma: no cover - the tagger ships with the package
        return None
    loaded: list[Any] = []

    def tag(texts: Sequence[str]) -> list[list[str]]:
        if not loaded:
            loaded.append(module.ThemeTagger.load())
        return [list(codes) for codes in loaded[0].predict_many(texts)]

    return tag
