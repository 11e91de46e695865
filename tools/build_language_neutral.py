#!/usr/bin/env python3
"""Write the language-neutral space of the search by meaning (`matching.tagging.neutral`).

    .venv/bin/python tools/build_language_neutral.py

embeds the tagger's training texts in the six UN languages (`seed_data/tagging/definitions/` and
`seed_data/tagging/requests/`: each theme's and group's phrasings and request-style texts,
written on the same subjects in every language) with the shipped encoder and writes
`matching/tagging/data/language_neutral.npz`: their mean, the directions that tell the languages
apart, and the calibration of neutral cosines to the encoder's scale. Deterministic for a given
encoder (about 20 s on two cores). Run it again when the encoder or those texts change.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from matching.tagging import ThemeTagger  # noqa: E402
from matching.tagging.neutral import NEUTRAL_FILE, build_neutral_space  # noqa: E402

TEXTS = REPO / "seed_data" / "tagging"
OUT = REPO / "matching" / "tagging" / "data" / NEUTRAL_FILE
LANGUAGES = ("ar", "en", "es", "fr", "ru", "zh")


def texts(language: str) -> list[str]:
    """Every phrasing and request-style text in `language`, in file order."""
    out: list[str] = []
    for folder in ("definitions", "requests"):
        path = TEXTS / folder / f"{language}.jsonl"
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            out += row.get("phrasings", []) + row.get("requests", [])
    return out


def main() -> int:
    tagger = ThemeTagger.load()
    embeddings = {language: tagger.embed(texts(language)) for language in LANGUAGES}
    space = build_neutral_space(embeddings)
    space.save(OUT)
    sizes = ", ".join(f"{lang} {len(v)}" for lang, v in embeddings.items())
    print(f"{OUT.relative_to(REPO)}: {len(space.basis)} directions from {sizes} texts;")
    print(f"similarity = {space.offset:.4f} + {space.scale:.4f} x neutral cosine")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
