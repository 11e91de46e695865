"""What an importer raises when a file as a whole cannot be read."""

from __future__ import annotations


class BadFile(ValueError):
    """The file as a whole cannot be read (wrong format, missing columns, bad encoding)."""
