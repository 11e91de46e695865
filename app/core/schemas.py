"""Base schemas shared by every domain."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Annotated, Any, Generic, Self, TypeVar

import pycountry
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

T = TypeVar("T")


class ReadSchema(BaseModel):
    model_config = ConfigDict(from_attributes=True)


# C0 control characters other than tab, line feed and carriage return, and DEL: never text a
# person wrote, and NUL cannot be stored by PostgreSQL at all.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)


class WriteSchema(BaseModel):
    # Unknown fields are refused so that a typo is a clear 422, not a silently ignored value.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        if any(CONTROL_CHARACTERS.search(text) for text in _strings(value)):
            raise ValueError("control characters (such as NUL) are not allowed in text")
        return value


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


ISO3 = Annotated[
    str, StringConstraints(min_length=3, max_length=3, pattern=r"^[A-Za-z]{3}$", to_upper=True)
]
Code = Annotated[str, StringConstraints(min_length=1, max_length=60, strip_whitespace=True)]
Title = Annotated[str, StringConstraints(min_length=1, max_length=300, strip_whitespace=True)]
LongText = Annotated[str, StringConstraints(max_length=20_000)]
CodeList = Annotated[list[Code], Field(max_length=100)]
IdList = Annotated[list[Annotated[int, Field(ge=1)]], Field(max_length=500)]


def _iso_4217(code: str) -> str:
    if pycountry.currencies.get(alpha_3=code) is None:
        raise ValueError(f"{code!r} is not an ISO 4217 currency code (such as USD, EUR or CHF)")
    return code


# A currency: an ISO 4217 alphabetic code (pycountry's list), upper case.
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$"), AfterValidator(_iso_4217)]


class PeriodMixin(BaseModel):
    period_start: date | None = None
    period_end: date | None = None

    @model_validator(mode="after")
    def _period_in_order(self) -> Self:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValueError("period_end must not be before period_start")
        return self


class VersionedRead(ReadSchema):
    version: int
    created_at: datetime
    updated_at: datetime


class ConceptsRead(BaseModel):
    themes: list[str]
    groups: list[str]


class ConceptsPage(Page[T], Generic[T]):
    """A page of a search that may read a short query as a concept (`app.reference.concepts`)."""

    concepts: ConceptsRead | None = Field(
        default=None,
        description="When no text contains `q` and `q` (a short query) names themes or groups of "
        "persons in a UN language: their codes; the records tagged with them follow those "
        "closest in meaning",
    )


class SearchPage(ConceptsPage[T], Generic[T]):
    """A page of a search: `total` stops counting at a cap (`total_capped` then says there are
    more), and `next_after`, when given, asks for the next page by key (`after=`), as fast
    deep in the results as on the first page."""

    total_capped: bool = False
    next_after: int | None = None
