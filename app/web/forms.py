"""Form handling shared by the State and provider pages: reading posted fields, and turning the
API's validation errors into messages next to the fields.

Fields are read leniently (everything as text) and validated by the API's own write schemas
and services, so that a mistake re-renders the form with the user's input and a message
instead of an error page."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Request
from pydantic import ValidationError
from starlette.datastructures import FormData

from app.core.errors import DomainError
from app.reference.languages import code_for
from app.web.labels import N_
from app.web.params import id_values

MAX_TEXT = 20_000


async def _form(request: Request) -> FormData:
    """The posted form (already parsed and cached by the CSRF check)."""
    return await request.form()


PostedForm = Annotated[FormData, Depends(_form)]


# --- reading fields -----------------------------------------------------------------------------
def text(form: FormData, name: str, max_length: int = MAX_TEXT) -> str:
    value = form.get(name)
    return value.strip()[:max_length] if isinstance(value, str) else ""


def values(form: FormData, name: str, limit: int = 500) -> list[str]:
    """The distinct non-empty values of a repeated field (checkboxes, multi-selects)."""
    found = [v.strip() for v in form.getlist(name) if isinstance(v, str) and v.strip()]
    return list(dict.fromkeys(found))[:limit]


def ids(form: FormData, name: str) -> list[int]:
    return id_values(values(form, name))


def checked(form: FormData, name: str) -> bool:
    return text(form, name, 10) in {"1", "on", "true", "yes"}


def version(form: FormData) -> int | None:
    value = text(form, "version", 20)
    return int(value) if value.isdigit() else None


class FieldErrors(dict[str, str]):
    """Field name -> message (an N_-marked English text, translated by the template)."""

    def add(self, field: str, message: str) -> None:
        self.setdefault(field, message)


def parse_date(form: FormData, name: str, errors: FieldErrors) -> date | None:
    value = text(form, name, 20)
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.add(name, N_("Give a date as YYYY-MM-DD."))
        return None


def parse_period(form: FormData, errors: FieldErrors) -> tuple[date | None, date | None]:
    """The period's dates; an end before the start is reported at once (with other mistakes),
    not only after every other field is right."""
    start, end = parse_date(form, "period_start", errors), parse_date(form, "period_end", errors)
    if start is not None and end is not None and end < start:
        errors.add("period_end", message_for("period_end"))
    return start, end


def parse_int(form: FormData, name: str, errors: FieldErrors, low: int, high: int) -> int | None:
    value = text(form, name, 20)
    if not value:
        return None
    try:
        number = int(value)
    except ValueError:
        number = low - 1
    if not low <= number <= high:
        errors.add(name, N_("Give a whole number in the allowed range."))
        return None
    return number


# --- the fields that describe a request and an offer alike --------------------------------------
RECORD_FIELDS = (
    "title",
    "description",
    "themes",
    "assistance_types",
    "languages",
    "period_start",
    "period_end",
)


def empty_record_values() -> dict[str, Any]:
    """The RECORD_FIELDS of a blank form."""
    return {
        "title": "",
        "description": "",
        "themes": [],
        "assistance_types": [],
        "languages": [],
        "other_languages": "",
        "period_start": "",
        "period_end": "",
    }


def record_values(form: FormData) -> dict[str, Any]:
    """The RECORD_FIELDS as posted (kept as typed, to fill the form again)."""
    return {
        "title": text(form, "title", 300),
        "description": text(form, "description"),
        "themes": values(form, "themes", 100),
        "assistance_types": values(form, "assistance_types", 100),
        "languages": languages(form),
        "other_languages": "",
        "period_start": text(form, "period_start", 20),
        "period_end": text(form, "period_end", 20),
    }


def languages(form: FormData) -> list[str]:
    """The ticked languages, then those typed in "other languages" (ISO 639 codes or names,
    separated by commas or semicolons); a name no language has is kept as typed, for the
    service to refuse."""
    typed = text(form, "other_languages", 2000).replace(";", ",").split(",")
    codes = [code_for(t) or t.strip() for t in typed if t.strip()]
    return list(dict.fromkeys(values(form, "languages", 100) + codes))[:100]


def record_data(form: FormData, posted: dict[str, Any], errors: FieldErrors) -> dict[str, Any]:
    """The write schema's RECORD_FIELDS from the `posted` values, with the period's dates
    parsed (their mistakes are added to `errors`)."""
    start, end = parse_period(form, errors)
    return {
        "title": posted["title"],
        "description": posted["description"],
        "themes": posted["themes"],
        "assistance_types": posted["assistance_types"],
        "languages": posted["languages"],
        "period_start": start,
        "period_end": end,
    }


# --- errors from the schemas and services --------------------------------------------------------
_FIELD_MESSAGES = {
    "title": N_("Give a title of at most 300 characters."),
    "description": N_("The description is too long."),
    "recommendation_ids": N_(
        "Choose only recommendations your State supported; check the list again."
    ),
    "themes": N_("Choose themes from the list."),
    "assistance_types": N_("Choose kinds of assistance from the list."),
    "languages": N_(
        "Choose languages from the list, or type ISO 639 codes or names of languages, "
        "separated by commas."
    ),
    "countries": N_("Say where the offer can help: countries, regions or groups, or worldwide."),
    "regions": N_("Choose regions and groups from the list."),
    "capacity": N_("Give a whole number in the allowed range."),
    "period_end": N_("The end date must not be before the start date."),
    "status": N_("Choose a status from the list."),
}
_GENERIC = N_("This value is not valid.")


def message_for(field: str) -> str:
    return _FIELD_MESSAGES.get(field, _GENERIC)


def add_validation_errors(errors: FieldErrors, exc: ValidationError) -> None:
    for error in exc.errors():
        loc = [str(p) for p in error.get("loc", ())]
        field = loc[0] if loc else ""
        if not field:  # the one model-level rule of these schemas: the period's order
            field = "period_end"
        errors.add(field, message_for(field))


def add_domain_error(errors: FieldErrors, exc: DomainError) -> None:
    fields = [e.get("field") or "" for e in exc.errors] or [""]
    for field in fields:
        errors.add(field, message_for(field))


def error_summary(errors: FieldErrors, shown: Iterable[str]) -> list[str]:
    """Messages for errors on fields the form does not show (so that none is lost)."""
    visible = set(shown)
    return [message for field, message in errors.items() if field not in visible]
