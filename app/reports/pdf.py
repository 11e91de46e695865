"""The annual report as PDF, with fpdf2: pure Python, installed by pip alone.

The PDF carries what the HTML carries (narrative, scope, the same charts as PNG, every table,
figures formatted by the same `cell` function), laid out directly from the report object rather
than by converting the HTML page. Converting HTML with CSS and SVG faithfully needs a browser
engine: WeasyPrint needs the Pango system libraries, which pip cannot install (a fresh machine
set up by `make` has only what PyPI provides); xhtml2pdf cannot draw inline SVG without cairo
either. fpdf2 depends only on fonttools, Pillow and defusedxml.

Text uses the DejaVu Sans fonts that matplotlib ships (Latin, Greek, Cyrillic), falling back to
the system's Noto fonts for Arabic and Chinese (Debian: fonts-noto-core, fonts-noto-cjk; the
Dockerfile and `make browser` install them; nothing is downloaded). Text is shaped with
HarfBuzz (uharfbuzz), so Arabic letters join and run right to left. A report in Arabic is laid
out right to left (its paragraphs and table columns aligned to the right). Without the system
fonts, characters they would draw are left out with a warning in the log.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

import matplotlib
from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos
from fpdf.fonts import FontFace
from PIL import Image

from app.core.i18n import direction
from app.reports import charts
from app.reports.html import cell
from app.reports.labels import for_reading
from app.reports.language import words
from app.reports.schemas import AnnualReport, Table

FONT = "DejaVu"
TABLE_FONT = 8.0
MIN_TABLE_FONT = 6.0
MAX_WORD_SHARE = 0.4
CELL_SLACK = 0.6  # mm beyond a word's measured width, so that rounding never wraps it
FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
# (family, regular, bold, TTC index): the first file found of each script is used.
SYSTEM_FONTS = (
    (
        "NotoArabic",
        (
            "/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf",
            "/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf",
        ),
        (
            "/usr/share/fonts/truetype/noto/NotoSansArabic-Bold.ttf",
            "/usr/share/fonts/truetype/noto/NotoNaskhArabic-Bold.ttf",
        ),
        0,
    ),
    (
        "NotoCJK",
        (
            "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
            "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
        ),
        (
            "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
            "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Bold.otf",
        ),
        2,  # in the collection: JP, KR, SC, TC...; SC for Chinese as the UN writes it
    ),
)
# fpdf2 and fonttools log every subset and missing glyph at INFO / WARNING: keep them quiet.
logging.getLogger("fpdf").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


class _Document(FPDF):
    def __init__(self, report: AnnualReport) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.report = report
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.add_font(FONT, "I", str(FONT_DIR / "DejaVuSans-Oblique.ttf"))
        self.set_fallback_fonts(_system_fonts(self), exact_match=False)
        self.set_text_shaping(True)
        self.words = words(report.language)
        self.rtl = direction(report.language) == "rtl"
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(auto=True, margin=15)
        self.set_title(report.title)
        self.set_creator("uprtc annual report")
        self.set_creation_date(report.generated_at)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 7)
        self.set_text_color(110)
        page = self.words["page"] % {"num": self.page_no()}
        self.cell(0, 5, f"{self.report.title} · {page}", align="C")
        self.set_text_color(0)

    def paragraph(self, text: str, size: float = 10, style: str = "", gap: float = 1.5) -> None:
        self.set_font(FONT, style, size)
        align = Align.R if self.rtl else Align.L
        self.multi_cell(0, size * 0.5, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(gap)

    def heading(self, text: str) -> None:
        if self.will_page_break(30):
            self.add_page()
        self.ln(3)
        self.paragraph(text, size=12, style="B", gap=1)


def _system_fonts(document: FPDF) -> list[str]:
    """Add the system's fonts for Arabic and Chinese that exist; their family names."""
    families = []
    for family, regulars, bolds, index in SYSTEM_FONTS:
        regular = next((p for p in regulars if Path(p).exists()), None)
        if regular is None:
            continue
        number = index if regular.endswith(".ttc") else 0
        document.add_font(family, "", regular, collection_font_number=number)
        bold = next((p for p in bolds if Path(p).exists()), regular)
        number = index if bold.endswith(".ttc") else 0
        document.add_font(family, "B", bold, collection_font_number=number)
        families.append(family)
    return families


