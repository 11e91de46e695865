"""Write seed_data/state_languages.csv: the working languages each country uses, from CLDR
(via Babel): the six UN languages and Portuguese that are official there or spoken by at least
10% of the population, most spoken first. A developer tool; the service reads the CSV."""

from __future__ import annotations

import csv
from pathlib import Path

from babel.languages import get_territory_language_info

ROOT = Path(__file__).resolve().parents[1]
WORKING = {"ar", "zh", "en", "fr", "ru", "es", "pt"}
OFFICIAL = {"official", "de_facto_official"}


def languages_of(iso2: str) -> list[str]:
    info = get_territory_language_info(iso2)
    found: dict[str, float] = {}
    for tag, facts in info.items():
        code = tag.split("_")[0]
        share = float(facts.get("population_percent") or 0)
        if code in WORKING and (facts.get("official_status") in OFFICIAL or share >= 10):
            found[code] = max(found.get(code, 0.0), share)
    return sorted(found, key=lambda c: (-found[c], c))


def main() -> None:
    countries = list(csv.DictReader((ROOT / "seed_data/countries.csv").open(encoding="utf-8")))
    with (ROOT / "seed_data/state_languages.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["iso3", "languages"])
        for row in countries:
            if row["iso2"]:
                writer.writerow([row["iso3"], "|".join(languages_of(row["iso2"]))])


if __name__ == "__main__":
    main()
