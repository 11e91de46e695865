#!/usr/bin/env python3
"""Write the UHRI export fixture in the UHRI's real wording, and what importing it must give.

    python tools/build_import_fixtures.py

writes `tests/app/imports/fixtures/uhri_export_real_wording.json` (rows in the layout of a UHRI
full export: misspelt column names, "- " lists, Excel serial dates) and, beside it,
`uhri_export_real_wording.expected.json`: for each OHCHR Annotation Id the theme and group codes
the import must store. The expected codes are written down here, label by label, from the
UHRI's wording (`THEMES`, `GROUPS` below); they are not computed with the importer or with
seed_data's alias tables. Texts are real recommendations (UPR Info cycle-1 file, re-used under
fictional annotation ids); labels are the UHRI's affected-persons and theme wordings, written
the way exports and people write them: en dashes typed as hyphens, "resources(for" without a
space, lower-case, doubled or missing spaces around slashes. A few labels are deliberately
unknown (wordings in no table) or have no counterpart (documented "none"): their rows must still
be imported.
Deterministic: the same bytes on every run.
"""

from __future__ import annotations

import csv
import json
import random
import re
from collections.abc import Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "app" / "imports" / "fixtures"
UPR_INFO = REPO / "seed_data" / "upr_info" / "upr_info_cycle1_sessions01-12.csv"
NAME = "uhri_export_real_wording"

# UHRI wording -> the group code it must give (None: no counterpart, dropped and reported).
GROUPS: dict[str, str | None] = {
    "Women": "women-girls",
    "Girls": "women-girls",
    "Women & girls": "women-girls",
    "Children": "children",
    "Children in vulnerable situations": "children-vulnerable",
    "Children in vulnerable situations (street children, children in armed conflict, children "
    "in conflict with the law)": "children-vulnerable",
    "Youth": "youth",
    "Older persons": "older-persons",
    "Persons with disabilities": "persons-with-disabilities",
    "Indigenous peoples": "indigenous-peoples",
    "Minorities/racial, ethnic, linguistic, religious or descent-based groups": "minorities",
    "minorities/ racial, ethnic, linguistic, religious or descent-based groups": "minorities",
    "Migrants": "migrants",
    "Migrants & domestic workers": "migrants",
    "Refugees & asylum seekers": "refugees-asylum-seekers",
    "Refugees and asylum seekers": "refugees-asylum-seekers",
    "Internally displaced persons": "idps",
    "Stateless persons": "stateless-persons",
    "Non-citizens": None,
    "non-citizens": None,
    "LGBTI persons": "lgbti",
    "Lesbian, gay, bisexual, transgender and intersex persons": "lgbti",
    "Persons deprived of their liberty": "persons-deprived-of-liberty",
    "Persons deprived of liberty": "persons-deprived-of-liberty",
    "Persons living in poverty": "persons-in-poverty",
    "Persons living in rural areas": None,
    "Human rights defenders": "civil-society",
    "Journalists/media": "media",
    "Media": "media",
    "Judges, lawyers and prosecutors": "judges-lawyers-prosecutors",
    "Law enforcement / police officials": "law-enforcement-officials",
    "Law enforcement/police officials": "law-enforcement-officials",
    "Public officials": "public-officials",
    "Medical staff": "medical-staff",
    "Educational staff & students": "educational-staff-students",
    "Civil society": "civil-society",
    "Roma, Gypsies, Sinti and Travellers": "roma-travellers",
    "Vulnerable persons/groups": "vulnerable-groups",
    "General": None,
}

