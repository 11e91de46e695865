"""The annual report's key figures (the `summary` table) and the narrative written from them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

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
        "Recommendations in the repository at year end": sum(row.count for row in records.stock),
        "Supported recommendations at year end": supported,
        "Assistance requests": len(records.requests),
        "Offers": len(records.offers),
        "Matches": len(records.matches),
        "Matches agreed in the year": len(records.agreements),
        "Activities": len(records.activities),
        "Supported recommendations covered by a request or an activity": covered,
        "Share of supported recommendations covered (%)": share(covered, supported),
        "Median days from request to agreed match": median(
            [agreement.days for agreement in records.agreements]
        ),
        "Themes with unmet demand": len({row.theme for row in records.gaps}),
        "Possible duplication flags": len(records.flags),
        "Requests published with consent": len(records.published_requests),
        "Activities published with consent": len(records.published_activities),
    }


def summary_table(year: Year, figures: Figures) -> Table:
    return Table(
        name="summary",
        title="Key figures",
        note=f"For {year.year}; see each table for how its figures are counted.",
        columns=["Figure", "Value"],
        rows=[[label, value] for label, value in figures.items()],
    )


def narrative(year: Year, figures: Figures, gaps: Sequence[GapRow], labels: Labels) -> list[str]:
    return [
        *_totals(year.year, figures),
        *_coverage(figures),
        _agreements(year.year, figures),
        _unmet_demand(gaps, labels),
        _duplication(figures),
        _privacy(figures),
    ]


def _totals(y: int, f: Figures) -> list[str]:
    return [
        f"At the end of {y} the repository held "
        f"{counted(f['Recommendations in the repository at year end'], 'UPR recommendation')}, "
        f"{_number(f['Supported recommendations at year end'])} of them supported by the State "
        "under review.",
        f"In {y}, the repository recorded "
        f"{counted(f['Assistance requests'], 'assistance request')}, "
        f"{counted(f['Offers'], 'offer')} of technical cooperation, "
        f"{counted(f['Matches'], 'match')} and {counted(f['Activities'], 'activity')}.",
    ]


def _coverage(f: Figures) -> list[str]:
    """Nothing to say where no recommendation is supported (the share does not exist)."""
    percent = f["Share of supported recommendations covered (%)"]
    if percent is None:
        return []
    return [
        f"{_number(f['Supported recommendations covered by a request or an activity'])} "
        f"supported recommendations ({percent}%) are covered by at least one assistance "
        "request or activity."
    ]


def _agreements(y: int, f: Figures) -> str:
    agreed = f["Matches agreed in the year"]
    if not agreed:
        return f"No match was agreed in {y}."
    return (
        f"{counted(agreed, 'match')} {'was' if agreed == 1 else 'were'} agreed in "
        f"{y}; the median time from a State's request to the agreed match was "
        f"{f['Median days from request to agreed match']} days."
    )


def _unmet_demand(gaps: Sequence[GapRow], labels: Labels) -> str:
    by_theme: Counter[str] = Counter()
    for row in gaps:
        by_theme[labels.gap_theme(row.theme)] += row.needs
    top = sorted(by_theme.items(), key=lambda kv: (-kv[1], kv[0]))[:2]
    if not top:
        return "Every open need has at least one offer that could serve it."
    listed = " and ".join(f"{theme} ({counted(n, 'need')})" for theme, n in top)
    return f"Unmet demand, needs that no current offer could serve, is largest for {listed}."


def _duplication(f: Figures) -> str:
    flags = f["Possible duplication flags"]
    if not flags:
        return "No duplication between providers was flagged."
    return (
        f"{counted(flags, 'possible duplication')} (different providers for the same State and "
        f"theme at the same time) {'was' if flags == 1 else 'were'} flagged for review."
    )


def _privacy(f: Figures) -> str:
    requests = counted(f["Requests published with consent"], "request")
    activities = counted(f["Activities published with consent"], "activity")
    return (
        "Counts include every record; details about individual States are given only where "
        f"the State consented to publish them ({requests} and {activities})."
    )


def counted(value: CellValue, singular: str, plural: str | None = None) -> str:
    """'1 match', '2 matches', '1,234 activities'."""
    if plural is None:
        if singular.endswith("y"):
            plural = singular[:-1] + "ies"
        elif singular.endswith(("ch", "sh", "s", "x")):
            plural = singular + "es"
        else:
            plural = singular + "s"
    return f"{_number(value)} {singular if value == 1 else plural}"


def _number(value: CellValue) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)
