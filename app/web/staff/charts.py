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
    """One row per (label, values), a bar per series in each row, scaled to the largest value."""
    largest = max((v for _label, values in data for v in values), default=0)
    scale = BAR_AREA / largest if largest else 0.0
    row_height = BAR_HEIGHT * len(series) + ROW_GAP
    rows = []
    for index, (label, values) in enumerate(data):
        top = MARGIN + index * row_height
        bars = tuple(
            Bar(
                series=i,
                value=value,
                x=LABEL_WIDTH,
                y=top + i * BAR_HEIGHT,
                width=round(value * scale, 1),
                height=BAR_HEIGHT - 2,
                text_x=round(LABEL_WIDTH + value * scale + 4, 1),
                text_y=top + i * BAR_HEIGHT + BAR_HEIGHT - 4,
            )
            for i, value in enumerate(values)
        )
        rows.append(
            Row(
                label=label,
                short_label=shorten(label),
                values=tuple(values),
                label_y=top + (BAR_HEIGHT * len(series)) / 2 + 4,
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
        width=WIDTH,
        height=height,
    )