# UHRI theme wording (current or older) -> the theme code it must give.
THEMES: dict[str, str | None] = {
    "Prohibition of torture & ill-treatment": "torture",
    "Prohibition of torture & cruel, inhuman or degrading treatment": "torture",
    "Conditions of detention": "conditions-of-detention",
    "Ratification of & accession to international instruments": "ratification",
    "Acceptance of international norms": "ratification",
    "National Human Rights Institution (NHRI)": "nhri",
    "NHRI": "nhri",
    "Death penalty": "death-penalty",
    "Right to life": "right-to-life",
    "Domestic violence": "domestic-violence",
    "Violence against women": "violence-against-women",
    "Discrimination against women": "discrimination-against-women",
    "Sexual & gender-based violence": "gender-based-violence",
    "Sexual & other forms of gender-based violence": "gender-based-violence",
    "Right to education": "right-to-education",
    "Right to health": "right-to-health",
    "Human trafficking & contemporary forms of slavery": "trafficking-slavery",
    "Children: definition/general principles/protection": "children-general",
    "Children: protection against exploitation": "children-exploitation",
    "Children: juvenile justice": "juvenile-justice",
    "Administration of justice & fair trial": "administration-of-justice",
    "Freedom of opinion and expression & access to information": "freedom-of-expression",
    "Freedom of opinion & expression & right to information": "freedom-of-expression",
    "Freedom of association": "freedom-of-association",
    "Right to peaceful assembly": "peaceful-assembly",
    "Cooperation & consultation with civil society": "civil-society-cooperation",
    "Equality & non-discrimination": "non-discrimination",
    "Racial discrimination": "racial-discrimination",
    "Members of minorities": "minorities",
    "Indigenous peoples": "indigenous-peoples",
    "Migrants": "migrants",
    "Refugees & asylum seekers": "refugees-asylum-seekers",
    "Rights related to name, identity & nationality": "name-identity-nationality",
    "Persons with disabilities: accessibility, mobility": "disability-accessibility",
    "Persons with disabilities: definition/general principles": "disability-general",
    "Human rights & poverty": "poverty",
    "Right to an adequate standard of living": "standard-of-living",
    "Right to social security": "social-security",
    "Labour rights and right to work": "right-to-work",
    "Civil & political rights – general measures": "civil-political-rights",
    "ESC rights – general measures": "esc-rights",
    "Budget & resources (for human rights implementation)": "budget-resources",
    "Human rights education, trainings & awareness raising": "human-rights-education",
    "Good governance & corruption": "governance-corruption",
    "Rule of law & impunity": "rule-of-law-impunity",
    "Impunity & transparency": "rule-of-law-impunity",
    "Cooperation with human rights mechanisms & requests for technical assistance": (
        "cooperation-with-mechanisms"
    ),
    "Cooperation & Follow up with Treaty Bodies": "treaty-bodies",
    "National Human Rights Action Plans / implementation plans": "national-action-plans",
    "Inter-State cooperation & development or humanitarian assistance": None,
    "Human rights & climate change": "climate-change",
    "Right to adequate housing": "right-to-housing",
    "Participation of women in political & public life": "women-participation",
    "Private life & privacy": "privacy",
    "Enforced disappearances": "enforced-disappearances",
}

# Labels a row carries on purpose that are in no vocabulary, and that no rule reads (a typing
# slip in a long label is read as the label since 2026-12-08): dropped, reported, row imported.
UNKNOWN_THEME = "Right to schooling"
UNKNOWN_GROUP = "Persons with special needs"

