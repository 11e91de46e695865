"""Checks on the reference data shipped in seed_data/ (see seed_data/README.md).

Standard library only; reads the files relative to the repository root.
"""

import csv
import json
import re
from collections import Counter
from pathlib import Path

import pytest

SEED = Path(__file__).resolve().parents[2] / "seed_data"

# Decided sizes (seed_data/README.md explains each one).
HRC_SIZES = {
    "african": 54,
    "asia_pacific": 54,  # incl. Kiribati, excl. Türkiye
    "eastern_european": 23,
    "grulac": 33,
    "weog": 29,  # incl. Türkiye and the USA
}
HRC_CODES = {
    "african": "hrc-african",
    "asia_pacific": "hrc-asia-pacific",
    "eastern_european": "hrc-eastern-european",
    "grulac": "hrc-grulac",
    "weog": "hrc-weog",
}
# (among UN members, among all M49 areas)
UN_GROUP_COUNTS = {"ldc": (44, 44), "lldc": (32, 32), "sids": (37, 53)}
LANGS = ["en", "fr", "es", "ru", "zh", "ar"]


def read(name):
    path = SEED / name
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), f"{name} has a BOM"
    assert b"\r" not in raw, f"{name} has CR line endings"
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def countries():
    return read("countries.csv")


@pytest.fixture(scope="module")
def members(countries):
    return [c for c in countries if c["un_status"] == "member"]


@pytest.fixture(scope="module")
def regions():
    return read("regions.csv")


@pytest.fixture(scope="module")
def theme_codes():
    return {t["code"] for t in read("themes.csv")}


def test_headers():
    expected = {
        "countries.csv": "iso3,iso2,m49,name_en,name_fr,name_es,name_ru,name_zh,name_ar,"
        "un_status,hrc_group,region,subregion,intermediate_region,ldc,lldc,sids",
        "regions.csv": "code,kind,name_en,name_fr,name_es,name_ru,name_zh,name_ar,parent_code",
        "themes.csv": "code,label_en,label_fr,label_es,label_ru,label_zh,label_ar",
        "theme_aliases.csv": "alias,theme_code,kind,note",
        "groups_of_persons.csv": "code,label_en,label_fr,label_es,label_ru,label_zh,label_ar",
        "group_aliases.csv": "alias,group_code,kind,note",
        "sdg_goals.csv": "code,number,label_en,label_fr,label_es,label_ru,label_zh,label_ar",
        "assistance_types.csv": "code,label_en,label_fr,label_es,label_ru,label_zh,label_ar,"
        "description_en",
        "upr_info_issue_crosswalk.csv": "upr_info_issue,theme_codes,note",
        "upr_sessions.csv": "session,year,cycle",
    }
    for name, header in expected.items():
        first = (SEED / name).read_text(encoding="utf-8").split("\n", 1)[0]
        assert first == header, name


# --- countries --------------------------------------------------------------


def test_country_codes(countries):
    iso3 = [c["iso3"] for c in countries]
    assert len(iso3) == len(set(iso3))
    assert all(re.fullmatch(r"[A-Z]{3}", c) for c in iso3)
    iso2 = [c["iso2"] for c in countries]
    assert len(iso2) == len(set(iso2))
    assert all(re.fullmatch(r"[A-Z]{2}", c) for c in iso2)
    assert all(re.fullmatch(r"\d{3}", c["m49"]) for c in countries)
    assert len(countries) == 248


def test_names(countries):
    assert all(c["name_en"].strip() for c in countries)
    for c in countries:
        if c["un_status"] in ("member", "observer"):
            for lang in LANGS:
                assert c[f"name_{lang}"].strip(), (c["iso3"], lang)
        for lang in LANGS:
            assert "*" not in c[f"name_{lang}"], c["iso3"]


def test_un_status(countries, members):
    status = Counter(c["un_status"] for c in countries)
    assert set(status) == {"member", "observer", "other"}
    assert status["member"] == 193
    observers = {c["iso3"] for c in countries if c["un_status"] == "observer"}
    assert observers == {"VAT", "PSE"}


def test_hrc_groups(countries, members):
    for c in countries:
        if c["un_status"] != "member":
            assert c["hrc_group"] == "", c["iso3"]
    # every member in exactly one group (one column => at most one)
    assert all(m["hrc_group"] in HRC_SIZES for m in members)
    sizes = Counter(m["hrc_group"] for m in members)
    assert dict(sizes) == HRC_SIZES
    assert sum(HRC_SIZES.values()) == 193
    by = {m["iso3"]: m["hrc_group"] for m in members}
    assert by["TUR"] == "weog"
    assert by["USA"] == "weog"
    assert by["COD"] == "african"
    assert by["VEN"] == "grulac"
    assert by["KIR"] == "asia_pacific"


