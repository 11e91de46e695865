"""Horizontal bar charts for the staff dashboard, laid out here and drawn as inline SVG by the
template `staff/_macros.html`.

The SVG uses geometry attributes and CSS classes only (no inline `style`), so the pages' Content
Security Policy (`style-src 'self'`) applies unchanged; the colours are in app.css. Every chart
comes with the table of its figures, the text alternative for screen readers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 640
LABEL_WIDTH = 220  # the labels' column, on the left
BAR_AREA = 360  # the longest bar
BAR_HEIGHT = 14
ROW_GAP = 10
MARGIN = 6
LABEL_CHARACTERS = 32
# On a phone the chart is drawn again, narrower, each row's label above its bars: drawn at about
# its own size, its text stays readable (at least 11 px) where the wide one would shrink.
NARROW_WIDTH = 320
NARROW_BAR_AREA = 270
NARROW_LABEL_HEIGHT = 16
NARROW_LABEL_CHARACTERS = 44


@dataclass(frozen=True)
class Bar:
    series: int
    value: int
    x: float
    y: float
    width: float
    height: float
    text_x: float
    text_y: float


@dataclass(frozen=True)
class Row:
    label: str
    short_label: str
    values: tuple[int, ...]
    label_y: float
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class BarChart:
    key: str
    title: str
    """English, marked N_ by the caller: the template translates it."""
    dimension: str
    """What the rows are (e.g. "Region"), marked N_ like the title."""
    series: tuple[str, ...]
    """Names of the series, marked N_ like the title."""
    rows: tuple[Row, ...]
    width: int
    height: int
    label_width: int = LABEL_WIDTH
    label_x: float = LABEL_WIDTH - 6
    label_anchor: str = "end"
    narrow: BarChart | None = None
    """The same chart for narrow screens (labels above the bars)."""

    @property
    def empty(self) -> bool:
        return not any(any(row.values) for row in self.rows)

    @property
    def totals(self) -> tuple[int, ...]:
        return tuple(sum(row.values[i] for row in self.rows) for i in range(len(self.series)))


def shorten(text: str, limit: int = LABEL_CHARACTERS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def bar_chart(
    key: str,
    title: str,
    dimension: str,
    series: Sequence[str],
    data: Sequence[tuple[str, Sequence[int]]],
) -> BarChart:
    """One row per (label, values), a bar per series in each row, scaled to the largest value;
    with the narrow drawing of the same chart."""
    wide = _laid_out(key, title, dimension, series, data, narrow=False)
    narrow = _laid_out(key, title, dimension, series, data, narrow=True)
    return BarChart(
        key=wide.key,
        title=wide.title,
        dimension=wide.dimension,
        series=wide.series,
        rows=wide.rows,
        width=wide.width,
        height=wide.height,
        narrow=narrow,
    )


def _laid_out(
    key: str,
    title: str,
    dimension: str,
    series: Sequence[str],
    data: Sequence[tuple[str, Sequence[int]]],
    *,
    narrow: bool,
) -> BarChart:
    largest = max((v for _label, values in data for v in values), default=0)
    bar_left = 0 if narrow else LABEL_WIDTH
    label_height = NARROW_LABEL_HEIGHT if narrow else 0
    scale = (NARROW_BAR_AREA if narrow else BAR_AREA) / largest if largest else 0.0
    row_height = label_height + BAR_HEIGHT * len(series) + ROW_GAP
    rows = []
    for index, (label, values) in enumerate(data):
        top = MARGIN + index * row_height
        bars_top = top + label_height
        bars = tuple(
            Bar(
                series=i,
                value=value,
                x=bar_left,
                y=bars_top + i * BAR_HEIGHT,
                width=round(value * scale, 1),
                height=BAR_HEIGHT - 2,
                text_x=round(bar_left + value * scale + 4, 1),
                text_y=bars_top + i * BAR_HEIGHT + BAR_HEIGHT - 4,
            )
            for i, value in enumerate(values)
        )
        rows.append(
            Row(
                label=label,
                short_label=shorten(label, NARROW_LABEL_CHARACTERS if narrow else LABEL_CHARACTERS),
                values=tuple(values),
                label_y=top + 12 if narrow else top + (BAR_HEIGHT * len(series)) / 2 + 4,
                bars=bars,
            )
        )
    height = MARGIN * 2 + max(1, len(data)) * row_height
    return BarChart(
        key=key,
        title=title,
        dimension=dimension,
        series=tuple(series),
        rows=tuple(rows),
        width=NARROW_WIDTH if narrow else WIDTH,
        height=height,
        label_width=bar_left,
        label_x=0 if narrow else LABEL_WIDTH - 6,
        label_anchor="start" if narrow else "end",
    )