# (words of the texts to draw, themes, groups, SDG goals): each a plausible UHRI annotation.
PROFILES: list[tuple[str, list[str], list[str], list[int]]] = [
    (r"\btorture\b", ["Prohibition of torture & ill-treatment"], ["Persons deprived of their liberty"], [16]),
    (r"\bOPCAT\b|Optional Protocol to the Convention against Torture", ["Ratification of & accession to international instruments", "Prohibition of torture & cruel, inhuman or degrading treatment"], ["Persons deprived of liberty"], [16]),
    (r"\bprison|detention conditions", ["Conditions of detention"], ["Persons deprived of their liberty", "Law enforcement / police officials"], [16]),
    (r"Paris Principles|national human rights institution", ["National Human Rights Institution (NHRI)"], ["General"], [16]),
    (r"death penalty", ["Death penalty", "Right to life"], ["General"], [16]),
    (r"domestic violence", ["Domestic violence", "Violence against women"], ["Women", "Girls"], [5]),
    (r"violence against women", ["Violence against women", "Sexual & other forms of gender-based violence"], ["Women"], [5]),
    (r"discrimination against women|gender equality", ["Discrimination against women"], ["Women & girls"], [5, 10]),
    (r"women.{0,40}(?:political|public life|decision-making)", ["Participation of women in political & public life"], ["Women"], [5]),
    (r"\beducation\b.{0,60}\bgirls\b", ["Right to education"], ["Girls", "Children"], [4, 5]),
    (r"\bhealth\b", ["Right to health"], ["Medical staff", "General"], [3]),
    (r"trafficking", ["Human trafficking & contemporary forms of slavery"], ["Women", "Children in vulnerable situations (street children, children in armed conflict, children in conflict with the law)"], [5, 8, 16]),
    (r"child labour|sexual exploitation of children", ["Children: protection against exploitation"], ["Children in vulnerable situations"], [8, 16]),
    (r"juvenile justice", ["Children: juvenile justice"], ["Children", "Youth"], [16]),
    (r"rights of the child|children's rights", ["Children: definition/general principles/protection"], ["Children"], [16]),
    (r"judiciary|fair trial", ["Administration of justice & fair trial"], ["Judges, lawyers and prosecutors"], [16]),
    (r"journalists", ["Freedom of opinion and expression & access to information"], ["Journalists/media", "Human rights defenders"], [16]),
    (r"freedom of expression", ["Freedom of opinion & expression & right to information"], ["Media"], [16]),
    (r"human rights defenders", ["Cooperation & consultation with civil society", "Freedom of association"], ["Human rights defenders", "Civil society"], [16]),
    (r"peaceful assembly", ["Right to peaceful assembly"], ["Civil society"], [16]),
    (r"racial discrimination|racism", ["Racial discrimination"], ["Minorities/racial, ethnic, linguistic, religious or descent-based groups", "Non-citizens"], [10]),
    (r"minorities", ["Members of minorities", "Equality & non-discrimination"], ["minorities/ racial, ethnic, linguistic, religious or descent-based groups"], [10]),
    (r"\bRoma\b", ["Members of minorities"], ["Roma, Gypsies, Sinti and Travellers"], [10]),
    (r"indigenous", ["Indigenous peoples"], ["Indigenous peoples", "Persons living in rural areas"], [10]),
    (r"migrant", ["Migrants"], ["Migrants", "Migrants & domestic workers"], [8, 10]),
    (r"domestic workers", ["Labour rights and right to work", "Migrants"], ["Migrants & domestic workers"], [8]),
    (r"refugees|asylum", ["Refugees & asylum seekers"], ["Refugees & asylum seekers", "non-citizens"], [10]),
    (r"internally displaced", ["Right to an adequate standard of living"], ["Internally displaced persons"], [1, 11]),
    (r"stateless|birth registration", ["Rights related to name, identity & nationality"], ["Stateless persons", "Children"], [16]),
    (r"sexual orientation|gender identity", ["Equality & non-discrimination"], ["LGBTI persons"], [10]),
    (r"same-sex|homosexual", ["Equality & non-discrimination", "Private life & privacy"], ["Lesbian, gay, bisexual, transgender and intersex persons"], [10]),
    (r"disabilit", ["Persons with disabilities: accessibility, mobility"], ["Persons with disabilities"], [4, 10]),
    (r"Convention on the Rights of Persons with Disabilities", ["Persons with disabilities: definition/general principles", "Acceptance of international norms"], ["Persons with disabilities"], [10]),
    (r"older persons|elderly", ["Right to social security"], ["Older persons"], [1, 10]),
    (r"poverty", ["Human rights & poverty", "ESC rights – general measures"], ["Persons living in poverty", "Persons living in rural areas"], [1, 10]),
    (r"housing", ["Right to adequate housing"], ["Persons living in poverty", "Vulnerable persons/groups"], [11]),
    (r"human rights education|training", ["Human rights education, trainings & awareness raising"], ["Public officials", "Law enforcement/police officials"], [4, 16]),
    (r"teachers|school", ["Right to education"], ["Educational staff & students", "Children"], [4]),
    (r"corruption", ["Good governance & corruption"], ["Public officials"], [16]),
    (r"impunity", ["Rule of law & impunity", "Impunity & transparency"], ["General"], [16]),
    (r"enforced disappearance", ["Enforced disappearances", "Ratification of & accession to international instruments"], ["General"], [16]),
    (r"special procedures|standing invitation", ["Cooperation with human rights mechanisms & requests for technical assistance"], ["General"], [17]),
    (r"treaty bodies|overdue reports", ["Cooperation & Follow up with Treaty Bodies"], ["General"], [17]),
    (r"action plan", ["National Human Rights Action Plans / implementation plans", "Budget & resources (for human rights implementation)"], ["Vulnerable persons/groups"], [16]),
    (r"International Covenant on Civil and Political Rights", ["Civil & political rights – general measures", "Ratification of & accession to international instruments"], ["General"], [16]),
    (r"technical assistance|international cooperation", ["Inter-State cooperation & development or humanitarian assistance", "Cooperation with human rights mechanisms & requests for technical assistance"], ["General"], [17]),
    (r"climate change", ["Human rights & climate change"], ["Persons living in rural areas", "Vulnerable persons/groups"], [13]),
    (r"youth|young people", ["Labour rights and right to work"], ["Youth"], [8]),
]  # fmt: skip

