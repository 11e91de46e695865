"""The report's charts draw small figures small: one activity is not a bar across the chart."""

from __future__ import annotations

from app.reports.charts import MIN_COUNT_AXIS, MIN_SHARE_AXIS, Chart, Panel, _draw


def test_small_counts_and_shares_are_not_drawn_full_size() -> None:
    one = Chart(
        "t", "One activity", "by_theme", [Panel("", ["Torture"], {"Activities": [1]})], True
    )
    axes = _draw(one).axes[0]
    assert axes.get_xlim()[1] >= MIN_COUNT_AXIS
    bottom, top = axes.get_ylim()
    assert bottom - top >= 3  # room for four bars: a lone bar keeps a bar's thickness

    share = Chart("s", "Covered", "coverage", [Panel("", ["Asia"], {"%": [0.8]})], unit="%")
    assert _draw(share).axes[0].get_ylim()[1] >= MIN_SHARE_AXIS

    many = Chart("m", "Many", "by_region", [Panel("", ["Asia"], {"Requests": [40]})])
    assert _draw(many).axes[0].get_ylim()[1] >= 40
