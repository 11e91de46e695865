"""Themes and groups of persons for imported recommendations that arrive without them: the
service's tagger (`app.recommendations.tagging`), stored as machine suggestions."""

from __future__ import annotations

from app.recommendations.tagging import Tagger, default_tagger

__all__ = ["Tagger", "default_tagger"]
