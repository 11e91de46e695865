"""Load the reference data in seed_data/ (countries, regions, vocabularies). Idempotent."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from app.db.base import Base
from app.reference.languages import iso639_1_rows
from app.reference.models import (
    LANGUAGE_COLUMNS,
    AssistanceType,
    Country,
    GroupOfPersons,
    Language,
    Region,
    SdgGoal,
    Theme,
    country_languages,
    region_members,
)

SEED_DIR = Path(__file__).resolve().parents[2] / "seed_data"

HRC_GROUP_CODES = {
    "african": "hrc-african",
    "asia_pacific": "hrc-asia-pacific",
    "eastern_european": "hrc-eastern-european",
    "grulac": "hrc-grulac",
    "weog": "hrc-weog",
}
UN_GROUP_FLAGS = ("ldc", "lldc", "sids")
M49_COLUMNS = ("region", "subregion", "intermediate_region")


@dataclass
class SeedReport:
    counts: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        return ", ".join(f"{name}: {n}" for name, n in self.counts.items())


def read_csv(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _labels(row: dict[str, str], prefix: str) -> dict[str, str | None]:
    return {f"label_{lang}": (row.get(f"{prefix}{lang}") or None) for lang in LANGUAGE_COLUMNS}


def _merge_all(session: Session, model: type[Base], rows: list[dict[str, Any]]) -> int:
    """Insert new rows and overwrite every column of existing ones (labels included, a blank
    label becoming NULL): re-running the seed brings an existing database up to date."""
    for row in rows:
        session.merge(model(**row))
    return len(rows)


def _vocabulary_rows(path: Path, *, extra: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    rows = []
    for order, row in enumerate(read_csv(path), start=1):
        item: dict[str, Any] = {"code": row["code"], "sort_order": order, **_labels(row, "label_")}
        item.update({name: row.get(name) or None for name in extra})
        rows.append(item)
    return rows


def country_region_codes(row: dict[str, str]) -> list[str]:
    """Every region and group a country belongs to, as codes of regions.csv."""
    codes = [f"m49-{row[col]}" for col in M49_COLUMNS if row.get(col)]
    if row.get("hrc_group"):
        codes.append(HRC_GROUP_CODES[row["hrc_group"]])
    codes += [flag for flag in UN_GROUP_FLAGS if row.get(flag) == "1"]
    return codes


def load_reference_data(session: Session, seed_dir: Path = SEED_DIR) -> SeedReport:
    report = SeedReport()
    regions = [
        {
            "code": r["code"],
            "kind": r["kind"],
            "parent_code": r["parent_code"] or None,
            **_labels(r, "name_"),
        }
        for r in read_csv(seed_dir / "regions.csv")
    ]
    # Parents before children, so that the self-referencing foreign key is satisfied.
    parents = {r["code"]: r["parent_code"] for r in regions}

    def depth(code: str | None) -> int:
        return 0 if code is None else 1 + depth(parents.get(code))

    regions.sort(key=lambda r: (depth(r["parent_code"]), r["code"]))
    report.counts["regions"] = _merge_all(session, Region, regions)
    session.flush()

    country_rows = list(read_csv(seed_dir / "countries.csv"))
    countries = [
        {
            "iso3": r["iso3"],
            "iso2": r["iso2"] or None,
            "m49": r["m49"] or None,
            "un_status": r["un_status"],
            **_labels(r, "name_"),
        }
        for r in country_rows
    ]
    report.counts["countries"] = _merge_all(session, Country, countries)
    session.flush()
    session.execute(delete(region_members))
    links = [
        {"region_code": code, "country_iso3": r["iso3"]}
        for r in country_rows
        for code in country_region_codes(r)
    ]
    session.execute(insert(region_members), links)
    report.counts["region memberships"] = len(links)

    vocabularies: list[tuple[str, type[Base], tuple[str, ...]]] = [
        ("themes.csv", Theme, ()),
        ("groups_of_persons.csv", GroupOfPersons, ()),
        ("sdg_goals.csv", SdgGoal, ()),
        ("assistance_types.csv", AssistanceType, ("description_en",)),
        ("languages.csv", Language, ()),
    ]
    for filename, model, extra in vocabularies:
        rows = _vocabulary_rows(seed_dir / filename, extra=extra)
        if model is Language:  # then every other ISO 639-1 language, named by CLDR
            rows += iso639_1_rows(row["code"] for row in rows)
        report.counts[model.__tablename__] = _merge_all(session, model, rows)
    session.flush()
    session.execute(delete(country_languages))
    spoken = [
        {"country_iso3": row["iso3"], "language_code": code}
        for row in read_csv(seed_dir / "state_languages.csv")
        for code in row["languages"].split("|")
        if code
    ]
    session.execute(insert(country_languages), spoken)
    report.counts["country languages"] = len(spoken)
    return report
