"""The annual report's key figures (the `summary` table) and the narrative written from them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from babel.numbers import format_decimal
from babel.support import NullTranslations

from app.core.i18n import N_, translations
from app.reports.cells import median, share
from app.reports.labels import Labels
from app.reports.schemas import CellValue, Table
from app.reports.scope import Year, YearRecords
from matching.duplication import GapRow

Figures = dict[str, CellValue]
"""Label -> value, in the order of the summary table; the narrative reads them by label."""


def key_figures(records: YearRecords) -> Figures:
    supported = sum(row.supported for row in records.coverage)
    covered = sum(row.either for row in records.coverage)
    return {
        N_("Recommendations in the repository at year end"): sum(
            row.count for row in records.stock
        ),
        N_("Supported recommendations at year end"): supported,
        N_("Assistance requests"): len(records.requests),
        N_("Offers"): len(records.offers),
        N_("Matches"): len(records.matches),
        N_("Matches agreed in the year"): len(records.agreements),
        N_("Activities"): len(records.activities),
        N_("Supported recommendations covered by a request or an activity"): covered,
        N_("Share of supported recommendations covered (%)"): share(covered, supported),
        N_("Median days from request to agreed match"): median(
            [agreement.days for agreement in records.agreements]
        ),
        N_("Themes with unmet demand"): len({row.theme for row in records.gaps}),
        N_("Possible duplication flags"): len(records.flags),
        N_("Requests published with consent"): len(records.published_requests),
        N_("Activities published with consent"): len(records.published_activities),
    }


FIGURES = (
    N_("Recommendations in the repository at year end"),
    N_("Supported recommendations at year end"),
    N_("Assistance requests"),
    N_("Offers"),
    N_("Matches"),
    N_("Matches agreed in the year"),
    N_("Activities"),
    N_("Supported recommendations covered by a request or an activity"),
    N_("Share of supported recommendations covered (%)"),
    N_("Median days from request to agreed match"),
    N_("Themes with unmet demand"),
    N_("Possible duplication flags"),
    N_("Requests published with consent"),
    N_("Activities published with consent"),
)
"""The labels of the key figures (`key_figures` gives them in this order)."""


def summary_table(year: Year, figures: Figures) -> Table:
    return Table(
        name="summary",
        title=N_("Key figures"),
        note=N_("For %(year)s; see each table for how its figures are counted.")
        % {"year": year.year},
        columns=[N_("Figure"), N_("Value")],
        rows=[[label, value] for label, value in figures.items()],
    )


def narrative(
    year: Year, figures: Figures, gaps: Sequence[GapRow], labels: Labels, lang: str = "en"
) -> list[str]:
    """A few sentences from the figures, in `lang` (the catalogues of app/web/locales)."""
    t = translations(lang)
    return [
        *_totals(t, lang, year.year, figures),
        *_coverage(t, lang, figures),
        _agreements(t, lang, year.year, figures),
        _unmet_demand(t, lang, gaps, labels),
        _duplication(t, lang, figures),
        _privacy(t, lang, figures),
    ]


def _totals(t: NullTranslations, lang: str, y: int, f: Figures) -> list[str]:
    held = f["Recommendations in the repository at year end"]
    requests, offers = f["Assistance requests"], f["Offers"]
    matches, activities = f["Matches"], f["Activities"]
    return [
        t.ngettext(
            "At the end of %(year)s the repository held %(num)s UPR recommendation, "
            "%(supported)s of them supported by the State under review.",
            "At the end of %(year)s the repository held %(num)s UPR recommendations, "
            "%(supported)s of them supported by the State under review.",
            _count(held),
        )
        % {
            "year": y,
            "num": _number(held, lang),
            "supported": _number(f["Supported recommendations at year end"], lang),
        },
        t.gettext(
            "In %(year)s, the repository recorded %(requests)s, %(offers)s of technical "
            "cooperation, %(matches)s and %(activities)s."
        )
        % {
            "year": y,
            "requests": t.ngettext(
                "%(num)s assistance request", "%(num)s assistance requests", _count(requests)
            )
            % {"num": _number(requests, lang)},
            "offers": t.ngettext("%(num)s offer", "%(num)s offers", _count(offers))
            % {"num": _number(offers, lang)},
            "matches": t.ngettext("%(num)s match", "%(num)s matches", _count(matches))
            % {"num": _number(matches, lang)},
            "activities": t.ngettext("%(num)s activity", "%(num)s activities", _count(activities))
            % {"num": _number(activities, lang)},
        },
    ]


def _coverage(t: NullTranslations, lang: str, f: Figures) -> list[str]:
    """Nothing to say where no recommendation is supported (the share does not exist)."""
    percent = f["Share of supported recommendations covered (%)"]
    if percent is None:
        return []
    covered = f["Supported recommendations covered by a request or an activity"]
    return [
        t.ngettext(
            "%(num)s supported recommendation (%(percent)s%%) is covered by at least one "
            "assistance request or activity.",
            "%(num)s supported recommendations (%(percent)s%%) are covered by at least one "
            "assistance request or activity.",
            _count(covered),
        )
        % {"num": _number(covered, lang), "percent": _number(percent, lang)}
    ]


def _agreements(t: NullTranslations, lang: str, y: int, f: Figures) -> str:
    agreed = f["Matches agreed in the year"]
    if not agreed:
        return t.gettext("No match was agreed in %(year)s.") % {"year": y}
    return t.ngettext(
        "%(num)s match was agreed in %(year)s; the median time from a State's request to the "
        "agreed match was %(days)s days.",
        "%(num)s matches were agreed in %(year)s; the median time from a State's request to "
        "the agreed match was %(days)s days.",
        _count(agreed),
    ) % {
        "num": _number(agreed, lang),
        "year": y,
        "days": _number(f["Median days from request to agreed match"], lang),
    }


def _unmet_demand(t: NullTranslations, lang: str, gaps: Sequence[GapRow], labels: Labels) -> str:
    by_theme: Counter[str] = Counter()
    for row in gaps:
        by_theme[labels.gap_theme(row.theme)] += row.needs
    top = sorted(by_theme.items(), key=lambda kv: (-kv[1], kv[0]))[:2]
    if not top:
        return t.gettext("Every open need has at least one offer that could serve it.")
    listed = [
        t.ngettext("%(theme)s (%(num)s need)", "%(theme)s (%(num)s needs)", n)
        % {"theme": theme, "num": _number(n, lang)}
        for theme, n in top
    ]
    if len(listed) == 1:
        return t.gettext(
            "Unmet demand, needs that no current offer could serve, is largest for %(first)s."
        ) % {"first": listed[0]}
    return t.gettext(
        "Unmet demand, needs that no current offer could serve, is largest for %(first)s and "
        "%(second)s."
    ) % {"first": listed[0], "second": listed[1]}


def _duplication(t: NullTranslations, lang: str, f: Figures) -> str:
    flags = f["Possible duplication flags"]
    if not flags:
        return t.gettext("No duplication between providers was flagged.")
    return t.ngettext(
        "%(num)s possible duplication (different providers for the same State and theme at "
        "the same time) was flagged for review.",
        "%(num)s possible duplications (different providers for the same State and theme at "
        "the same time) were flagged for review.",
        _count(flags),
    ) % {"num": _number(flags, lang)}


def _privacy(t: NullTranslations, lang: str, f: Figures) -> str:
    return t.gettext(
        "Counts include every record; details about individual States are given only where "
        "the State consented to publish them (requests: %(requests)s; activities: "
        "%(activities)s)."
    ) % {
        "requests": _number(f["Requests published with consent"], lang),
        "activities": _number(f["Activities published with consent"], lang),
    }


def _count(value: CellValue) -> int:
    return value if isinstance(value, int) else 0


def _number(value: CellValue, lang: str = "en") -> str:
    """Per the language's conventions: '1,234', '2.0' (shares and medians keep one decimal)."""
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int):
        return format_decimal(value, locale=lang)
    if isinstance(value, float):
        return format_decimal(value, format="#,##0.0", locale=lang)
    return str(value)
