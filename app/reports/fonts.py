"""The fonts of the annual report's PDF: DejaVu Sans, which matplotlib ships (Latin, Greek,
Cyrillic), then the system's Noto fonts for Arabic and Chinese (Debian: fonts-noto-core,
fonts-noto-cjk; the Dockerfile and `make browser` install them; nothing is downloaded).

Typst reads fonts from folders: the folders of those files, scanned once per process (about
0.2 s for Debian's Noto). Without the system fonts, Typst warns and draws what it can with the
fonts it has (characters no font has are left out); `app.reports.pdf` logs the warning.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import matplotlib
import typst

MATPLOTLIB_FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
# Files that must exist for Arabic and Chinese (the Makefile's FONTS_NEEDED): their folders hold
# the other Noto fonts too (Naskh, Kufi, other scripts a name may be written in).
SYSTEM_FONTS = (
    Path("/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
)
# Families in the order Typst tries them for each character. Chinese as the UN writes it:
# Simplified (SC); in a Chinese report the CJK font comes first, so that punctuation shared
# with Latin (quotes, colons) takes its Chinese form.
LATIN = "DejaVu Sans"
ARABIC = ("Noto Sans Arabic", "Noto Naskh Arabic")
CHINESE = ("Noto Sans CJK SC",)


def families(lang: str) -> list[str]:
    """The font families of a report in `lang`, first choice first."""
    if lang == "zh":
        return [*CHINESE, LATIN, *ARABIC]
    return [LATIN, *ARABIC, *CHINESE]


def folders() -> list[Path]:
    return [MATPLOTLIB_FONTS, *(f.parent for f in SYSTEM_FONTS if f.exists())]


@lru_cache(maxsize=1)
def typst_fonts() -> typst.Fonts:
    """The fonts Typst may use: only these folders (not the system's other fonts, nor those
    Typst embeds), so that every machine draws the report alike."""
    return typst.Fonts(
        include_system_fonts=False,
        include_embedded_fonts=False,
        font_paths=[str(folder) for folder in folders()],
    )