def pdf(report: AnnualReport) -> bytes:
    document = _Document(report)
    said = document.words
    document.add_page()
    document.paragraph(report.title, size=15, style="B", gap=1)
    document.set_text_color(90)
    period = said["period"] % {"start": report.period_start, "end": report.period_end}
    generated = said["generated"] % {"when": report.generated_at.strftime("%Y-%m-%d %H:%M UTC")}
    document.paragraph(f"{period} · {generated}", size=9, gap=3)
    document.set_text_color(0)
    document.heading(said["summary"])
    for sentence in report.narrative:
        document.paragraph(sentence)
    document.set_text_color(90)
    for rule in report.scope:
        document.paragraph(f"• {rule}", size=8, gap=0.5)
    document.set_text_color(0)

    images = [charts.png(chart) for chart in charts.charts_of(report)]
    width = document.epw * 0.85
    heights = [width * _aspect(image) for image in images]
    if heights and document.will_page_break(heights[0] + 20):
        document.add_page()  # the heading goes with its first chart
    document.heading(said["charts"])
    for image, height in zip(images, heights, strict=True):
        if document.will_page_break(height):
            document.add_page()
        document.image(io.BytesIO(image), w=width, x=document.l_margin)
        document.ln(2)

    for table in report.tables:
        _table(document, table)
    return bytes(document.output())


def _aspect(png: bytes) -> float:
    """Height over width of a PNG image."""
    with Image.open(io.BytesIO(png)) as image:
        return image.height / image.width


def _table(document: _Document, table: Table) -> None:
    table = for_reading(table)
    document.heading(table.title)
    if table.note:
        document.set_text_color(90)
        document.paragraph(table.note, size=8, style="I", gap=1)
        document.set_text_color(0)
    if not table.rows:
        document.paragraph(document.words["none"], size=9)
        return
    # Widths under which no word is cut across lines (headers wrap between words too).
    texts = [[cell(value) for value in row] for row in table.rows]
    size, widths = _column_widths(document, table.columns, texts)
    numeric = [
        all(isinstance(row[i], int | float) or row[i] is None for row in table.rows)
        for i in range(len(table.columns))
    ]
    # Right to left: the first column on the right.
    order = list(range(len(table.columns)))[:: -1 if document.rtl else 1]
    document.set_font(FONT, "", size)
    with document.table(
        col_widths=[widths[i] for i in order],
        headings_style=FontFace(emphasis="BOLD", fill_color=(240, 244, 248)),
        line_height=size * 0.5,
        text_align=["RIGHT" if numeric[i] or document.rtl else "LEFT" for i in order],
        width=document.epw,
    ) as rows:
        heading = rows.row()
        for i in order:
            heading.cell(table.columns[i])
        for values in table.rows:
            line = rows.row()
            for i in order:
                line.cell(cell(values[i]))
    document.ln(2)


def _column_widths(
    document: _Document, columns: list[str], texts: list[list[str]]
) -> tuple[float, list[float]]:
    """A font size and column widths (mm) under which no word is cut across lines: each column
    at least as wide as its longest word (headers in bold), the width left shared out by how much
    more each column's longest text would take. The font shrinks, down to MIN_TABLE_FONT, when
    the longest words alone do not fit the page."""
    size = TABLE_FONT
    while True:
        least, most = [], []
        for index, column in enumerate(columns):
            document.set_font(FONT, "B", size)
            header_words = [document.get_string_width(w) for w in column.split()]
            header = document.get_string_width(column)
            document.set_font(FONT, "", size)
            values = [row[index] for row in texts]
            words = [document.get_string_width(w) for v in values for w in v.split()]
            full = [document.get_string_width(v) for v in values]
            padding = 2 * document.c_margin + CELL_SLACK
            # A "word" wider than MAX_WORD_SHARE of the page (Chinese has no spaces) is cut.
            longest = min(max([*header_words, *words, 0.0]), document.epw * MAX_WORD_SHARE)
            least.append(longest + padding)
            most.append(max([header, *full]) + padding)
        if sum(least) <= document.epw or size <= MIN_TABLE_FONT:
            break
        size -= 0.5
    spare = max(0.0, document.epw - sum(least))
    wants = [max(0.0, m - n) for n, m in zip(least, most, strict=True)]
    wanted = sum(wants)
    if wanted <= spare or not wanted:
        # Everything fits on one line: the rest of the page goes to the columns evenly.
        extra = [(spare - wanted) / len(columns) + w for w in wants]
    else:
        extra = [spare * w / wanted for w in wants]
    return size, [n + e for n, e in zip(least, extra, strict=True)]
