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


def test_a_charts_alternative_text_gives_its_figures() -> None:
    """What the PDF says of a chart to someone who cannot see it: the figures the bars show."""
    from app.reports.charts import describe

    regions = Chart(
        "r",
        "By region",
        "by_region",
        [Panel("", ["Asia", "Africa"], {"Requests": [2, 0], "Activities": [1, 0]})],
    )
    assert describe(regions, "en") == (
        "By region: Requests: Asia 2, Africa 0; Activities: Asia 1, Africa 0."
    )
    status = Chart(
        "s", "状态", "by_status", [Panel("援助请求", ["草稿", "开放"], {"数量": [1, 4]})]
    )
    assert describe(status, "zh") == "状态：援助请求（数量）：草稿 1，开放 4。"
    share = Chart("c", "Covered", "coverage", [Panel("", ["Asia"], {"%": [12.5]})], unit="%")
    assert describe(share, "fr") == "Covered: %: Asia 12.5%."
    empty = Chart("u", "Unmet", "unmet_demand", [Panel("", [], {"Needs": []})], no_data="None")
    assert describe(empty, "ar") == "Unmet: None."