def test_un_groups(countries, members):
    for key, (n_members, n_all) in UN_GROUP_COUNTS.items():
        assert all(c[key] in ("0", "1") for c in countries)
        assert sum(c[key] == "1" for c in members) == n_members, key
        assert sum(c[key] == "1" for c in countries) == n_all, key
    by = {c["iso3"]: c for c in countries}
    assert by["BTN"]["ldc"] == "0"  # graduated Dec 2023
    assert by["STP"]["ldc"] == "0"  # graduated Dec 2024
    for iso3 in ("BGD", "LAO", "NPL", "SLB"):  # graduations not yet in effect on 2026-11-23
        assert by[iso3]["ldc"] == "1", iso3
    assert by["BHR"]["sids"] == "0"
    assert by["SGP"]["sids"] == "1"


def test_region_codes_exist(countries, regions):
    kinds = {r["code"]: r["kind"] for r in regions}
    for c in countries:
        for col, kind in (
            ("region", "m49_region"),
            ("subregion", "m49_subregion"),
            ("intermediate_region", "m49_intermediate_region"),
        ):
            if c[col]:
                assert re.fullmatch(r"\d{3}", c[col])
                assert kinds.get(f"m49-{c[col]}") == kind, (c["iso3"], col)
        if c["hrc_group"]:
            assert kinds.get(HRC_CODES[c["hrc_group"]]) == "hrc_group"
    for code in ("ldc", "lldc", "sids"):
        assert kinds.get(code) == "un_group"
    assert kinds["m49-143"] == "m49_subregion"


def test_regions(regions, countries):
    codes = [r["code"] for r in regions]
    assert len(codes) == len(set(codes))
    assert {r["kind"] for r in regions} == {
        "m49_region",
        "m49_subregion",
        "m49_intermediate_region",
        "hrc_group",
        "un_group",
    }
    by = {r["code"]: r for r in regions}
    assert all(r["name_en"].strip() for r in regions)
    parent_kind = {"m49_subregion": "m49_region", "m49_intermediate_region": "m49_subregion"}
    for r in regions:
        if r["kind"] in parent_kind:
            assert by[r["parent_code"]]["kind"] == parent_kind[r["kind"]], r["code"]
        else:
            assert r["parent_code"] == "", r["code"]
    assert by["m49-014"]["parent_code"] == "m49-202"
    # names in the six UN languages (M49 names of the UNSD, UN names of the groups)
    for lang in LANGS:
        names = [r[f"name_{lang}"].strip() for r in regions]
        assert all(names), lang
        assert len(set(names)) == len(regions), lang
    assert by["m49-202"]["name_fr"] == "Afrique subsaharienne"
    assert by["m49-202"]["name_zh"] == "撒哈拉以南非洲"
    assert by["m49-202"]["name_ar"] == "أفريقيا جنوب الصحراء الكبرى"
    assert by["sids"]["name_es"] == "Pequeños Estados insulares en desarrollo"
    # country hierarchy consistent with region parents
    for c in countries:
        if c["intermediate_region"]:
            assert by[f"m49-{c['intermediate_region']}"]["parent_code"] == f"m49-{c['subregion']}"
        if c["subregion"]:
            assert by[f"m49-{c['subregion']}"]["parent_code"] == f"m49-{c['region']}"


# --- themes and vocabularies -------------------------------------------------


def test_themes():
    rows = read("themes.csv")
    assert len(rows) == 84
    codes = [r["code"] for r in rows]
    assert len(set(codes)) == 84
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", c) and len(c) <= 40 for c in codes)
    assert len({r["label_en"] for r in rows}) == 84
    for lang in LANGS[1:]:  # the other five UN languages: every label, all distinct
        labels = [r[f"label_{lang}"].strip() for r in rows]
        assert all(labels), lang
        assert len(set(labels)) == 84, lang
    torture = next(r for r in rows if r["code"] == "torture")
    assert torture["label_fr"] == "Interdiction de la torture et des mauvais traitements"
    assert torture["label_zh"] == "禁止酷刑和虐待"
    assert torture["label_ar"] == "حظر التعذيب وسوء المعاملة"
    assert {"nhri", "nmirf", "torture", "death-penalty", "right-to-education"} <= set(codes)


def test_theme_aliases(theme_codes):
    rows = read("theme_aliases.csv")
    assert len(rows) == 79  # 29 from the reference list, 50 older UHRI headings (README)
    assert len({r["alias"] for r in rows}) == len(rows)
    for r in rows:
        assert r["kind"] in ("exact", "closest", "none")
        if r["kind"] == "none":
            assert r["theme_code"] == ""
        else:
            assert r["theme_code"] in theme_codes, r
    assert Counter(r["kind"] for r in rows) == {"exact": 54, "closest": 22, "none": 3}


