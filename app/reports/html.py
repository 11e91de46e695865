"""The annual report as one self-contained HTML page: inline CSS, inline SVG charts, every table.
Text is escaped by Jinja2's autoescape; the only markup inserted as is, the charts, is SVG that
matplotlib wrote (and escaped) itself."""

from __future__ import annotations

from jinja2 import Environment, StrictUndefined
from markupsafe import Markup

from app.core.i18n import direction
from app.reports import charts
from app.reports.labels import for_reading
from app.reports.language import words
from app.reports.schemas import AnnualReport, CellValue

TEMPLATE = """<!DOCTYPE html>
<html lang="{{ report.language }}" dir="{{ dir }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="uprtc annual report">
<title>{{ report.title }}</title>
<style>
  body { font-family: "DejaVu Sans", Arial, Helvetica, "Noto Sans Arabic", "Noto Naskh Arabic",
         Tahoma, "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; color: #1f2933;
         max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
  h1 { font-size: 1.5rem; margin-bottom: .25rem; }
  h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #cbd2d9; }
  .meta, .note { color: #52606d; font-size: .9rem; }
  figure { margin: 1.5rem 0; break-inside: avoid; }
  figure svg { max-width: 100%; height: auto; }
  figcaption { color: #52606d; font-size: .85rem; }
  table { border-collapse: collapse; width: 100%; font-size: .85rem; margin: .5rem 0 1rem; }
  th, td { border: 1px solid #cbd2d9; padding: .25rem .5rem; text-align: start;
           vertical-align: top; }
  th { background: #f0f4f8; }
  td.number { text-align: end; font-variant-numeric: tabular-nums; }
  ul.scope { font-size: .9rem; color: #52606d; }
  @media print { body { margin: 0; max-width: none; } section { break-inside: avoid; } }
</style>
</head>
<body>
<header>
<h1>{{ report.title }}</h1>
<p class="meta">{{ words.period % {"start": report.period_start, "end": report.period_end} }} ·
{{ words.generated % {"when": report.generated_at.strftime("%Y-%m-%d %H:%M UTC")} }}</p>
</header>
<section id="summary-text">
<h2>{{ words.summary }}</h2>
{% for sentence in report.narrative %}<p>{{ sentence }}</p>
{% endfor %}
<ul class="scope">
{% for rule in report.scope %}<li>{{ rule }}</li>
{% endfor %}</ul>
</section>
<section id="charts">
<h2>{{ words.charts }}</h2>
{% for chart, svg in charts %}<figure id="chart-{{ chart.name }}">
{{ svg }}
<figcaption>
{{- words.from_table % {"chart": chart.title, "table": titles[chart.source]} -}}
</figcaption>
</figure>
{% endfor %}</section>
{% for table in report.tables %}<section id="section-{{ table.name }}">
<h2>{{ table.title }}</h2>
{% if table.note %}<p class="note">{{ table.note }}</p>{% endif %}
{% if table.rows %}<table id="table-{{ table.name }}">
<thead><tr>{% for column in table.columns %}<th scope="col">{{ column }}</th>
{%- endfor %}</tr></thead>
<tbody>
{% for row in table.rows %}<tr>{% for value in row %}
{%- if value is number %}<td class="number">{% else %}<td>{% endif %}{{ value | cell }}</td>
{%- endfor %}</tr>
{% endfor %}</tbody>
</table>{% else %}<p class="note" id="table-{{ table.name }}">{{ words.none }}</p>{% endif %}
</section>
{% endfor %}</body>
</html>
"""


def cell(value: CellValue) -> str:
    """How a figure reads in the HTML and PDF reports: thousands separated, one decimal."""
    if value is None:
        return "\u2013"  # an en dash: no figure
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return value


_environment = Environment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)
_environment.filters["cell"] = cell
_template = _environment.from_string(TEMPLATE)


def html(report: AnnualReport) -> str:
    drawn = [(chart, Markup(charts.svg(chart))) for chart in charts.charts_of(report)]  # noqa: S704 - matplotlib's own SVG
    readable = report.model_copy(update={"tables": [for_reading(t) for t in report.tables]})
    return _template.render(
        report=readable,
        charts=drawn,
        titles={t.name: t.title for t in report.tables},
        words=words(report.language),
        dir=direction(report.language),
    )
