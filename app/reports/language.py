"""The annual report in one of the six UN languages.

The report is counted and built in English (`app.reports.service`: its tables group rows under
English names, and its charts find their columns by English name); `localise` then gives the
finished report its language: the title, the scope, each table's title, note and column
headings, and the words in its cells (regions and groups, themes and countries from the
six-language reference data; statuses, provider types and catch-all rows from the catalogues).
Each table keeps its English column names in `keys`. The narrative is written in the language
directly (`app.reports.narrative`). Proper names (organizations, titles of records) stay as
entered."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from sqlalchemy.orm import Session

from app.core.i18n import N_, UN_LANGUAGES, translations
from app.notifications.messages import ACTIVITY_STATUS
from app.reports import repository
from app.reports.labels import ALL_REGIONS, NO_THEME, UNASSIGNED
from app.reports.narrative import FIGURES
from app.reports.schemas import AnnualReport, CellValue, Table
from app.reports.tables.cooperation import NO_PROVIDER, PROVIDER_TYPES, RECORD_KINDS

LANGUAGES = tuple(UN_LANGUAGES)
TITLE = N_("Technical cooperation for implementing UPR recommendations: annual report %(year)s")

# The statuses of requests, offers, matches and activities, as the pages name them.
STATUS: dict[str, str] = {
    "draft": N_("Draft"),
    "open": N_("Open"),
    "matched": N_("Matched"),
    "in_progress": N_("In progress"),
    "completed": N_("Completed"),
    "withdrawn": N_("Withdrawn"),
    "active": N_("Active"),
    "paused": N_("Paused"),
    "closed": N_("Closed"),
    "suggested": N_("Suggested"),
    "proposed": N_("Proposed"),
    "agreed": N_("Agreed"),
    "declined": N_("Declined"),
    "rejected": N_("Rejected"),
    **ACTIVITY_STATUS,
}
STATUS_COLUMNS = frozenset({"Status"})
# The words a cell may hold that the catalogues translate (other text is a name, as entered).
FIXED_CELLS = frozenset(
    {ALL_REGIONS, NO_THEME, UNASSIGNED, NO_PROVIDER, *PROVIDER_TYPES.values(), *RECORD_KINDS}
    | set(FIGURES)
)


def localise(session: Session, report: AnnualReport, lang: str) -> AnnualReport:
    """The report in `lang` (English: the same report, with each table's `keys`)."""
    tables = [table.model_copy(update={"keys": list(table.columns)}) for table in report.tables]
    if lang == "en":
        return report.model_copy(update={"tables": tables, "language": lang})
    gettext = translations(lang).gettext
    names = repository.translated_names(session, lang)

    def text(value: str) -> str:
        """A sentence with the report's year in it is translated with the year as a
        placeholder, as its source marks it."""
        year = str(report.year)
        if year in value:
            source = value.replace(year, "%(year)s")
            translated = gettext(source)
            if translated != source:  # in the catalogue
                return translated % {"year": year}
        return gettext(value)

    return report.model_copy(
        update={
            "language": lang,
            "title": gettext(TITLE) % {"year": report.year},
            "scope": [gettext(rule) for rule in report.scope],
            "tables": [_table(table, text, names, gettext) for table in tables],
        }
    )


def _table(
    table: Table,
    text: Callable[[str], str],
    names: Mapping[str, str],
    gettext: Callable[[str], str],
) -> Table:
    status_at = {i for i, key in enumerate(table.keys) if key in STATUS_COLUMNS}

    def word(index: int, value: CellValue) -> CellValue:
        if not isinstance(value, str) or not value:
            return value
        if index in status_at and value in STATUS:
            return str(gettext(STATUS[value]))
        if value in names:
            return names[value]
        return gettext(value) if value in FIXED_CELLS else value

    return table.model_copy(
        update={
            "title": text(table.title),
            "note": text(table.note) if table.note else "",
            "columns": [str(gettext(column)) for column in table.columns],
            "rows": [[word(i, v) for i, v in enumerate(row)] for row in table.rows],
        }
    )


def words(lang: str) -> Mapping[str, str]:
    """The fixed words of every format (headings, "Period", "page"...), in `lang`."""
    gettext = translations(lang).gettext
    return {key: gettext(source) for key, source in WORDS.items()}


WORDS: dict[str, str] = {
    "period": N_("Period: %(start)s to %(end)s"),
    "generated": N_("Generated %(when)s"),
    "summary": N_("Summary"),
    "scope": N_("Scope"),
    "charts": N_("Charts"),
    "none": N_("None."),
    "page": N_("page %(num)s"),
    "from_table": N_("%(chart)s (table “%(table)s”)."),
    "no_data": N_("No data"),
    "sheet": N_("Sheet"),
    "table": N_("Table"),
    "counted": N_("How it is counted"),
    "key": N_("Table key"),
    "about": N_("About"),
    "files": N_("Files:"),
}
