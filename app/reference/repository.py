from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session, selectinload

from app.db.base import Base
from app.reference import cache as reference_cache
from app.reference.models import (
    Country,
    Region,
    RegionKind,
)

M = TypeVar("M", bound=Base)


def get_by_keys(session: Session, model: type[M], keys: Iterable[str]) -> dict[str, M]:
    wanted = set(keys)
    if not wanted:
        return {}
    key_column = next(iter(model.__table__.primary_key.columns))  # type: ignore[attr-defined]
    rows = session.scalars(select(model).where(key_column.in_(wanted)))
    return {getattr(row, key_column.key): row for row in rows}


def labels(session: Session, codes: Iterable[str], lang: str) -> dict[str, str]:
    """Labels in `lang` (English where missing) of codes that may be a theme, a kind of help, a
    language, a region or group, or a country (ISO3), from the cached reference lists (a reason
    or a page names a few codes on every request: no query once the lists are read)."""
    known = reference_cache.by_code(session)
    return {code: row.label(lang) for code in set(codes) if (row := known.get(code)) is not None}


def list_vocabulary(session: Session, model: type[M]) -> list[M]:
    return list(session.scalars(select(model).order_by(model.sort_order, model.code)))  # type: ignore[attr-defined]


def countries_query(q: str | None, region: str | None, un_status: str | None) -> Select[Country]:
    stmt = (
        select(Country)
        .options(selectinload(Country.regions), selectinload(Country.languages))
        .order_by(Country.iso3)
    )
    if q:
        pattern = f"%{q}%"
        stmt = stmt.where(
            or_(
                Country.iso3.ilike(pattern),
                *(
                    getattr(Country, f"label_{lang}").ilike(pattern)
                    for lang in ("en", "fr", "es", "ru", "zh", "ar")
                ),
            )
        )
    if region:
        stmt = stmt.where(Country.regions.any(Region.code == region))
    if un_status:
        stmt = stmt.where(Country.un_status == un_status)
    return stmt


def list_regions(session: Session, kind: RegionKind | None) -> list[Region]:
    stmt = select(Region).options(selectinload(Region.countries)).order_by(Region.kind, Region.code)
    if kind is not None:
        stmt = stmt.where(Region.kind == kind)
    return list(session.scalars(stmt))


def get_region(session: Session, code: str) -> Region | None:
    return session.scalar(
        select(Region).options(selectinload(Region.countries)).where(Region.code == code)
    )


def get_country(session: Session, iso3: str) -> Country | None:
    return session.scalar(
        select(Country)
        .options(selectinload(Country.regions), selectinload(Country.languages))
        .where(Country.iso3 == iso3)
    )
