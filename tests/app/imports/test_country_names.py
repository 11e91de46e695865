"""CountryNameIndex against the real seed data and the UPR Info cycle-1 extract."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import pytest

from app.imports.country_names import CountryNameIndex, load_aliases, normalize_name

SEED = Path(__file__).resolve().parents[3] / "seed_data"
UPR_INFO = SEED / "upr_info" / "upr_info_cycle1_sessions01-12.csv"
# The only value in the UPR Info extract that is not a State: an HTML-escaped "(Unknown)" in
# recommending_state (9 rows). It must stay unresolved rather than be guessed.
UPR_INFO_PLACEHOLDERS = {"&#40;Unknown&#41;"}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def countries() -> list[dict[str, str]]:
    return read_csv(SEED / "countries.csv")


@pytest.fixture(scope="module")
def index() -> CountryNameIndex:
    return CountryNameIndex.from_csv(SEED / "countries.csv")


@pytest.fixture(scope="module")
def upr_rows() -> list[dict[str, str]]:
    return read_csv(UPR_INFO)


# --- the UPR Info extract: every distinct name ----------------------------------------------


def test_upr_info_every_name_resolves(index, upr_rows):
    under_review = {row["state_under_review"] for row in upr_rows}
    recommending = {row["recommending_state"] for row in upr_rows}
    names = (under_review | recommending) - UPR_INFO_PLACEHOLDERS
    assert len(upr_rows) == 21356
    assert len(names) == 195

    # Exact/alias resolution only: real data must not depend on the fuzzy fallback.
    unresolved = sorted(name for name in names if index.resolve(name, fuzzy=False) is None)
    assert unresolved == []
    # ...and the fuzzy path agrees with it.
    assert all(index.resolve(name) == index.resolve(name, fuzzy=False) for name in names)


def test_upr_info_placeholder_stays_unresolved(index, upr_rows):
    placeholders = [r for r in upr_rows if r["recommending_state"] in UPR_INFO_PLACEHOLDERS]
    assert len(placeholders) == 9
    assert all(index.resolve(name) is None for name in UPR_INFO_PLACEHOLDERS)
    assert UPR_INFO_PLACEHOLDERS.isdisjoint(r["state_under_review"] for r in upr_rows)


def test_upr_info_one_recommending_state_per_row(index, upr_rows):
    # The column never lists several States: each value is one name that resolves to one code.
    values = {r["recommending_state"] for r in upr_rows} - UPR_INFO_PLACEHOLDERS
    assert not any(";" in value or "|" in value or "," in value for value in values)
    assert len({index.resolve(value) for value in values}) == len(values)


def test_upr_info_states_under_review_are_the_193_members(index, upr_rows, countries):
    status = {c["iso3"]: c["un_status"] for c in countries}
    codes = {index.resolve(r["state_under_review"]) for r in upr_rows}
    assert len(codes) == 193
    assert {status[code] for code in codes if code} == {"member"}


def test_upr_info_observers_recommend(index, upr_rows):
    codes = {index.resolve(r["recommending_state"]) for r in upr_rows}
    assert {"VAT", "PSE"} <= codes


UPR_INFO_SPOT_CHECKS = {
    "Antigua & Barbuda": "ATG",
    "Bolivia": "BOL",
    "Bosnia & Herzegovina": "BIH",
    "Brunei Darussalam": "BRN",
    "Cape Verde": "CPV",
    "Cote d'Ivoire": "CIV",
    "Czech Republic": "CZE",
    "DPR Korea": "PRK",
    "Democratic Republic of Congo": "COD",
    "Republic of Congo": "COG",
    "Republic of Korea": "KOR",
    "Dominica": "DMA",
    "Dominican Republic": "DOM",
    "Guinea": "GIN",
    "Guinea Bissau": "GNB",
    "Equatorial Guinea": "GNQ",
    "Papua New Guinea": "PNG",
    "Niger": "NER",
    "Nigeria": "NGA",
    "Sudan": "SDN",
    "South Sudan": "SSD",
    "Holy See": "VAT",
    "Palestine": "PSE",
    "Iran": "IRN",
    "Laos": "LAO",
    "Macedonia FYR": "MKD",
    "Micronesia": "FSM",
    "Moldova": "MDA",
    "Sao Tome & Principe": "STP",
    "St Kitts & Nevis": "KNA",
    "St Lucia": "LCA",
    "St Vincent & the Grenadines": "VCT",
    "Swaziland": "SWZ",
    "Syria": "SYR",
    "Tanzania": "TZA",
    "Turkey": "TUR",
    "United Kingdom": "GBR",
    "United States": "USA",
    "Venezuela": "VEN",
    "Viet Nam": "VNM",
    "Netherlands": "NLD",
    "Russian Federation": "RUS",
}


@pytest.mark.parametrize(("name", "iso3"), UPR_INFO_SPOT_CHECKS.items())
def test_upr_info_spot_checks(index, upr_rows, name, iso3):
    assert any(name in (r["state_under_review"], r["recommending_state"]) for r in upr_rows)
    assert index.resolve(name) == iso3


def test_resolving_the_whole_extract_is_fast(upr_rows):
    index = CountryNameIndex.from_csv(SEED / "countries.csv")
    start = time.perf_counter()
    codes = [
        (index.resolve(r["state_under_review"]), index.resolve(r["recommending_state"]))
        for r in upr_rows
    ]
    elapsed = time.perf_counter() - start
    assert len(codes) == 21356
    assert elapsed < 0.5


def test_seen_names_come_from_the_cache(monkeypatch):
    index = CountryNameIndex.from_csv(SEED / "countries.csv")
    assert index.resolve("Swizerland") == "CHE"
    assert index.resolve("Korea") is None

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("cache miss")

    monkeypatch.setattr(index, "_lookup", fail)
    assert index.resolve("Swizerland") == "CHE"
    assert index.resolve("Korea") is None


# --- official names -------------------------------------------------------------------------


def test_every_official_name_resolves_to_its_own_code(index, countries):
    columns = ("name_en", "name_fr", "name_es", "name_ru", "name_zh", "name_ar")
    wrong = [
        (c["iso3"], column, c[column], index.resolve(c[column]))
        for c in countries
        for column in columns
        if c[column] and index.resolve(c[column]) != c["iso3"]
    ]
    assert wrong == []


def test_derived_short_forms_of_saint_martin_are_ambiguous(index):
    # French "Saint-Martin (partie française|néerlandaise)" both shorten to "Saint-Martin".
    assert index.resolve("Saint-Martin") is None
    assert index.is_ambiguous("Saint-Martin")
    assert index.resolve("Saint-Martin (partie française)") == "MAF"
    assert index.resolve("Sint Maarten") == "SXM"
    assert index.resolve("Saint Martin (French Part)") == "MAF"


# --- forms named in the brief ----------------------------------------------------------------

FORMS = {
    # Names as UN reports in French, Spanish and Russian write them since 2022
    "Тюркийе": "TUR",
    "Pays-Bas (Royaume des)": "NLD",
    "Нидерланды (Королевство)": "NLD",
    "Netherlands": "NLD",  # UN short names until 2024
    "Нидерланды": "NLD",
    "教廷": "VAT",
    "玻利维亚（多民族国）": "BOL",
    # UN formal / parenthetical forms and their readings
    "Bolivia (Plurinational State of)": "BOL",
    "Plurinational State of Bolivia": "BOL",
    "Venezuela (Bolivarian Republic of)": "VEN",
    "Bolivarian Republic of Venezuela": "VEN",
    "Iran (Islamic Republic of)": "IRN",
    "Islamic Republic of Iran": "IRN",
    "Iran, Islamic Republic of": "IRN",
    "Congo (Democratic Republic of)": "COD",
    "Congo, Democratic Republic of the": "COD",
    "Micronesia (Federated States of)": "FSM",
    "Federated States of Micronesia": "FSM",
    "Netherlands (Kingdom of the)": "NLD",
    "Kingdom of the Netherlands": "NLD",
    "Korea (Republic of)": "KOR",
    "Korea, Democratic People's Republic of": "PRK",
    "Tanzania (United Republic of)": "TZA",
    "Moldova (Republic of)": "MDA",
    "Macedonia (the former Yugoslav Republic of)": "MKD",
    "Bahamas (The)": "BHS",
    "Afghanistan (l')": "AFG",
    # short and older names
    "United States": "USA",
    "USA": "USA",
    "United States of America": "USA",
    "United Kingdom": "GBR",
    "UK": "GBR",
    "Russia": "RUS",
    "Iran": "IRN",
    "Syria": "SYR",
    "Bolivia": "BOL",
    "Venezuela": "VEN",
    "Tanzania": "TZA",
    "Vietnam": "VNM",
    "Viet Nam": "VNM",
    "Laos": "LAO",
    "Lao PDR": "LAO",
    "Moldova": "MDA",
    "Macedonia": "MKD",
    "The former Yugoslav Republic of Macedonia": "MKD",
    "North Macedonia": "MKD",
    "Turkey": "TUR",
    "Türkiye": "TUR",
    "Turkiye": "TUR",
    "Cape Verde": "CPV",
    "Cabo Verde": "CPV",
    "Swaziland": "SWZ",
    "Eswatini": "SWZ",
    "Ivory Coast": "CIV",
    "Côte d'Ivoire": "CIV",
    "Czech Republic": "CZE",
    "Czechia": "CZE",
    "Holy See": "VAT",
    "Palestine": "PSE",
    "State of Palestine": "PSE",
    "Democratic Republic of the Congo": "COD",
    "Republic of Korea": "KOR",
    "Democratic People's Republic of Korea": "PRK",
    "North Korea": "PRK",
    "Brunei": "BRN",
    "Timor-Leste": "TLS",
    "East Timor": "TLS",
    "Burma": "MMR",
    "Myanmar": "MMR",
    "Kyrgyzstan": "KGZ",
    "Kyrgyz Republic": "KGZ",
    "Slovakia": "SVK",
    "Slovak Republic": "SVK",
    "Gambia": "GMB",
    "The Gambia": "GMB",
    "Bahamas": "BHS",
    "Micronesia": "FSM",
    "Saint Vincent and the Grenadines": "VCT",
    "St. Vincent & Grenadines": "VCT",
    "Libyan Arab Jamahiriya": "LBY",
    # French, Spanish, Russian
    "Bolivie (État plurinational de)": "BOL",
    "État plurinational de Bolivie": "BOL",
    "Iran (République islamique d\u2019)": "IRN",
    "République islamique d'Iran": "IRN",
    "l'Iran": "IRN",
    "la République de Corée": "KOR",
    "les États-Unis": "USA",
    "Royaume-Uni": "GBR",
    "Pays-Bas": "NLD",
    "Saint-Vincent-et-les-Grenadines": "VCT",
    "Irán (República Islámica del)": "IRN",
    "Países Bajos (Reino de los)": "NLD",
    "los Estados Unidos": "USA",
    "El Salvador": "SLV",
    "Trinidad y Tobago": "TTO",
    "Иран (Исламская Республика)": "IRN",
    "Исламская Республика Иран": "IRN",
    "Боливия": "BOL",
    "Россия": "RUS",
    "Соединённые Штаты Америки": "USA",
    "Папуа-Новая Гвинея": "PNG",
    "Кот-д'Ивуар": "CIV",
    # Chinese and Arabic: exact names
    "伊朗伊斯兰共和国": "IRN",
    "俄罗斯联邦": "RUS",
    "الجزائر": "DZA",
}


@pytest.mark.parametrize(("name", "iso3"), FORMS.items())
def test_known_forms(index, name, iso3):
    assert index.resolve(name) == iso3


@pytest.mark.parametrize(
    "name",
    ["Côte d'Ivoire", "Côte d\u2019Ivoire", "Côte d\u02bcIvoire", "COTE D'IVOIRE", "cote d ivoire"],
)
def test_apostrophes_accents_and_case(index, name):
    assert index.resolve(name) == "CIV"


def test_normalize_name():
    assert normalize_name("  The  Côte d\u2019Ivoire ") == "cote d ivoire"
    assert normalize_name("St Kitts & Nevis") == "saint kitts and nevis"
    assert normalize_name("Bahamas (The)") == "bahamas"
    assert normalize_name("Guinea-Bissau") == "guinea bissau"
    assert normalize_name("Соединённые Штаты") == "соединенные штаты"
    assert normalize_name("&#40;Unknown&#41;") == "unknown"


# --- confusable names -------------------------------------------------------------------------

CONFUSABLE = {
    "Niger": "NER",
    "Nigeria": "NGA",
    "Guinea": "GIN",
    "Equatorial Guinea": "GNQ",
    "Guinea-Bissau": "GNB",
    "Papua New Guinea": "PNG",
    "Dominica": "DMA",
    "Dominican Republic": "DOM",
    "Congo": "COG",
    "Democratic Republic of the Congo": "COD",
    "Sudan": "SDN",
    "South Sudan": "SSD",
    "Austria": "AUT",
    "Australia": "AUS",
    "Iran": "IRN",
    "Iraq": "IRQ",
    "Mali": "MLI",
    "Malta": "MLT",
}


@pytest.mark.parametrize(("name", "iso3"), CONFUSABLE.items())
def test_confusable_names_resolve_exactly(index, name, iso3):
    assert index.resolve(name) == iso3


@pytest.mark.parametrize(
    "name",
    [
        "Korea",  # ambiguous: KOR or PRK
        "Corée",
        "Корея",
        "Korae",  # near-miss of an ambiguous name
        "Dominican",  # Dominica or Dominican Republic?
        "Dominicana",
        "Nigerian",  # Niger or Nigeria?
        "Nigera",
        "Guinean",
        "Guine",
        "Guinea Equatorial",  # begins with another country's name: never guessed
        "Sudanese",
        "Austrlia",  # Australia or Austria: no margin
        "Freedonia",
        "OPCAT",
        "European Union",
        "",
        "   ",
    ],
)
def test_ambiguous_or_unknown_names_do_not_resolve(index, name):
    assert index.resolve(name) is None


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("Swizerland", "CHE"),
        ("Phillipines", "PHL"),
        ("Columbia", "COL"),
        ("Kazakstan", "KAZ"),
        ("Kyrgystan", "KGZ"),
        ("Azerbaijian", "AZE"),
        ("Madagaskar", "MDG"),
        ("Banglades", "BGD"),
        ("Papua New Guinee", "PNG"),
        ("Equatorial Guinee", "GNQ"),
        ("Democratic Republic Congo", "COD"),
        ("Germny", "DEU"),
    ],
)
def test_fuzzy_fallback_for_typos(index, name, iso3):
    assert index.resolve(name) == iso3
    assert index.resolve(name, fuzzy=False) is None


# --- construction ----------------------------------------------------------------------------

ROWS = [
    {"iso3": "KOR", "name_en": "Republic of Korea", "name_fr": "", "name_es": "", "name_ru": "",
     "name_zh": "", "name_ar": ""},
    {"iso3": "PRK", "name_en": "Democratic People's Republic of Korea", "name_fr": "",
     "name_es": "", "name_ru": "", "name_zh": "", "name_ar": ""},
    {"iso3": "BOL", "name_en": "Bolivia (Plurinational State of)", "name_fr": "", "name_es": "",
     "name_ru": "", "name_zh": "", "name_ar": ""},
]  # fmt: skip


def test_from_rows_with_aliases():
    index = CountryNameIndex.from_rows(ROWS, {"South Korea": "KOR", "Korea": ""})
    assert index.resolve("south korea") == "KOR"
    assert index.resolve("Korea") is None
    assert index.is_ambiguous("Korea")
    assert index.resolve("Bolivia") == "BOL"
    assert index.resolve("Plurinational State of Bolivia") == "BOL"
    assert CountryNameIndex.from_rows(ROWS).resolve("South Korea") is None


def test_from_rows_rejects_bad_aliases():
    with pytest.raises(ValueError, match="unknown ISO3"):
        CountryNameIndex.from_rows(ROWS, {"Ruritania": "RUR"})
    with pytest.raises(ValueError, match="conflicts"):
        CountryNameIndex.from_rows(ROWS, {"South Korea": "KOR", "SOUTH KOREA": "PRK"})


def test_from_csv_without_aliases(tmp_path):
    (tmp_path / "countries.csv").write_text(
        (SEED / "countries.csv").read_text(encoding="utf-8"), encoding="utf-8"
    )
    index = CountryNameIndex.from_csv(tmp_path / "countries.csv")
    assert index.resolve("Denmark") == "DNK"
    assert index.resolve("Russia") is None  # alias file absent
    with_aliases = CountryNameIndex.from_csv(
        tmp_path / "countries.csv", aliases_path=SEED / "country_aliases.csv"
    )
    assert with_aliases.resolve("Russia") == "RUS"


def test_alias_file(countries):
    text = (SEED / "country_aliases.csv").read_text(encoding="utf-8")
    assert text.split("\n", 1)[0] == "alias,iso3,note"
    rows = read_csv(SEED / "country_aliases.csv")
    assert all(row["note"].strip() for row in rows)
    aliases = load_aliases(SEED / "country_aliases.csv")
    assert len(aliases) == len(rows)
    codes = {c["iso3"] for c in countries}
    assert {code for code in aliases.values() if code} <= codes
    index = CountryNameIndex.from_csv(SEED / "countries.csv")
    for alias, code in aliases.items():
        assert index.resolve(alias) == (code or None), alias
