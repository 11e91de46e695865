"""How the annual report names States, regions, themes and providers in its rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.core.i18n import N_
from app.reports import repository
from app.reports.schemas import Table
from matching.duplication import UNTAGGED

UNASSIGNED = N_("Unassigned")
NO_THEME = N_("(no theme)")
ALL_REGIONS = N_("All regions")


@dataclass(frozen=True)
class Labels:
    region_of: dict[str, str]
    theme_label: dict[str, str]
    country: dict[str, str]
    organization: dict[int, str]

    def region(self, iso3: str) -> str:
        return self.region_of.get(iso3, UNASSIGNED)

    def regions(self) -> list[str]:
        return sorted(set(self.region_of.values()))

    def state(self, iso3: str) -> str:
        return self.country.get(iso3, iso3)

    def theme(self, code: str) -> str:
        return self.theme_label.get(code, code)

    def themes(self, codes: Iterable[str]) -> list[str]:
        return [self.theme(code) for code in codes] or [NO_THEME]

    def gap_theme(self, code: str) -> str:
        return NO_THEME if code == UNTAGGED else self.theme(code)


def load_labels(session: Session, lang: str = "en") -> Labels:
    """English by default: the tables count under English names, and `app.reports.language`
    translates the finished report (the narrative takes its names in the report's language)."""
    return Labels(
        region_of=repository.region_of_states(session),
        theme_label=repository.theme_labels(session, lang),
        country=repository.country_names(session, lang),
        organization=repository.organization_names(session),
    )


def region_order(region: str) -> tuple[int, str]:
    """Alphabetical, with the catch-all rows last."""
    return (region in (UNASSIGNED, ALL_REGIONS), region)


# Columns whose cells hold a record's status code (`in_progress`): the formats people read
# (HTML, PDF, XLSX) show its name ("In progress"); JSON and CSV keep the code.
STATUS_COLUMN = "Status"


def status_label(code: str) -> str:
    return code.replace("_", " ").capitalize()


def for_reading(table: Table) -> Table:
    """The table as people read it: statuses by their names rather than their codes."""
    shown = {i for i, column in enumerate(table.columns) if column == STATUS_COLUMN}
    if not shown:
        return table
    rows = [
        [status_label(v) if i in shown and isinstance(v, str) else v for i, v in enumerate(row)]
        for row in table.rows
    ]
    return table.model_copy(update={"rows": rows})
