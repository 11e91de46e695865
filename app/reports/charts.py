"""Charts of the annual report, drawn with matplotlib from the report's own tables (so a chart
shows exactly the figures of its table), as SVG: with text for the HTML report, with letters
drawn as outlines for the PDF, where `describe` gives the figure's alternative text.

Figures are made with the object API (`matplotlib.figure.Figure`), never pyplot, so no GUI
backend or global figure state is involved; a lock serialises drawing across request threads.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass, field, replace

import matplotlib
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from app.core.i18n import translations
from app.reports.labels import ALL_REGIONS, status_label
from app.reports.schemas import AnnualReport, CellValue, Table

matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: smaller, selectable, pasteable
matplotlib.rcParams["svg.hashsalt"] = "uprtc-annual-report"  # stable ids in the SVG
# DejaVu Sans (shipped with matplotlib), then the system's fonts for Arabic and Chinese where
# installed (Debian's Noto: see the Dockerfile); matplotlib shapes Arabic right to left.
WANTED_FONTS = (
    "DejaVu Sans",
    "Noto Sans Arabic",
    "Noto Naskh Arabic",
    "Noto Sans CJK SC",
    "Noto Sans SC",
)
_installed = {entry.name for entry in font_manager.fontManager.ttflist}
matplotlib.rcParams["font.family"] = [
    name for name in WANTED_FONTS if name in _installed or name == "DejaVu Sans"
]

TOP = 10
MIN_COUNT_AXIS = 5.0
MIN_SHARE_AXIS = 10.0  # percent
MIN_SLOTS = 4
SVG_METADATA = ("Creator", "Date", "Format", "Type")  # left out: no RDF block, no date
COLOURS = ("#1f5fa8", "#e08a1e", "#3a9a5b", "#b8434a", "#7a5ca8", "#6b7280")
_lock = threading.Lock()


@dataclass(frozen=True)
class Panel:
    title: str
    labels: list[str]
    series: dict[str, list[float]] = field(default_factory=dict)


@dataclass(frozen=True)
class Chart:
    name: str
    title: str
    source: str
    """The table the figures come from."""
    panels: list[Panel]
    horizontal: bool = False
    unit: str = ""
    no_data: str = "No data"


def _column(table: Table, column: str) -> list[CellValue]:
    """A column's values, by its English name (`keys`), whatever the report's language."""
    index = (table.keys or table.columns).index(column)
    return [row[index] for row in table.rows]


def _number(value: CellValue) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def charts_of(report: AnnualReport) -> list[Chart]:
    """The report's charts, their titles and series in the report's language."""
    gettext = translations(report.language).gettext
    by_region = report.table("by_region")
    regions = [str(v) for v in _column(by_region, "Region")]
    by_theme = report.table("by_theme")
    top_themes = sorted(
        (row for row in by_theme.rows if _number(row[4]) > 0),
        key=lambda row: (-_number(row[4]), str(row[0])),
    )[:TOP]
    status = report.table("by_status")
    panels: dict[str, Panel] = {}
    for kind, label, count in status.rows:
        panel = panels.setdefault(str(kind), Panel(str(kind), [], {gettext("Count"): []}))
        # English reports keep the codes in their tables; other languages are translated.
        panel.labels.append(status_label(str(label)) if report.language == "en" else str(label))
        panel.series[gettext("Count")].append(_number(count))
    coverage = report.table("coverage")
    covered = [row for row in coverage.rows if row[0] != gettext(ALL_REGIONS)]
    unmet: dict[str, float] = {}
    for row in report.table("unmet_demand").rows:
        unmet[str(row[0])] = unmet.get(str(row[0]), 0.0) + _number(row[2])
    top_unmet = sorted(unmet.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]
    made = [
        Chart(
            name="by_region",
            title=gettext("Assistance requests and activities by region"),
            source="by_region",
            panels=[
                Panel(
                    "",
                    regions,
                    {
                        gettext("Assistance requests"): [
                            _number(v) for v in _column(by_region, "Assistance requests")
                        ],
                        gettext("Activities"): [
                            _number(v) for v in _column(by_region, "Activities")
                        ],
                    },
                )
            ],
        ),
        Chart(
            name="activities_by_theme",
            title=gettext("Activities by theme (top %(num)s)") % {"num": TOP},
            source="by_theme",
            panels=[
                Panel(
                    "",
                    [str(row[0]) for row in top_themes],
                    {gettext("Activities"): [_number(row[4]) for row in top_themes]},
                )
            ],
            horizontal=True,
        ),
        Chart(
            name="by_status",
            title=gettext("Status of the year's records"),
            source="by_status",
            panels=list(panels.values()),
            horizontal=True,
        ),
        Chart(
            name="coverage",
            title=gettext("Share of supported recommendations covered by a request or an activity"),
            source="coverage",
            panels=[
                Panel(
                    "",
                    [str(row[0]) for row in covered],
                    {gettext("Share covered (%)"): [_number(row[5]) for row in covered]},
                )
            ],
            unit="%",
        ),
        Chart(
            name="unmet_demand",
            title=gettext("Unmet demand by theme (top %(num)s)") % {"num": TOP},
            source="unmet_demand",
            panels=[
                Panel(
                    "",
                    [theme for theme, _ in top_unmet],
                    {gettext("Needs"): [needs for _, needs in top_unmet]},
                )
            ],
            horizontal=True,
        ),
    ]
    return [replace(chart, no_data=gettext("No data")) for chart in made]


def _draw(chart: Chart) -> Figure:
    count = len(chart.panels)
    columns = 2 if count > 1 else 1
    rows = (count + columns - 1) // columns
    longest = max((len(label) for p in chart.panels for label in p.labels), default=0)
    width = 9.0 if count > 1 or chart.horizontal else 8.0
    bars = max((len(p.labels) for p in chart.panels), default=1)
    height = 3.6 * rows if count > 1 else max(3.2, 0.32 * bars + 1.4 if chart.horizontal else 3.6)
    figure = Figure(figsize=(width, height), layout="constrained")
    figure.suptitle(chart.title, fontsize=11, fontweight="bold")
    for index, panel in enumerate(chart.panels):
        axes = figure.add_subplot(rows, columns, index + 1)
        if panel.title:
            axes.set_title(panel.title, fontsize=10)
        if not panel.labels or not any(any(v) for v in panel.series.values()):
            axes.text(0.5, 0.5, chart.no_data, ha="center", va="center", transform=axes.transAxes)
            axes.set_axis_off()
            continue
        positions = list(range(len(panel.labels)))
        width_each = 0.8 / max(1, len(panel.series))
        for i, (name, values) in enumerate(panel.series.items()):
            offset = [p - 0.4 + width_each * (i + 0.5) for p in positions]
            colour = COLOURS[i % len(COLOURS)]
            if chart.horizontal:
                drawn = axes.barh(offset, values, height=width_each, label=name, color=colour)
            else:
                drawn = axes.bar(offset, values, width=width_each, label=name, color=colour)
            axes.bar_label(drawn, labels=[_label(v, chart.unit) for v in values], fontsize=8)
        labels = [_shorten(label, 38 if longest > 38 else longest) for label in panel.labels]
        # Small figures are drawn small: the value axis reaches at least MIN_COUNT_AXIS (counts)
        # or MIN_SHARE_AXIS (shares), and a few bars keep a bar's thickness (MIN_SLOTS).
        largest = max((v for values in panel.series.values() for v in values), default=0.0)
        top = max(MIN_SHARE_AXIS if chart.unit else MIN_COUNT_AXIS, largest * 1.15)
        slots = max(len(positions), MIN_SLOTS)
        if chart.horizontal:
            axes.set_yticks(positions, labels, fontsize=8)
            axes.set_ylim(slots - 0.5, -0.5)  # the first row on top
            axes.set_xlim(0, top)
        else:
            axes.set_xticks(positions, labels, fontsize=8)
            axes.set_xlim(-0.5, slots - 0.5)
            axes.set_ylim(0, top)
        axes.spines[["top", "right"]].set_visible(False)
        if not chart.unit:  # counts: whole-number ticks
            value_axis = axes.xaxis if chart.horizontal else axes.yaxis
            value_axis.set_major_locator(MaxNLocator(integer=True))
        if len(panel.series) > 1:
            axes.legend(fontsize=8, frameon=False)
        elif chart.unit:
            name = next(iter(panel.series))
            (axes.set_xlabel if chart.horizontal else axes.set_ylabel)(name, fontsize=8)
    return figure


def _label(value: float, unit: str) -> str:
    return f"{value:g}{unit}"


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def svg(chart: Chart, text_as_paths: bool = False) -> str:
    """The chart as an inline `<svg>` element (no XML prologue or doctype). Its text stays text
    for the HTML page; `text_as_paths` draws the letters as outlines instead, as matplotlib
    shapes them, for the PDF (where the figure's alternative text says what it shows)."""
    buffer = io.StringIO()
    fonttype = "path" if text_as_paths else "none"
    with _lock, matplotlib.rc_context({"svg.fonttype": fonttype}):
        _draw(chart).savefig(buffer, format="svg", metadata=dict.fromkeys(SVG_METADATA))
    text = buffer.getvalue()
    return text[text.index("<svg") :]


# Punctuation of the alternative text: between items, between series, after a name, at the end,
# and the brackets around a series' name.
_PUNCTUATION = {
    "ar": ("، ", "؛ ", ": ", ".", " (", ")"),
    # full-width comma, semicolon, colon, stop and brackets
    "zh": ("\uff0c", "\uff1b", "\uff1a", "\u3002", "\uff08", "\uff09"),
}
_DEFAULT_PUNCTUATION = (", ", "; ", ": ", ".", " (", ")")


def describe(chart: Chart, lang: str) -> str:
    """The chart in words, for readers who cannot see it (a PDF figure's alternative text): its
    title, then each panel's and series' figures by label, as the bars show them."""
    punctuation = _PUNCTUATION.get(lang, _DEFAULT_PUNCTUATION)
    between, between_series, after_name, end, opening, closing = punctuation
    parts = []
    for panel in chart.panels:
        for name, values in panel.series.items():
            figures = between.join(
                f"{label} {_label(value, chart.unit)}"
                for label, value in zip(panel.labels, values, strict=True)
            )
            heading = f"{panel.title}{opening}{name}{closing}" if panel.title else name
            parts.append(f"{heading}{after_name}{figures or chart.no_data}")
    if not parts or not any(p.labels for p in chart.panels):
        parts = [chart.no_data]
    return f"{chart.title}{after_name}{between_series.join(parts)}{end}"