# States under review: (name as the UHRI writes it, session, report symbol, paragraph number).
REVIEWS = [
    ("Philippines", 41, "A/HRC/52/10", 158),
    ("Brazil", 41, "A/HRC/52/14", 148),
    ("Sri Lanka", 42, "A/HRC/54/14", 142),
    ("Peru", 42, "A/HRC/54/8", 140),
    ("Burkina Faso", 43, "A/HRC/55/16", 127),
    ("Colombia", 44, "A/HRC/56/7", 128),
    ("Nigeria", 45, "A/HRC/57/10", 125),
    ("Mexico", 45, "A/HRC/57/8", 134),
]
RECOMMENDING = [
    "Denmark", "Chile", "Bolivia (Plurinational State of)", "Iran (Islamic Republic of)",
    "United Kingdom of Great Britain and Northern Ireland", "United States of America",
    "Venezuela (Bolivarian Republic of)", "Republic of Korea", "Russian Federation", "Türkiye",
    "Côte d'Ivoire", "Netherlands (Kingdom of the)", "Czechia", "Holy See", "State of Palestine",
    "Lao People's Democratic Republic", "Viet Nam", "Republic of Moldova", "North Macedonia",
    "United Republic of Tanzania", "Syrian Arab Republic", "Democratic Republic of the Congo",
    "Congo", "Micronesia (Federated States of)", "Timor-Leste", "Cabo Verde", "Eswatini",
    "Sierra Leone", "Portugal", "Germany", "Japan", "Brazil", "Senegal", "Fiji", "Iceland",
    "Costa Rica", "Mongolia", "Paraguay", "Namibia", "Kazakhstan",
]  # fmt: skip
REGIONS = {"Philippines": "Asia", "Sri Lanka": "Asia", "Burkina Faso": "Africa"}
SDG_TITLES = {
    1: "No poverty", 3: "Good health and well-being", 4: "Quality education",
    5: "Gender equality", 8: "Decent work and economic growth", 10: "Reduced inequalities",
    11: "Sustainable cities and communities", 13: "Climate action",
    16: "Peace, justice and strong institutions", 17: "Partnerships for the goals",
}  # fmt: skip
UPR_ROWS_PER_REVIEW = 27
OTHER_TYPES = ["Recommendations from Treaty Bodies", "Recommendations from Special Procedures"]


def written(label: str, rng: random.Random) -> str:
    """The label as an export or a person writes it: mostly as published, sometimes with an
    en dash typed as a hyphen (or an em dash), no space before a bracket, another case,
    odd spacing around slashes and commas, a no-break space."""
    choice = rng.random()
    if "\u2013" in label:
        return label.replace(" \u2013 ", rng.choice([" - ", " -", "-", " \u2014 "]))
    if "(for" in label or "(NHRI)" in label:
        return label.replace(" (", "(") if choice < 0.5 else label
    if choice < 0.12:
        return label.lower()
    if choice < 0.20:
        return label.upper()[:1] + label[1:].replace(" ", "  ", 1)
    if choice < 0.27 and "/" in label:
        return label.replace("/", " / ") if " / " not in label else label.replace(" / ", "/")
    if choice < 0.32 and ", " in label:
        return label.replace(", ", ",", 1)
    if choice < 0.37 and "-" in label:
        return label.replace("-", "\u2013", 1)
    if choice < 0.42 and " " in label:
        return label.replace(" ", "\u00a0", 1)
    return label