def test_groups_of_persons():
    rows = read("groups_of_persons.csv")
    assert len(rows) == 24
    assert len({r["code"] for r in rows}) == 24
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", r["code"]) for r in rows)
    for lang in LANGS:  # the six UN languages: every label, all distinct
        labels = [r[f"label_{lang}"].strip() for r in rows]
        assert all(labels), lang
        assert len(set(labels)) == 24, lang


def test_group_aliases():
    codes = {r["code"] for r in read("groups_of_persons.csv")}
    labels = {r["label_en"].casefold() for r in read("groups_of_persons.csv")}
    rows = read("group_aliases.csv")
    assert len({r["alias"].casefold() for r in rows}) == len(rows) == 71
    assert Counter(r["kind"] for r in rows) == {"exact": 27, "closest": 35, "none": 9}
    for r in rows:
        assert r["alias"].casefold() not in labels, r
        assert r["kind"] in ("exact", "closest", "none"), r
        assert r["note"], r
        if r["kind"] == "none":
            assert r["group_code"] == "", r
        else:
            assert r["group_code"] in codes, r
    by = {r["alias"]: (r["group_code"], r["kind"]) for r in rows}
    # The UHRI's own wordings of its export (README, "group_aliases.csv").
    assert by["Women"] == ("women-girls", "closest")
    assert by["Minorities/racial, ethnic, linguistic, religious or descent-based groups"] == (
        "minorities",
        "exact",
    )
    assert by["Lesbian, gay, bisexual, transgender and intersex persons"] == ("lgbti", "exact")
    assert by["Non-citizens"] == ("", "none")
    assert by["General"] == ("", "none")


def test_crosswalk(theme_codes):
    rows = read("upr_info_issue_crosswalk.csv")
    assert len(rows) == 54
    assert len({r["upr_info_issue"] for r in rows}) == 54
    for r in rows:
        codes = r["theme_codes"].split("|")
        assert codes, r
        assert all(c in theme_codes for c in codes), r
        assert len(codes) == len(set(codes))
    by = {r["upr_info_issue"]: r["theme_codes"].split("|") for r in rows}
    assert by["Torture and other CID treatment"] == ["torture"]
    assert by["NHRI"] == ["nhri"]


def test_sdgs():
    rows = read("sdg_goals.csv")
    assert [r["code"] for r in rows] == [f"sdg-{i}" for i in range(1, 18)]
    assert [int(r["number"]) for r in rows] == list(range(1, 18))
    for lang in LANGS:
        assert all(r[f"label_{lang}"].strip() for r in rows), lang
    assert rows[0]["label_en"] == "No poverty"
    assert rows[0]["label_zh"] == "无贫穷"


def test_assistance_types():
    rows = read("assistance_types.csv")
    assert [r["code"] for r in rows] == [
        "legislative-review",
        "institution-building",
        "training",
        "data-statistics",
        "action-plan",
        "nmirf-support",
        "awareness-raising",
        "expert-deployment",
        "funding",
        "peer-exchange",
    ]
    for r in rows:
        for lang in LANGS:
            assert r[f"label_{lang}"].strip(), (r["code"], lang)
        assert r["description_en"].strip()


def test_upr_sessions():
    rows = read("upr_sessions.csv")
    assert [int(r["session"]) for r in rows] == list(range(1, 55))
    years = [int(r["year"]) for r in rows]
    assert years == sorted(years)
    assert years[0] == 2008
    for r in rows:
        s, cycle = int(r["session"]), int(r["cycle"])
        assert cycle == (1 if s <= 12 else 2 if s <= 26 else 3 if s <= 40 else 4)


def test_request_style_tagging_texts():
    """seed_data/tagging/requests/{lang}.jsonl: every theme and group once per language, seven
    distinct request-style texts each, no text repeated within a language."""
    themes = {r["code"] for r in read("themes.csv")}
    groups = {r["code"] for r in read("groups_of_persons.csv")}
    for lang in LANGS:
        raw = (SEED / "tagging/requests" / f"{lang}.jsonl").read_text(encoding="utf-8")
        rows = [json.loads(line) for line in raw.splitlines()]
        keys = [(r["kind"], r["code"]) for r in rows]
        assert keys == sorted(keys), lang
        assert {c for k, c in keys if k == "theme"} == themes, lang
        assert {c for k, c in keys if k == "group"} == groups, lang
        assert len(keys) == len(themes) + len(groups), lang
        texts = [t for r in rows for t in r["requests"]]
        assert all(r["lang"] == lang and len(set(r["requests"])) == 7 for r in rows), lang
        assert all(t.strip() == t and t for t in texts), lang
        assert len(set(texts)) == len(texts), lang