def texts_by_profile() -> list[list[str]]:
    with UPR_INFO.open(encoding="utf-8", newline="") as handle:
        texts = sorted({row["recommendation"].strip() for row in csv.DictReader(handle)})
    texts = [t for t in texts if 60 <= len(t) <= 400 and "\n" not in t]
    pools = []
    for pattern, *_ in PROFILES:
        found = [t for t in texts if re.search(pattern, t, re.IGNORECASE)]
        assert len(found) >= 8, pattern
        pools.append(found)
    return pools


def build() -> tuple[list[dict[str, object]], dict[str, dict[str, list[str]]]]:
    rng = random.Random(13)
    pools = texts_by_profile()
    used: set[str] = set()
    rows: list[dict[str, object]] = []
    expected: dict[str, dict[str, list[str]]] = {}
    order = list(range(len(PROFILES)))
    rng.shuffle(order)
    number = 0
    for state, session, symbol, major in REVIEWS:
        for minor in range(1, UPR_ROWS_PER_REVIEW + 1):
            number += 1
            which = order[number % len(order)]
            pattern, themes, groups, goals = PROFILES[which]
            text = rng.choice([t for t in pools[which] if t not in used])
            used.add(text)
            themes, groups = list(themes), list(groups)
            if number % 50 == 11:
                themes.append(UNKNOWN_THEME)
            if number % 70 == 23:
                groups.append(UNKNOWN_GROUP)
            annotation = f"uhri-rw-{number:04d}"
            rows.append(
                _row(state, session, symbol, f"{major}.{minor}", text, themes, groups, goals, rng)
                | {"OHCHR Annotation Id": annotation}
            )
            expected[annotation] = {
                "themes": sorted({c for t in themes if (c := THEMES.get(t))}),
                "groups": sorted({c for g in groups if (c := GROUPS.get(g))}),
            }
        other = _row(state, session, symbol, "", "The Committee recommends ...", [], [], [], rng)
        rows.append(
            other | {"Type": OTHER_TYPES[number % 2], "OHCHR Annotation Id": f"uhri-rw-tb-{number}"}
        )
    assert all(t in THEMES for _, ts, _, _ in PROFILES for t in ts)
    assert all(g in GROUPS for _, _, gs, _ in PROFILES for g in gs)
    return rows, expected


def _row(
    state: str,
    session: int,
    symbol: str,
    paragraph: str,
    text: str,
    themes: list[str],
    groups: list[str],
    goals: list[int],
    rng: random.Random,
) -> dict[str, object]:
    recommending = rng.sample(RECOMMENDING, rng.choice([1, 1, 1, 2, 2, 3]))
    return {
        "Text": f"{paragraph} {text}".strip(),
        "Countries Concerned": f"- {state}",
        "Reccomending Body": "UPR",
        "Document Symbol": symbol,
        "Themes": _listing(written(t, rng) for t in themes),
        "Affected Persons": _listing(written(g, rng) for g in groups),
        "Sdgs": _listing(f"{g} - {SDG_TITLES[g]}" for g in goals),
        "Document Publication Date": 44900 + session * 60,
        "UPR Reccomending States": _listing(recommending),
        "UPR Position": rng.choice(["Supported", "Supported", "Supported", "Noted"]),
        "Type": "Recommendations from the UPR",
        "UPR Session": str(session),
        "Regions Concerned": f"- {REGIONS.get(state, 'Americas')}",
        "Recommending Regions": "- Europe",
        "Date of publication on UHRI": 45000 + session * 60,
    }


def _listing(values: Iterable[str]) -> str:
    return "\n".join(f"- {v}" for v in values)


def main() -> None:
    rows, expected = build()
    (FIXTURES / f"{NAME}.json").write_text(
        json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    lines = [f"{json.dumps(key)}: {json.dumps(value)}" for key, value in expected.items()]
    (FIXTURES / f"{NAME}.expected.json").write_text(
        "{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8"
    )
    print(f"wrote {len(rows)} rows, {len(expected)} of them UPR recommendations")


if __name__ == "__main__":
    main()
