#!/usr/bin/env python3
"""Build the reference CSV files in seed_data/ from the sources in ../shared.

One-off developer tool: the service never runs it and never reads ../shared.
Re-running it regenerates every file in seed_data/ (except README.md)
byte-for-byte from the same sources.

Usage (needs openpyxl for the UNTERM .xlsx, e.g. in a scratch venv):
    python tools/build_seed_data.py [--shared PATH_TO_SHARED]

Hand-made vocabularies (theme codes and labels, groups-of-persons codes and
labels, region names, the UPR Info crosswalk, SDG titles, assistance types, the
membership corrections) are embedded below as Python data: edit them here, then
re-run.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "seed_data"

# ---------------------------------------------------------------------------
# Decisions (documented in seed_data/README.md)
# ---------------------------------------------------------------------------
OBSERVERS = {"VAT", "PSE"}  # Holy See, State of Palestine: non-member observer States

# worldcountrygroups group id -> our hrc_group value
WCG_GROUPS = {
    "ag": "african",
    "ap": "asia_pacific",
    "eeg": "eastern_european",
    "grulac": "grulac",
    "weog": "weog",
}
# Known defects in worldcountrygroups 0.5.0, fixed here.
WCG_FIX_BLANK_ISO3 = {  # (group, name in the package) -> ISO3
    ("ag", "Congo, Dem. Rep."): "COD",
    ("un", "Congo, Dem. Rep."): "COD",
    ("grulac", "Venezuela (Bolivarian  Republic of)"): "VEN",
}
WCG_REMOVE = {("ap", "TUR")}  # Türkiye: WEOG for electoral purposes, not Asia-Pacific
# USA stays in WEOG (listed there by the package; it takes part in WEOG and is
# counted with it for electoral purposes though formally not a member).

EXPECTED_HRC_SIZES = {
    "african": 54,
    "asia_pacific": 54,  # includes Kiribati (joined 2010), excludes Türkiye
    "eastern_european": 23,
    "grulac": 33,
    "weog": 29,  # 28 members incl. Türkiye + USA
}

# LDC: UNSD M49 list (44) is used. worldcountrygroups also lists São Tomé and
# Príncipe, which graduated on 13 Dec 2024 -> rejected.
LDC_REJECT_FROM_WCG = {"STP": "graduated from LDC status on 13 December 2024"}
# Scheduled graduations still in the future on the build date (2026-11-23):
LDC_SCHEDULED = {
    "BGD": "2026-11-24",
    "LAO": "2026-11-24",
    "NPL": "2026-11-24",
}
# Graduations that took effect after the UNSD table was published: add ISO3 ->
# date here to set ldc=0 (e.g. BGD/LAO/NPL once their graduation is in effect).
LDC_GRADUATED_OVERRIDE: dict[str, str] = {}
# SIDS: UNSD M49 list (53 areas incl. non-member territories).
SIDS_REJECT_FROM_WCG = {"BHR": "not on the UNSD M49 SIDS list"}

# ---------------------------------------------------------------------------
# Hand-made vocabularies
# ---------------------------------------------------------------------------
THEME_CODES = {
    "2030 Agenda & other voluntary commitments": "2030-agenda",
    "Access to justice & remedy": "access-to-justice",
    "Administration of justice & fair trial": "administration-of-justice",
    "Advancement of women": "advancement-of-women",
    "Arbitrary arrest & detention": "arbitrary-detention",
    "Budget & resources (for human rights implementation)": "budget-resources",
    "Business & Human Rights": "business-human-rights",
    "Children: definition/general principles/protection": "children-general",
    "Children: family environment & alternative care": "children-family-care",
    "Children: juvenile justice": "juvenile-justice",
    "Children: protection against exploitation": "children-exploitation",
    "Civil & political rights – general measures": "civil-political-rights",
    "Conditions of detention": "conditions-of-detention",
    "Constitutional & legislative framework": "constitutional-framework",
    "Cooperation & consultation with civil society": "civil-society-cooperation",
    "Cooperation & Follow up with Treaty Bodies": "treaty-bodies",
    "Cooperation with human rights mechanisms & requests for technical assistance": "cooperation-with-mechanisms",
    "Cultural rights": "cultural-rights",
    "Data collection & research": "data-collection",
    "Death penalty": "death-penalty",
    "Discrimination against women": "discrimination-against-women",
    "Domestic violence": "domestic-violence",
    "ESC rights – general measures": "esc-rights",
    "Enforced disappearances": "enforced-disappearances",
    "Equality & non-discrimination": "non-discrimination",
    "Extrajudicial, summary or arbitrary executions": "extrajudicial-executions",
    "Freedom of association": "freedom-of-association",
    "Freedom of movement": "freedom-of-movement",
    "Freedom of opinion and expression & access to information": "freedom-of-expression",
    "Freedom of thought, conscience & religion": "freedom-of-religion",
    "Good governance & corruption": "governance-corruption",
    "Human rights & climate change": "climate-change",
    "Human rights & poverty": "poverty",
    "Human rights & the environment": "environment",
    "Human rights education, trainings & awareness raising": "human-rights-education",
    "Human trafficking & contemporary forms of slavery": "trafficking-slavery",
    "Indigenous peoples": "indigenous-peoples",
    "International criminal & humanitarian law": "international-criminal-humanitarian-law",
    "Labour rights and right to work": "right-to-work",
    "Land & property rights": "land-property-rights",
    "Legal & institutional reform": "legal-institutional-reform",
    "Liberty & security of the person": "liberty-security",
    "Members of minorities": "minorities",
    "Migrants": "migrants",
    "National Human Rights Action Plans / implementation plans": "national-action-plans",
    "NHRI": "nhri",
    "NMIRF": "nmirf",
    "Participation of women in political & public life": "women-participation",
    "Persons with disabilities: definition/general principles": "disability-general",
    "Persons with disabilities: independence, inclusion": "disability-inclusion",
    "Persons with disabilities: integrity of the person": "disability-integrity",
    "Persons with disabilities: protection against exploitation, violence & abuse": "disability-violence-abuse",
    "Persons with disabilities: accessibility, mobility": "disability-accessibility",
    "Persons with disabilities: situations of risk": "disability-situations-of-risk",
    "Private life & privacy": "privacy",
    "Prohibition of torture & ill-treatment": "torture",
    "Racial discrimination": "racial-discrimination",
    "Ratification of & accession to international instruments": "ratification",
    "Refugees & asylum seekers": "refugees-asylum-seekers",
    "Right to adequate housing": "right-to-housing",
    "Right to an adequate standard of living": "standard-of-living",
    "Right to be recognized as a person before the law": "legal-personality",
    "Right to development": "right-to-development",
    "Right to education": "right-to-education",
    "Right to food": "right-to-food",
    "Right to health": "right-to-health",
    "Right to life": "right-to-life",
    "Right to participate in public affairs & vote": "participation-public-affairs",
    "Right to peaceful assembly": "peaceful-assembly",
    "Right to physical & moral integrity": "physical-moral-integrity",
    "Right to self-determination": "self-determination",
    "Right to social security": "social-security",
    "Rights related to marriage & family": "marriage-family",
    "Rights related to name, identity & nationality": "name-identity-nationality",
    "Rule of law & impunity": "rule-of-law-impunity",
    "Safe drinking water & sanitation": "water-sanitation",
    "Scope of international obligations": "scope-of-obligations",
    "Sexual & gender-based violence": "gender-based-violence",
    "Sexual & reproductive health and rights": "sexual-reproductive-health",
    "Support to victims & witnesses": "victims-witnesses",
    "Trade union rights": "trade-union-rights",
    "Unilateral coercive measures": "unilateral-coercive-measures",
    "Use of mercenaries/private security": "mercenaries",
    "Violence against women": "violence-against-women",
}

GROUP_CODES = {
    "Children": "children",
    "Children in vulnerable situations": "children-vulnerable",
    "Civil society": "civil-society",
    "Educational staff & students": "educational-staff-students",
    "Indigenous peoples": "indigenous-peoples",
    "Internally displaced persons": "idps",
    "Judges, lawyers and prosecutors": "judges-lawyers-prosecutors",
    "Law enforcement / police & prison officials": "law-enforcement-officials",
    "LGBTI persons": "lgbti",
    "Media": "media",
    "Medical staff": "medical-staff",
    "Migrants": "migrants",
    "Minorities": "minorities",
    "Older persons": "older-persons",
    "Persons deprived of liberty": "persons-deprived-of-liberty",
    "Persons living in poverty": "persons-in-poverty",
    "Persons with disabilities": "persons-with-disabilities",
    "Public officials": "public-officials",
    "Refugees & asylum seekers": "refugees-asylum-seekers",
    "Roma, Gypsies, Sinti & Travellers": "roma-travellers",
    "Stateless persons": "stateless-persons",
    "Vulnerable persons/groups": "vulnerable-groups",
    "Women & girls": "women-girls",
    "Youth & juveniles": "youth",
}

# Group-of-persons labels in the other five UN languages, written by the developers in the
# terms of UN documents in each language (not official UN translations).
# code -> (fr, es, ru, zh, ar)
GROUP_LABELS: dict[str, tuple[str, str, str, str, str]] = {
    "children": (
        "Enfants",
        "Niños",
        "Дети",
        "儿童",
        "الأطفال",
    ),
    "children-vulnerable": (
        "Enfants en situation de vulnérabilité",
        "Niños en situación de vulnerabilidad",
        "Дети, находящиеся в уязвимом положении",
        "处境脆弱的儿童",
        "الأطفال في أوضاع هشة",
    ),
    "civil-society": (
        "Société civile",
        "Sociedad civil",
        "Гражданское общество",
        "民间社会",
        "المجتمع المدني",
    ),
    "educational-staff-students": (
        "Personnel éducatif et élèves ou étudiants",
        "Personal docente y estudiantes",
        "Работники образования и учащиеся",
        "教育工作者和学生",
        "العاملون في مجال التعليم والطلاب",
    ),
    "indigenous-peoples": (
        "Peuples autochtones",
        "Pueblos indígenas",
        "Коренные народы",
        "土著人民",
        "الشعوب الأصلية",
    ),
    "idps": (
        "Personnes déplacées dans leur propre pays",
        "Desplazados internos",
        "Внутренне перемещенные лица",
        "境内流离失所者",
        "المشردون داخلياً",
    ),
    "judges-lawyers-prosecutors": (
        "Juges, avocats et procureurs",
        "Jueces, abogados y fiscales",
        "Судьи, адвокаты и прокуроры",
        "法官、律师和检察官",
        "القضاة والمحامون والمدعون العامون",
    ),
    "law-enforcement-officials": (
        "Responsables de l'application des lois / personnel de police et pénitentiaire",
        "Funcionarios encargados de hacer cumplir la ley / personal policial y penitenciario",
        "Сотрудники правоохранительных органов / полиции и пенитенциарных учреждений",
        "执法人员/警察和监狱工作人员",
        "الموظفون المكلفون بإنفاذ القانون/موظفو الشرطة والسجون",
    ),
    "lgbti": (
        "Personnes LGBTI",
        "Personas LGBTI",
        "ЛГБТИ-лица",
        "男女同性恋、双性恋、跨性别者和间性者",
        "مثليات ومثليو الجنس ومزدوجو الميل الجنسي ومغايرو الهوية الجنسانية وحاملو صفات الجنسين",
    ),
    "media": (
        "Médias",
        "Medios de comunicación",
        "Средства массовой информации",
        "媒体",
        "وسائط الإعلام",
    ),
    "medical-staff": (
        "Personnel médical",
        "Personal médico",
        "Медицинский персонал",
        "医务人员",
        "العاملون في المجال الطبي",
    ),
    "migrants": (
        "Migrants",
        "Migrantes",
        "Мигранты",
        "移民",
        "المهاجرون",
    ),
    "minorities": (
        "Minorités",
        "Minorías",
        "Меньшинства",
        "少数群体",
        "الأقليات",
    ),
    "older-persons": (
        "Personnes âgées",
        "Personas de edad",
        "Пожилые люди",
        "老年人",
        "كبار السن",
    ),
    "persons-deprived-of-liberty": (
        "Personnes privées de liberté",
        "Personas privadas de libertad",
        "Лица, лишенные свободы",
        "被剥夺自由者",
        "الأشخاص المحرومون من حريتهم",
    ),
    "persons-in-poverty": (
        "Personnes vivant dans la pauvreté",
        "Personas que viven en la pobreza",
        "Лица, живущие в условиях нищеты",
        "生活贫困者",
        "الأشخاص الذين يعيشون في فقر",
    ),
    "persons-with-disabilities": (
        "Personnes handicapées",
        "Personas con discapacidad",
        "Инвалиды",
        "残疾人",
        "الأشخاص ذوو الإعاقة",
    ),
    "public-officials": (
        "Agents publics",
        "Funcionarios públicos",
        "Государственные должностные лица",
        "公职人员",
        "الموظفون العموميون",
    ),
    "refugees-asylum-seekers": (
        "Réfugiés et demandeurs d'asile",
        "Refugiados y solicitantes de asilo",
        "Беженцы и просители убежища",
        "难民和寻求庇护者",
        "اللاجئون وملتمسو اللجوء",
    ),
    "roma-travellers": (
        "Roms, Tsiganes, Sintis et gens du voyage",
        "Romaníes, gitanos, sintis y nómadas",
        "Рома, цыгане, синти и тревеллеры",
        "罗姆人、吉卜赛人、辛蒂人和旅行者",
        "الروما والغجر والسنتي والرحل",
    ),
    "stateless-persons": (
        "Apatrides",
        "Apátridas",
        "Лица без гражданства",
        "无国籍人",
        "عديمو الجنسية",
    ),
    "vulnerable-groups": (
        "Personnes et groupes vulnérables",
        "Personas y grupos vulnerables",
        "Уязвимые лица и группы",
        "弱势个人和群体",
        "الأشخاص والفئات الضعيفة",
    ),
    "women-girls": (
        "Femmes et filles",
        "Mujeres y niñas",
        "Женщины и девочки",
        "妇女和女童",
        "النساء والفتيات",
    ),
    "youth": (
        "Jeunes et mineurs",
        "Jóvenes y menores",
        "Молодежь и несовершеннолетние",
        "青年和少年",
        "الشباب والأحداث",
    ),
}

# Wordings of "Affected persons" in UHRI exports that are not one of the 24 current group
# labels -> (group code or "" for none, kind, note). Hand-made; see README ("group_aliases.csv").
# kind: exact = the same group in another wording; closest = a narrower or overlapping
# wording whose nearest group this is (a judgement); none = no counterpart among the 24.
SAME = "same group, older or longer wording"
GROUP_ALIASES: list[tuple[str, str, str, str]] = [
    ("Women", "women-girls", "closest", "narrower: the group is women & girls"),
    ("Girls", "women-girls", "closest", "narrower: the group is women & girls"),
    (
        "Children in street situations",
        "children-vulnerable",
        "closest",
        "one of the situations the group covers",
    ),
    ("Street children", "children-vulnerable", "closest", "one of the situations the group covers"),
    ("Youth", "youth", "closest", "narrower: the group is youth & juveniles"),
    ("Juveniles", "youth", "closest", "narrower: the group is youth & juveniles"),
    ("Young people", "youth", "closest", "narrower: the group is youth & juveniles"),
    ("Elderly persons", "older-persons", "exact", SAME),
    ("Older people", "older-persons", "exact", SAME),
    ("Persons with disability", "persons-with-disabilities", "exact", SAME),
    ("People with disabilities", "persons-with-disabilities", "exact", SAME),
    ("Indigenous people", "indigenous-peoples", "exact", SAME),
    (
        "Minorities/racial, ethnic, linguistic, religious or descent-based groups",
        "minorities",
        "exact",
        SAME,
    ),
    ("Racial, ethnic, linguistic, religious or descent-based groups", "minorities", "exact", SAME),
    ("Persons belonging to minorities", "minorities", "exact", SAME),
    ("Members of minorities", "minorities", "exact", SAME),
    (
        "People of African descent",
        "minorities",
        "closest",
        "a descent-based group, which the UHRI's long wording of Minorities names",
    ),
    (
        "Persons of African descent",
        "minorities",
        "closest",
        "a descent-based group, which the UHRI's long wording of Minorities names",
    ),
    (
        "Migrants & domestic workers",
        "migrants",
        "closest",
        "overlapping: no group for domestic workers, many of whom are migrants",
    ),
    ("Migrant workers", "migrants", "closest", "narrower: migrants who work"),
    (
        "Domestic workers",
        "",
        "none",
        "no counterpart among the 24: no group for workers, and not every domestic worker is a migrant",
    ),
    (
        "Refugees",
        "refugees-asylum-seekers",
        "closest",
        "narrower: the group is refugees & asylum seekers",
    ),
    (
        "Asylum seekers",
        "refugees-asylum-seekers",
        "closest",
        "narrower: the group is refugees & asylum seekers",
    ),
    ("IDPs", "idps", "exact", "same group, abbreviation"),
    ("Internally displaced people", "idps", "exact", SAME),
    ("Stateless people", "stateless-persons", "exact", SAME),
    (
        "Non-citizens",
        "",
        "none",
        "no counterpart among the 24: spans migrants, refugees & asylum seekers and stateless persons, so no one group fits",
    ),
    ("Lesbian, gay, bisexual, transgender and intersex persons", "lgbti", "exact", SAME),
    ("LGBTI", "lgbti", "exact", "same group, abbreviation"),
    ("LGBT persons", "lgbti", "closest", "the older acronym, without intersex persons"),
    (
        "Lesbian, gay, bisexual and transgender persons",
        "lgbti",
        "closest",
        "the older wording, without intersex persons",
    ),
    ("LGBTIQ+ persons", "lgbti", "closest", "a longer acronym of the same community"),
    ("Persons deprived of their liberty", "persons-deprived-of-liberty", "exact", SAME),
    ("Detainees", "persons-deprived-of-liberty", "closest", "narrower: persons held in detention"),
    ("Prisoners", "persons-deprived-of-liberty", "closest", "narrower: persons held in prison"),
    ("People living in poverty", "persons-in-poverty", "exact", SAME),
    (
        "Persons living in extreme poverty",
        "persons-in-poverty",
        "closest",
        "narrower: extreme poverty",
    ),
    (
        "Persons living in rural areas",
        "",
        "none",
        "no counterpart among the 24: no rural group, and living in a rural area is not poverty",
    ),
    (
        "Human rights defenders",
        "civil-society",
        "closest",
        "defenders are mostly civil-society actors; the 24 groups have no group for defenders",
    ),
    ("Journalists/media", "media", "exact", SAME),
    ("Journalists", "media", "closest", "narrower: journalists are part of the media"),
    ("Media workers", "media", "exact", SAME),
    (
        "Lawyers",
        "judges-lawyers-prosecutors",
        "closest",
        "narrower: one of the three professions of the group",
    ),
    (
        "Judges",
        "judges-lawyers-prosecutors",
        "closest",
        "narrower: one of the three professions of the group",
    ),
    (
        "Law enforcement / police officials",
        "law-enforcement-officials",
        "exact",
        "same group, older wording (without prison officials)",
    ),
    ("Law enforcement officials", "law-enforcement-officials", "exact", SAME),
    ("Police", "law-enforcement-officials", "closest", "narrower: police officials"),
    ("Prison officials", "law-enforcement-officials", "closest", "narrower: prison officials"),
    ("Civil servants", "public-officials", "exact", SAME),
    ("Medical personnel", "medical-staff", "exact", SAME),
    (
        "Health workers",
        "medical-staff",
        "closest",
        "overlapping: health workers beyond medical staff",
    ),
    ("Teachers", "educational-staff-students", "closest", "narrower: educational staff"),
    ("Students", "educational-staff-students", "closest", "narrower: students"),
    ("Civil society organizations", "civil-society", "exact", SAME),
    (
        "Roma",
        "roma-travellers",
        "closest",
        "narrower: the group is Roma, Gypsies, Sinti & Travellers",
    ),
    (
        "Roma & Travellers",
        "roma-travellers",
        "closest",
        "narrower: the group is Roma, Gypsies, Sinti & Travellers",
    ),
    ("Vulnerable persons", "vulnerable-groups", "exact", SAME),
    ("Vulnerable groups", "vulnerable-groups", "exact", SAME),
    ("General", "", "none", "not a group: the recommendation concerns everyone"),
    ("Persons living with HIV/AIDS", "", "none", "no counterpart among the 24"),
    (
        "Persons with albinism",
        "",
        "none",
        "no counterpart among the 24 (not a disability group in UN usage)",
    ),
    (
        "Victims of trafficking",
        "",
        "none",
        "no counterpart among the 24 (the theme Human trafficking covers them)",
    ),
    ("Persons affected by armed conflict", "", "none", "no counterpart among the 24"),
    # Wordings found by a blind UHRI export (benchmarks/data/uhri_blind, 2026-12-07).
    ("Rural women", "women-girls", "closest", "narrower: the group is women & girls"),
    (
        "Women human rights defenders",
        "civil-society",
        "closest",
        "human rights defenders are counted with civil society",
    ),
    (
        "Educational staff",
        "educational-staff-students",
        "closest",
        "one of the two the group names",
    ),
    (
        "Persons in vulnerable situations",
        "vulnerable-groups",
        "exact",
        "same group, another wording",
    ),
    ("Military staff", "", "none", "no counterpart among the 24"),
    # found by a third blind UHRI export (benchmarks/data/uhri_blind_3, 2026-12-08)
    ("disabled persons", "persons-with-disabilities", "exact", "same group, older wording"),
    ("girl child", "women-girls", "closest", "narrower: the group is women & girls"),
    (
        "judiciary",
        "judges-lawyers-prosecutors",
        "closest",
        "the judiciary's members: judges, lawyers and prosecutors",
    ),
]

# Older UHRI theme wordings beyond the reference list (../shared/reference/uhri_theme_aliases.csv),
# found by a blind UHRI export (benchmarks/data/uhri_blind, 2026-12-07): the old UHRI taxonomy's
# headings still on cycle-2 and cycle-3 documents. (alias, code or "" for none, kind, note).
PROJECT_THEME_ALIASES: list[tuple[str, str, str, str]] = [
    (
        "Right to an effective remedy",
        "access-to-justice",
        "exact",
        "same theme, older wording (UHRI before 2021)",
    ),
    (
        "Cooperation with civil society",
        "civil-society-cooperation",
        "exact",
        "same theme, older wording (UHRI before 2021)",
    ),
    (
        "Cooperation with treaty bodies",
        "treaty-bodies",
        "exact",
        "same theme, older wording (UHRI before 2021)",
    ),
    (
        "Cooperation with special procedures",
        "cooperation-with-mechanisms",
        "closest",
        "older UHRI theme, now part of cooperation with mechanisms",
    ),
    (
        "Cooperation with other international mechanisms and institutions",
        "cooperation-with-mechanisms",
        "closest",
        "older UHRI theme, now part of cooperation with mechanisms",
    ),
    (
        "Statistics and indicators",
        "data-collection",
        "closest",
        "older UHRI theme, now data collection",
    ),
    (
        "Freedom of opinion and expression",
        "freedom-of-expression",
        "exact",
        "same theme, older wording (UHRI before 2021)",
    ),
    (
        "Freedom of the press",
        "freedom-of-expression",
        "closest",
        "older UHRI theme, part of freedom of expression",
    ),
    (
        "Freedom of religion or belief",
        "freedom-of-religion",
        "exact",
        "same theme, shorter wording",
    ),
    (
        "Good governance",
        "governance-corruption",
        "closest",
        "older UHRI theme, now good governance & corruption",
    ),
    (
        "Corruption",
        "governance-corruption",
        "closest",
        "older UHRI theme, now good governance & corruption",
    ),
    ("Human rights & environment", "environment", "exact", "same theme, older wording"),
    (
        "Human rights education - general",
        "human-rights-education",
        "exact",
        "same theme, older wording (UHRI before 2021)",
    ),
    (
        "Professional training in human rights",
        "human-rights-education",
        "closest",
        "older UHRI theme, part of human rights education",
    ),
    (
        "Awareness raising and dissemination",
        "human-rights-education",
        "closest",
        "older UHRI theme, part of human rights education",
    ),
    (
        "International humanitarian law",
        "international-criminal-humanitarian-law",
        "closest",
        "older UHRI theme, now with international criminal law",
    ),
    (
        "Right to just and favourable conditions of work",
        "right-to-work",
        "closest",
        "older UHRI theme, part of the right to work",
    ),
    (
        "Institutions & policies - General",
        "legal-institutional-reform",
        "closest",
        "older UHRI heading for institutions and policies",
    ),
    (
        "Liberty and security - general",
        "liberty-security",
        "exact",
        "same theme, older wording (UHRI before 2021)",
    ),
    ("National Human Rights Institutions (NHRIs)", "nhri", "exact", "same theme, plural wording"),
    (
        "National mechanism for reporting and follow-up (NMRF)",
        "nmirf",
        "exact",
        "same theme, older name of the mechanism (NMRF)",
    ),
    (
        "National mechanism for implementation reporting & follow-up",
        "nmirf",
        "exact",
        "same theme, spelled out",
    ),
    (
        "Right to an adequate standard of living - general",
        "standard-of-living",
        "exact",
        "same theme, older wording (UHRI before 2021)",
    ),
    (
        "Right to be recognised as a person before the law",
        "legal-personality",
        "exact",
        "same theme, British spelling",
    ),
    (
        "Right to education - General",
        "right-to-education",
        "exact",
        "same theme, older wording (UHRI before 2021)",
    ),
    (
        "Right to health - General",
        "right-to-health",
        "exact",
        "same theme, older wording (UHRI before 2021)",
    ),
    (
        "Access to health-care (general)",
        "right-to-health",
        "closest",
        "older UHRI theme, part of the right to health",
    ),
    ("HIV - Aids", "right-to-health", "closest", "older UHRI theme, part of the right to health"),
    (
        "Right to participation in public affairs and right to vote",
        "participation-public-affairs",
        "exact",
        "same theme, older wording",
    ),
    ("Freedom of peaceful assembly", "peaceful-assembly", "exact", "same theme, older wording"),
    (
        "Rights related to name, identity, nationality",
        "name-identity-nationality",
        "exact",
        "same theme, older wording (UHRI before 2021)",
    ),
    ("Impunity", "rule-of-law-impunity", "closest", "older UHRI theme, now rule of law & impunity"),
    ("Right to water and sanitation", "water-sanitation", "exact", "same theme, older wording"),
    (
        "Reservations",
        "scope-of-obligations",
        "closest",
        "older UHRI theme, reservations concern the scope of obligations",
    ),
    (
        "Human rights & counter-terrorism",
        "",
        "none",
        "no current theme: the recommendation's other themes carry it",
    ),
    (
        "Inter-State cooperation & development assistance",
        "",
        "none",
        "no current counterpart among the 84 (as the longer wording)",
    ),
    (
        "Economic social and cultural rights - general measures",
        "esc-rights",
        "exact",
        "same theme, spelled out",
    ),
    # ... and by a second one (benchmarks/data/uhri_blind_2), with the taxonomy's heading codes
    (
        "Follow-up to special procedures",
        "cooperation-with-mechanisms",
        "closest",
        "older UHRI theme, now part of cooperation with mechanisms",
    ),
    (
        "Follow-up to treaty bodies",
        "treaty-bodies",
        "exact",
        "same theme, older wording (UHRI before 2021)",
    ),
    ("Right to privacy", "privacy", "exact", "same theme, shorter wording"),
    (
        "Children in armed conflict",
        "children-exploitation",
        "closest",
        "older UHRI theme: children recruited or used in armed conflict",
    ),
    (
        "Right to safe drinking water and sanitation",
        "water-sanitation",
        "exact",
        "same theme, older wording",
    ),
    (
        "National mechanisms for reporting & follow-up",
        "nmirf",
        "exact",
        "same theme, older name of the mechanism",
    ),
    # found by a third blind UHRI export (benchmarks/data/uhri_blind_3, 2026-12-08)
    (
        "Right to recognition as a person before the law",
        "legal-personality",
        "exact",
        "same theme, older wording",
    ),
    (
        "National mechanism for reporting and follow-up",
        "nmirf",
        "exact",
        "older name of the national mechanism (NMRF), before implementation was added",
    ),
    ("Use of mercenaries", "mercenaries", "exact", "same theme, shorter wording"),
    (
        "Human rights & unilateral coercive measures",
        "unilateral-coercive-measures",
        "exact",
        "same theme, older wording",
    ),
    (
        "Ratification of international instruments",
        "ratification",
        "exact",
        "same theme, older wording",
    ),
    (
        "Access to education",
        "right-to-education",
        "closest",
        "narrower: access is one part of the right to education",
    ),
    (
        "Human rights education - in schools",
        "human-rights-education",
        "closest",
        "narrower: human rights education in schools",
    ),
]

# UPR Info issue -> (theme codes, note). Hand-made; see README.
CROSSWALK = {
    "Asylum-seekers - refugees": (["refugees-asylum-seekers"], ""),
    "CP rights - general": (["civil-political-rights"], ""),
    "Civil society": (["civil-society-cooperation"], ""),
    "Corruption": (["governance-corruption"], ""),
    "Counter-terrorism": (
        ["liberty-security", "administration-of-justice"],
        "no counter-terrorism theme among the 84; cycle-1 items are mostly about safeguards "
        "(fair trial, detention, renditions) in counter-terrorism measures",
    ),
    "Death penalty": (["death-penalty"], ""),
    "Detention": (["conditions-of-detention", "arbitrary-detention"], ""),
    "Development": (
        ["right-to-development", "2030-agenda"],
        "cycle-1 items often cite the Millennium Development Goals, succeeded by the 2030 Agenda",
    ),
    "Disabilities": (
        ["disability-general"],
        "general disability theme; UHRI splits disability into six themes, curators may refine",
    ),
    "ESC rights - general": (["esc-rights"], ""),
    "Elections": (["participation-public-affairs"], ""),
    "Enforced disappearances": (["enforced-disappearances"], ""),
    "Environment": (["environment"], ""),
    "Extrajudicial executions": (["extrajudicial-executions"], ""),
    "Freedom of association and peaceful assembly": (
        ["freedom-of-association", "peaceful-assembly"],
        "UHRI has two separate themes",
    ),
    "Freedom of movement": (["freedom-of-movement"], ""),
    "Freedom of opinion and expression": (["freedom-of-expression"], ""),
    "Freedom of religion and belief": (["freedom-of-religion"], ""),
    "Freedom of the press": (
        ["freedom-of-expression"],
        "press freedom falls under opinion & expression; UHRI group of persons 'Media' also applies",
    ),
    "General": (
        ["cooperation-with-mechanisms", "legal-institutional-reform"],
        "no UHRI equivalent: cycle-1 'General' items are broad calls to promote and protect human "
        "rights, strengthen the institutional framework or work with OHCHR; mapped to the closest "
        "general themes, curators should re-tag",
    ),
    "HIV - Aids": (["right-to-health"], ""),
    "Human rights defenders": (
        ["civil-society-cooperation", "freedom-of-association"],
        "no HRD theme among the 84; UHRI group of persons 'Civil society' also applies",
    ),
    "Human rights education and training": (["human-rights-education"], ""),
    "Human rights violations by state agents": (
        ["rule-of-law-impunity", "liberty-security"],
        "no direct theme; items concern accountability of police/security forces; "
        "often co-tagged with torture in the data",
    ),
    "Impunity": (["rule-of-law-impunity"], ""),
    "Indigenous peoples": (["indigenous-peoples"], ""),
    "Internally displaced persons": (
        ["freedom-of-movement", "standard-of-living"],
        "IDPs are a UHRI group of persons (idps), not a theme; closest themes chosen",
    ),
    "International humanitarian law": (["international-criminal-humanitarian-law"], ""),
    "International instruments": (
        ["ratification", "scope-of-obligations"],
        "ratification/accession and withdrawal of reservations",
    ),
    "Justice": (["administration-of-justice", "access-to-justice"], ""),
    "Labour": (["right-to-work"], ""),
    "Migrants": (["migrants"], ""),
    "Minorities": (["minorities"], ""),
    "NHRI": (["nhri"], ""),
    "National plan of action": (["national-action-plans"], ""),
    "Other": (
        ["legal-institutional-reform"],
        "heterogeneous catch-all with no UHRI equivalent; mapped to the broadest reform theme as a "
        "placeholder, curators should re-tag",
    ),
    "Poverty": (["poverty", "standard-of-living"], ""),
    "Public security": (
        ["liberty-security"],
        "crime prevention, policing and security of citizens",
    ),
    "Racial discrimination": (["racial-discrimination"], ""),
    "Right to education": (["right-to-education"], ""),
    "Right to food": (["right-to-food"], ""),
    "Right to health": (["right-to-health"], ""),
    "Right to housing": (["right-to-housing"], ""),
    "Right to land": (["land-property-rights"], ""),
    "Right to water": (["water-sanitation"], ""),
    "Rights of the Child": (
        ["children-general"],
        "general child-rights theme; UHRI splits children into four themes, curators may refine",
    ),
    "Sexual Orientation and Gender Identity": (
        ["non-discrimination"],
        "no SOGI theme among the 84; UHRI group of persons 'LGBTI persons' also applies",
    ),
    "Special procedures": (
        ["cooperation-with-mechanisms"],
        "standing invitations and visits of special procedures",
    ),
    "Technical assistance and cooperation": (["cooperation-with-mechanisms"], ""),
    "Torture and other CID treatment": (["torture"], ""),
    "Trafficking": (["trafficking-slavery"], ""),
    "Treaty bodies": (["treaty-bodies"], ""),
    "UPR process": (
        ["cooperation-with-mechanisms"],
        "follow-up of the UPR itself (mid-term reports, consultation); UHRI has no UPR theme",
    ),
    "Women's rights": (
        ["advancement-of-women", "discrimination-against-women"],
        "broad UPR Info category; violence-related items may also fit violence-against-women",
    ),
}

# Official short titles of the 17 SDGs as used by the UN on its SDG icons and
# web pages in the six official languages (see README for provenance).
SDG_TITLES = [
    # (en, fr, es, ru, zh, ar)
    (
        "No poverty",
        "Pas de pauvreté",
        "Fin de la pobreza",
        "Ликвидация нищеты",
        "无贫穷",
        "القضاء على الفقر",
    ),
    (
        "Zero hunger",
        "Faim « zéro »",
        "Hambre cero",
        "Ликвидация голода",
        "零饥饿",
        "القضاء التام على الجوع",
    ),
    (
        "Good health and well-being",
        "Bonne santé et bien-être",
        "Salud y bienestar",
        "Хорошее здоровье и благополучие",
        "良好健康与福祉",
        "الصحة الجيدة والرفاه",
    ),
    (
        "Quality education",
        "Éducation de qualité",
        "Educación de calidad",
        "Качественное образование",
        "优质教育",
        "التعليم الجيد",
    ),
    (
        "Gender equality",
        "Égalité entre les sexes",
        "Igualdad de género",
        "Гендерное равенство",
        "性别平等",
        "المساواة بين الجنسين",
    ),
    (
        "Clean water and sanitation",
        "Eau propre et assainissement",
        "Agua limpia y saneamiento",
        "Чистая вода и санитария",
        "清洁饮水和卫生设施",
        "المياه النظيفة والنظافة الصحية",
    ),
    (
        "Affordable and clean energy",
        "Énergie propre et d'un coût abordable",
        "Energía asequible y no contaminante",
        "Недорогостоящая и чистая энергия",
        "经济适用的清洁能源",
        "طاقة نظيفة وبأسعار معقولة",
    ),
    (
        "Decent work and economic growth",
        "Travail décent et croissance économique",
        "Trabajo decente y crecimiento económico",
        "Достойная работа и экономический рост",
        "体面工作和经济增长",
        "العمل اللائق ونمو الاقتصاد",
    ),
    (
        "Industry, innovation and infrastructure",
        "Industrie, innovation et infrastructure",
        "Industria, innovación e infraestructura",
        "Индустриализация, инновации и инфраструктура",
        "产业、创新和基础设施",
        "الصناعة والابتكار والهياكل الأساسية",
    ),
    (
        "Reduced inequalities",
        "Inégalités réduites",
        "Reducción de las desigualdades",
        "Уменьшение неравенства",
        "减少不平等",
        "الحد من أوجه عدم المساواة",
    ),
    (
        "Sustainable cities and communities",
        "Villes et communautés durables",
        "Ciudades y comunidades sostenibles",
        "Устойчивые города и населенные пункты",
        "可持续城市和社区",
        "مدن ومجتمعات محلية مستدامة",
    ),
    (
        "Responsible consumption and production",
        "Consommation et production responsables",
        "Producción y consumo responsables",
        "Ответственное потребление и производство",
        "负责任消费和生产",
        "الاستهلاك والإنتاج المسؤولان",
    ),
    (
        "Climate action",
        "Mesures relatives à la lutte contre les changements climatiques",
        "Acción por el clima",
        "Борьба с изменением климата",
        "气候行动",
        "العمل المناخي",
    ),
    (
        "Life below water",
        "Vie aquatique",
        "Vida submarina",
        "Сохранение морских экосистем",
        "水下生物",
        "الحياة تحت الماء",
    ),
    (
        "Life on land",
        "Vie terrestre",
        "Vida de ecosistemas terrestres",
        "Сохранение экосистем суши",
        "陆地生物",
        "الحياة في البر",
    ),
    (
        "Peace, justice and strong institutions",
        "Paix, justice et institutions efficaces",
        "Paz, justicia e instituciones sólidas",
        "Мир, правосудие и эффективные институты",
        "和平、正义与强大机构",
        "السلام والعدل والمؤسسات القوية",
    ),
    (
        "Partnerships for the goals",
        "Partenariats pour la réalisation des objectifs",
        "Alianzas para lograr los objetivos",
        "Партнерство в интересах устойчивого развития",
        "促进目标实现的伙伴关系",
        "عقد الشراكات لتحقيق الأهداف",
    ),
]

# Our own vocabulary: (code, en, fr, es, ru, zh, ar, description_en)
ASSISTANCE_TYPES = [
    (
        "legislative-review",
        "Legislative review",
        "Examen de la législation",
        "Revisión legislativa",
        "Анализ законодательства",
        "立法审查",
        "مراجعة التشريعات",
        "Review or drafting of laws, regulations and policies for conformity with international human rights "
        "standards.",
    ),
    (
        "institution-building",
        "Institution building",
        "Renforcement des institutions",
        "Fortalecimiento institucional",
        "Институциональное строительство",
        "机构建设",
        "بناء المؤسسات",
        "Establishing or strengthening institutions such as a national human rights institution, ombudsperson or "
        "national preventive mechanism.",
    ),
    (
        "training",
        "Training",
        "Formation",
        "Capacitación",
        "Обучение",
        "培训",
        "التدريب",
        "Training and capacity-building for officials, judges, police, NHRI staff, civil society or other actors.",
    ),
    (
        "data-statistics",
        "Data and statistics",
        "Données et statistiques",
        "Datos y estadísticas",
        "Данные и статистика",
        "数据和统计",
        "البيانات والإحصاءات",
        "Human rights indicators, disaggregated data collection, statistical systems and information management.",
    ),
    (
        "action-plan",
        "Action plan",
        "Plan d'action",
        "Plan de acción",
        "План действий",
        "行动计划",
        "خطة العمل",
        "Preparing, costing, implementing or evaluating a national human rights action plan or implementation plan.",
    ),
    (
        "nmirf-support",
        "NMIRF support",
        "Appui au mécanisme national de mise en œuvre, d'établissement de rapports et de suivi",
        "Apoyo al mecanismo nacional de aplicación, presentación de informes y seguimiento",
        "Поддержка национального механизма по осуществлению, представлению докладов и последующей деятельности",
        "支持国家执行、报告和后续行动机制",
        "دعم الآلية الوطنية للتنفيذ والإبلاغ والمتابعة",
        "Support to a national mechanism for implementation, reporting and follow-up (NMIRF), including tracking "
        "tools for recommendations.",
    ),
    (
        "awareness-raising",
        "Awareness raising",
        "Sensibilisation",
        "Sensibilización",
        "Повышение осведомленности",
        "提高认识",
        "التوعية",
        "Public information and awareness campaigns, human rights education materials and outreach.",
    ),
    (
        "expert-deployment",
        "Expert deployment",
        "Déploiement d'experts",
        "Despliegue de expertos",
        "Направление экспертов",
        "派遣专家",
        "إيفاد الخبراء",
        "Secondment or deployment of experts or advisers to work with national counterparts.",
    ),
    (
        "funding",
        "Funding",
        "Financement",
        "Financiación",
        "Финансирование",
        "资金支持",
        "التمويل",
        "Financial support: grants, project funding or contributions to trust funds.",
    ),
    (
        "peer-exchange",
        "Peer exchange",
        "Échange entre pairs",
        "Intercambio entre pares",
        "Обмен опытом между коллегами",
        "同行交流",
        "تبادل الخبرات بين النظراء",
        "Study visits, twinning and exchange of good practices between States or institutions.",
    ),
]

REGION_KIND_NAMES = {
    "hrc-african": "African States",
    "hrc-asia-pacific": "Asia-Pacific States",
    "hrc-eastern-european": "Eastern European States",
    "hrc-grulac": "Latin American and Caribbean States",
    "hrc-weog": "Western European and other States",
}
UN_GROUP_NAMES = {
    "ldc": "Least Developed Countries",
    "lldc": "Landlocked Developing Countries",
    "sids": "Small Island Developing States",
}

# Names of the regions and groups in the other five UN languages. M49 regions: the names
# the UNSD publishes on its M49 page in each language (not in the source files we have,
# entered by hand). HRC regional groups and LDC/LLDC/SIDS: the names used for these groups
# in UN documents in each language. code -> (fr, es, ru, zh, ar)
REGION_NAMES: dict[str, tuple[str, str, str, str, str]] = {
    "m49-002": (
        "Afrique",
        "África",
        "Африка",
        "非洲",
        "أفريقيا",
    ),
    "m49-009": (
        "Océanie",
        "Oceanía",
        "Океания",
        "大洋洲",
        "أوقيانوسيا",
    ),
    "m49-019": (
        "Amériques",
        "Américas",
        "Америка",
        "美洲",
        "الأمريكتان",
    ),
    "m49-142": (
        "Asie",
        "Asia",
        "Азия",
        "亚洲",
        "آسيا",
    ),
    "m49-150": (
        "Europe",
        "Europa",
        "Европа",
        "欧洲",
        "أوروبا",
    ),
    "m49-015": (
        "Afrique septentrionale",
        "África septentrional",
        "Северная Африка",
        "北非",
        "شمال أفريقيا",
    ),
    "m49-021": (
        "Amérique septentrionale",
        "América septentrional",
        "Северная Америка",
        "北美",
        "أمريكا الشمالية",
    ),
    "m49-030": (
        "Asie orientale",
        "Asia oriental",
        "Восточная Азия",
        "东亚",
        "شرق آسيا",
    ),
    "m49-034": (
        "Asie méridionale",
        "Asia meridional",
        "Южная Азия",
        "南亚",
        "جنوب آسيا",
    ),
    "m49-035": (
        "Asie du Sud-Est",
        "Asia sudoriental",
        "Юго-Восточная Азия",
        "东南亚",
        "جنوب شرق آسيا",
    ),
    "m49-039": (
        "Europe méridionale",
        "Europa meridional",
        "Южная Европа",
        "南欧",
        "جنوب أوروبا",
    ),
    "m49-053": (
        "Australie et Nouvelle-Zélande",
        "Australia y Nueva Zelandia",
        "Австралия и Новая Зеландия",
        "澳大利亚和新西兰",
        "أستراليا ونيوزيلندا",
    ),
    "m49-054": (
        "Mélanésie",
        "Melanesia",
        "Меланезия",
        "美拉尼西亚",
        "ميلانيزيا",
    ),
    "m49-057": (
        "Micronésie",
        "Micronesia",
        "Микронезия",
        "密克罗尼西亚",
        "ميكرونيزيا",
    ),
    "m49-061": (
        "Polynésie",
        "Polinesia",
        "Полинезия",
        "波利尼西亚",
        "بولينيزيا",
    ),
    "m49-143": (
        "Asie centrale",
        "Asia central",
        "Центральная Азия",
        "中亚",
        "آسيا الوسطى",
    ),
    "m49-145": (
        "Asie occidentale",
        "Asia occidental",
        "Западная Азия",
        "西亚",
        "غرب آسيا",
    ),
    "m49-151": (
        "Europe orientale",
        "Europa oriental",
        "Восточная Европа",
        "东欧",
        "أوروبا الشرقية",
    ),
    "m49-154": (
        "Europe septentrionale",
        "Europa septentrional",
        "Северная Европа",
        "北欧",
        "أوروبا الشمالية",
    ),
    "m49-155": (
        "Europe occidentale",
        "Europa occidental",
        "Западная Европа",
        "西欧",
        "أوروبا الغربية",
    ),
    "m49-202": (
        "Afrique subsaharienne",
        "África subsahariana",
        "Африка к югу от Сахары",
        "撒哈拉以南非洲",
        "أفريقيا جنوب الصحراء الكبرى",
    ),
    "m49-419": (
        "Amérique latine et Caraïbes",
        "América Latina y el Caribe",
        "Латинская Америка и Карибский бассейн",
        "拉丁美洲和加勒比",
        "أمريكا اللاتينية ومنطقة البحر الكاريبي",
    ),
    "m49-005": (
        "Amérique du Sud",
        "América del Sur",
        "Южная Америка",
        "南美洲",
        "أمريكا الجنوبية",
    ),
    "m49-011": (
        "Afrique occidentale",
        "África occidental",
        "Западная Африка",
        "西部非洲",
        "غرب أفريقيا",
    ),
    "m49-013": (
        "Amérique centrale",
        "América Central",
        "Центральная Америка",
        "中美洲",
        "أمريكا الوسطى",
    ),
    "m49-014": (
        "Afrique orientale",
        "África oriental",
        "Восточная Африка",
        "东部非洲",
        "شرق أفريقيا",
    ),
    "m49-017": (
        "Afrique centrale",
        "África central",
        "Центральная Африка",
        "中部非洲",
        "وسط أفريقيا",
    ),
    "m49-018": (
        "Afrique australe",
        "África meridional",
        "Южная часть Африки",
        "南部非洲",
        "الجنوب الأفريقي",
    ),
    "m49-029": (
        "Caraïbes",
        "Caribe",
        "Карибский бассейн",
        "加勒比",
        "منطقة البحر الكاريبي",
    ),
    "hrc-african": (
        "États d'Afrique",
        "Estados de África",
        "Государства Африки",
        "非洲国家组",
        "مجموعة الدول الأفريقية",
    ),
    "hrc-asia-pacific": (
        "États d'Asie et du Pacifique",
        "Estados de Asia y el Pacífico",
        "Государства Азиатско-Тихоокеанского региона",
        "亚洲-太平洋国家组",
        "مجموعة دول آسيا والمحيط الهادئ",
    ),
    "hrc-eastern-european": (
        "États d'Europe orientale",
        "Estados de Europa Oriental",
        "Государства Восточной Европы",
        "东欧国家组",
        "مجموعة دول أوروبا الشرقية",
    ),
    "hrc-grulac": (
        "États d'Amérique latine et des Caraïbes",
        "Estados de América Latina y el Caribe",
        "Государства Латинской Америки и Карибского бассейна",
        "拉丁美洲和加勒比国家组",
        "مجموعة دول أمريكا اللاتينية ومنطقة البحر الكاريبي",
    ),
    "hrc-weog": (
        "États d'Europe occidentale et autres États",
        "Estados de Europa Occidental y otros Estados",
        "Государства Западной Европы и другие государства",
        "西欧和其他国家组",
        "مجموعة دول أوروبا الغربية ودول أخرى",
    ),
    "ldc": (
        "Pays les moins avancés",
        "Países menos adelantados",
        "Наименее развитые страны",
        "最不发达国家",
        "أقل البلدان نمواً",
    ),
    "lldc": (
        "Pays en développement sans littoral",
        "Países en desarrollo sin litoral",
        "Развивающиеся страны, не имеющие выхода к морю",
        "内陆发展中国家",
        "البلدان النامية غير الساحلية",
    ),
    "sids": (
        "Petits États insulaires en développement",
        "Pequeños Estados insulares en desarrollo",
        "Малые островные развивающиеся государства",
        "小岛屿发展中国家",
        "الدول الجزرية الصغيرة النامية",
    ),
}

# Theme labels in the other five UN languages, written by the developers in the terms of
# the UHRI and OHCHR documents in each language (the titles of the treaties' articles and
# of the special procedures mandates where there is one). Not official UN translations.
# code -> (fr, es, ru, zh, ar)
THEME_LABELS: dict[str, tuple[str, str, str, str, str]] = {
    "2030-agenda": (
        "Programme 2030 et autres engagements volontaires",
        "Agenda 2030 y otros compromisos voluntarios",
        "Повестка дня на период до 2030 года и другие добровольные обязательства",
        "2030年议程和其他自愿承诺",
        "خطة عام 2030 والالتزامات الطوعية الأخرى",
    ),
    "access-to-justice": (
        "Accès à la justice et aux voies de recours",
        "Acceso a la justicia y a recursos efectivos",
        "Доступ к правосудию и средствам правовой защиты",
        "诉诸司法和获得补救",
        "الوصول إلى العدالة وسبل الانتصاف",
    ),
    "administration-of-justice": (
        "Administration de la justice et procès équitable",
        "Administración de justicia y juicio imparcial",
        "Отправление правосудия и справедливое судебное разбирательство",
        "司法工作和公正审判",
        "إقامة العدل والمحاكمة العادلة",
    ),
    "advancement-of-women": (
        "Promotion de la femme",
        "Adelanto de la mujer",
        "Улучшение положения женщин",
        "提高妇女地位",
        "النهوض بالمرأة",
    ),
    "arbitrary-detention": (
        "Arrestation et détention arbitraires",
        "Arresto y detención arbitrarios",
        "Произвольные арест и задержание",
        "任意逮捕和拘留",
        "القبض والاحتجاز التعسفيان",
    ),
    "budget-resources": (
        "Budget et ressources (pour la mise en œuvre des droits de l'homme)",
        "Presupuesto y recursos (para la efectividad de los derechos humanos)",
        "Бюджет и ресурсы (для осуществления прав человека)",
        "预算和资源（用于落实人权）",
        "الميزانية والموارد (لإعمال حقوق الإنسان)",
    ),
    "business-human-rights": (
        "Entreprises et droits de l'homme",
        "Empresas y derechos humanos",
        "Предпринимательская деятельность и права человека",
        "工商业与人权",
        "الأعمال التجارية وحقوق الإنسان",
    ),
    "children-general": (
        "Enfants : définition, principes généraux, protection",
        "Niños: definición, principios generales, protección",
        "Дети: определение, общие принципы, защита",
        "儿童：定义、一般原则、保护",
        "الأطفال: التعريف، والمبادئ العامة، والحماية",
    ),
    "children-family-care": (
        "Enfants : milieu familial et protection de remplacement",
        "Niños: entorno familiar y modalidades alternativas de cuidado",
        "Дети: семейное окружение и альтернативный уход",
        "儿童：家庭环境和替代照料",
        "الأطفال: البيئة الأسرية والرعاية البديلة",
    ),
    "juvenile-justice": (
        "Enfants : justice pour mineurs",
        "Niños: justicia juvenil",
        "Дети: правосудие в отношении несовершеннолетних",
        "儿童：少年司法",
        "الأطفال: قضاء الأحداث",
    ),
    "children-exploitation": (
        "Enfants : protection contre l'exploitation",
        "Niños: protección contra la explotación",
        "Дети: защита от эксплуатации",
        "儿童：免遭剥削",
        "الأطفال: الحماية من الاستغلال",
    ),
    "civil-political-rights": (
        "Droits civils et politiques – mesures générales",
        "Derechos civiles y políticos – medidas generales",
        "Гражданские и политические права – общие меры",
        "公民权利和政治权利——一般措施",
        "الحقوق المدنية والسياسية – التدابير العامة",
    ),
    "conditions-of-detention": (
        "Conditions de détention",
        "Condiciones de detención",
        "Условия содержания под стражей",
        "拘留条件",
        "ظروف الاحتجاز",
    ),
    "constitutional-framework": (
        "Cadre constitutionnel et législatif",
        "Marco constitucional y legislativo",
        "Конституционная и законодательная основа",
        "宪法和立法框架",
        "الإطار الدستوري والتشريعي",
    ),
    "civil-society-cooperation": (
        "Coopération et consultation avec la société civile",
        "Cooperación y consultas con la sociedad civil",
        "Сотрудничество и консультации с гражданским обществом",
        "与民间社会的合作和协商",
        "التعاون والتشاور مع المجتمع المدني",
    ),
    "treaty-bodies": (
        "Coopération avec les organes conventionnels et suivi",
        "Cooperación con los órganos de tratados y seguimiento",
        "Сотрудничество с договорными органами и последующая деятельность",
        "与条约机构的合作和后续行动",
        "التعاون مع هيئات المعاهدات والمتابعة",
    ),
    "cooperation-with-mechanisms": (
        "Coopération avec les mécanismes des droits de l'homme et demandes d'assistance technique",
        "Cooperación con los mecanismos de derechos humanos y solicitudes de asistencia técnica",
        "Сотрудничество с механизмами в области прав человека и просьбы о технической помощи",
        "与人权机制的合作和技术援助请求",
        "التعاون مع آليات حقوق الإنسان وطلبات المساعدة التقنية",
    ),
    "cultural-rights": (
        "Droits culturels",
        "Derechos culturales",
        "Культурные права",
        "文化权利",
        "الحقوق الثقافية",
    ),
    "data-collection": (
        "Collecte de données et recherche",
        "Recopilación de datos e investigación",
        "Сбор данных и исследования",
        "数据收集和研究",
        "جمع البيانات والبحوث",
    ),
    "death-penalty": (
        "Peine de mort",
        "Pena de muerte",
        "Смертная казнь",
        "死刑",
        "عقوبة الإعدام",
    ),
    "discrimination-against-women": (
        "Discrimination à l'égard des femmes",
        "Discriminación contra la mujer",
        "Дискриминация в отношении женщин",
        "对妇女的歧视",
        "التمييز ضد المرأة",
    ),
    "domestic-violence": (
        "Violence domestique",
        "Violencia doméstica",
        "Насилие в семье",
        "家庭暴力",
        "العنف المنزلي",
    ),
    "esc-rights": (
        "Droits économiques, sociaux et culturels – mesures générales",
        "Derechos económicos, sociales y culturales – medidas generales",
        "Экономические, социальные и культурные права – общие меры",
        "经济、社会和文化权利——一般措施",
        "الحقوق الاقتصادية والاجتماعية والثقافية – التدابير العامة",
    ),
    "enforced-disappearances": (
        "Disparitions forcées",
        "Desapariciones forzadas",
        "Насильственные исчезновения",
        "强迫失踪",
        "الاختفاء القسري",
    ),
    "non-discrimination": (
        "Égalité et non-discrimination",
        "Igualdad y no discriminación",
        "Равенство и недискриминация",
        "平等和不歧视",
        "المساواة وعدم التمييز",
    ),
    "extrajudicial-executions": (
        "Exécutions extrajudiciaires, sommaires ou arbitraires",
        "Ejecuciones extrajudiciales, sumarias o arbitrarias",
        "Внесудебные казни, казни без надлежащего судебного разбирательства или произвольные казни",
        "法外处决、即审即决或任意处决",
        "حالات الإعدام خارج نطاق القضاء أو بإجراءات موجزة أو تعسفاً",
    ),
    "freedom-of-association": (
        "Liberté d'association",
        "Libertad de asociación",
        "Свобода ассоциации",
        "结社自由",
        "حرية تكوين الجمعيات",
    ),
    "freedom-of-movement": (
        "Liberté de circulation",
        "Libertad de circulación",
        "Свобода передвижения",
        "迁徙自由",
        "حرية التنقل",
    ),
    "freedom-of-expression": (
        "Liberté d'opinion et d'expression et accès à l'information",
        "Libertad de opinión y de expresión y acceso a la información",
        "Свобода мнений и их свободное выражение и доступ к информации",
        "见解和言论自由及获取信息",
        "حرية الرأي والتعبير والحصول على المعلومات",
    ),
    "freedom-of-religion": (
        "Liberté de pensée, de conscience et de religion",
        "Libertad de pensamiento, de conciencia y de religión",
        "Свобода мысли, совести и религии",
        "思想、良心和宗教自由",
        "حرية الفكر والوجدان والدين",
    ),
    "governance-corruption": (
        "Bonne gouvernance et corruption",
        "Buena gobernanza y corrupción",
        "Благое управление и коррупция",
        "善治和腐败",
        "الحكم الرشيد والفساد",
    ),
    "climate-change": (
        "Droits de l'homme et changements climatiques",
        "Derechos humanos y cambio climático",
        "Права человека и изменение климата",
        "人权与气候变化",
        "حقوق الإنسان وتغير المناخ",
    ),
    "poverty": (
        "Droits de l'homme et pauvreté",
        "Derechos humanos y pobreza",
        "Права человека и нищета",
        "人权与贫困",
        "حقوق الإنسان والفقر",
    ),
    "environment": (
        "Droits de l'homme et environnement",
        "Derechos humanos y medio ambiente",
        "Права человека и окружающая среда",
        "人权与环境",
        "حقوق الإنسان والبيئة",
    ),
    "human-rights-education": (
        "Éducation aux droits de l'homme, formation et sensibilisation",
        "Educación en derechos humanos, capacitación y sensibilización",
        "Образование в области прав человека, подготовка кадров и повышение осведомленности",
        "人权教育、培训和提高认识",
        "التثقيف والتدريب في مجال حقوق الإنسان والتوعية",
    ),
    "trafficking-slavery": (
        "Traite des êtres humains et formes contemporaines d'esclavage",
        "Trata de personas y formas contemporáneas de la esclavitud",
        "Торговля людьми и современные формы рабства",
        "贩运人口和当代形式的奴隶制",
        "الاتجار بالبشر وأشكال الرق المعاصرة",
    ),
    "indigenous-peoples": (
        "Peuples autochtones",
        "Pueblos indígenas",
        "Коренные народы",
        "土著人民",
        "الشعوب الأصلية",
    ),
    "international-criminal-humanitarian-law": (
        "Droit international pénal et humanitaire",
        "Derecho internacional penal y humanitario",
        "Международное уголовное и гуманитарное право",
        "国际刑法和国际人道主义法",
        "القانون الجنائي الدولي والقانون الإنساني الدولي",
    ),
    "right-to-work": (
        "Droits des travailleurs et droit au travail",
        "Derechos laborales y derecho al trabajo",
        "Трудовые права и право на труд",
        "劳工权利和工作权",
        "حقوق العمال والحق في العمل",
    ),
    "land-property-rights": (
        "Droits fonciers et droit de propriété",
        "Derechos sobre la tierra y derecho de propiedad",
        "Права на землю и право собственности",
        "土地权和财产权",
        "الحقوق المتعلقة بالأراضي والحق في الملكية",
    ),
    "legal-institutional-reform": (
        "Réforme juridique et institutionnelle",
        "Reforma jurídica e institucional",
        "Правовая и институциональная реформа",
        "法律和体制改革",
        "الإصلاح القانوني والمؤسسي",
    ),
    "liberty-security": (
        "Liberté et sécurité de la personne",
        "Libertad y seguridad personales",
        "Свобода и личная неприкосновенность",
        "人身自由和安全",
        "الحرية والأمان على الشخص",
    ),
    "minorities": (
        "Personnes appartenant à des minorités",
        "Personas pertenecientes a minorías",
        "Лица, принадлежащие к меньшинствам",
        "少数群体成员",
        "الأشخاص المنتمون إلى أقليات",
    ),
    "migrants": (
        "Migrants",
        "Migrantes",
        "Мигранты",
        "移民",
        "المهاجرون",
    ),
    "national-action-plans": (
        "Plans d'action nationaux en faveur des droits de l'homme / plans de mise en œuvre",
        "Planes nacionales de acción de derechos humanos / planes de aplicación",
        "Национальные планы действий в области прав человека / планы осуществления",
        "国家人权行动计划/落实计划",
        "خطط العمل الوطنية لحقوق الإنسان/خطط التنفيذ",
    ),
    "nhri": (
        "Institution nationale des droits de l'homme",
        "Institución nacional de derechos humanos",
        "Национальное правозащитное учреждение",
        "国家人权机构",
        "المؤسسة الوطنية لحقوق الإنسان",
    ),
    "nmirf": (
        "Mécanisme national de mise en œuvre, d'établissement de rapports et de suivi",
        "Mecanismo nacional de aplicación, presentación de informes y seguimiento",
        "Национальный механизм по осуществлению, представлению докладов и последующей деятельности",
        "国家执行、报告和后续行动机制",
        "الآلية الوطنية للتنفيذ والإبلاغ والمتابعة",
    ),
    "women-participation": (
        "Participation des femmes à la vie politique et publique",
        "Participación de la mujer en la vida política y pública",
        "Участие женщин в политической и общественной жизни",
        "妇女参与政治和公共生活",
        "مشاركة المرأة في الحياة السياسية والعامة",
    ),
    "disability-general": (
        "Personnes handicapées : définition, principes généraux",
        "Personas con discapacidad: definición, principios generales",
        "Инвалиды: определение, общие принципы",
        "残疾人：定义、一般原则",
        "الأشخاص ذوو الإعاقة: التعريف، والمبادئ العامة",
    ),
    "disability-inclusion": (
        "Personnes handicapées : autonomie, inclusion",
        "Personas con discapacidad: independencia, inclusión",
        "Инвалиды: самостоятельность, вовлеченность в общество",
        "残疾人：独立生活、融入社会",
        "الأشخاص ذوو الإعاقة: الاستقلالية، والإدماج",
    ),
    "disability-integrity": (
        "Personnes handicapées : intégrité de la personne",
        "Personas con discapacidad: integridad personal",
        "Инвалиды: защита личной целостности",
        "残疾人：保护人身完整性",
        "الأشخاص ذوو الإعاقة: حماية السلامة الشخصية",
    ),
    "disability-violence-abuse": (
        "Personnes handicapées : protection contre l'exploitation, la violence et la maltraitance",
        "Personas con discapacidad: protección contra la explotación, la violencia y el abuso",
        "Инвалиды: защита от эксплуатации, насилия и надругательства",
        "残疾人：免于剥削、暴力和凌虐",
        "الأشخاص ذوو الإعاقة: عدم التعرض للاستغلال والعنف والاعتداء",
    ),
    "disability-accessibility": (
        "Personnes handicapées : accessibilité, mobilité",
        "Personas con discapacidad: accesibilidad, movilidad",
        "Инвалиды: доступность, мобильность",
        "残疾人：无障碍、个人行动能力",
        "الأشخاص ذوو الإعاقة: إمكانية الوصول، والتنقل الشخصي",
    ),
    "disability-situations-of-risk": (
        "Personnes handicapées : situations de risque",
        "Personas con discapacidad: situaciones de riesgo",
        "Инвалиды: ситуации риска",
        "残疾人：危难情况",
        "الأشخاص ذوو الإعاقة: حالات الخطر",
    ),
    "privacy": (
        "Droit à la vie privée",
        "Vida privada e intimidad",
        "Личная жизнь и неприкосновенность частной жизни",
        "私生活和隐私",
        "الحياة الخاصة والخصوصية",
    ),
    "torture": (
        "Interdiction de la torture et des mauvais traitements",
        "Prohibición de la tortura y los malos tratos",
        "Запрещение пыток и жестокого обращения",
        "禁止酷刑和虐待",
        "حظر التعذيب وسوء المعاملة",
    ),
    "racial-discrimination": (
        "Discrimination raciale",
        "Discriminación racial",
        "Расовая дискриминация",
        "种族歧视",
        "التمييز العنصري",
    ),
    "ratification": (
        "Ratification des instruments internationaux et adhésion à ces instruments",
        "Ratificación de los instrumentos internacionales y adhesión a ellos",
        "Ратификация международных договоров и присоединение к ним",
        "批准和加入国际文书",
        "التصديق على الصكوك الدولية والانضمام إليها",
    ),
    "refugees-asylum-seekers": (
        "Réfugiés et demandeurs d'asile",
        "Refugiados y solicitantes de asilo",
        "Беженцы и просители убежища",
        "难民和寻求庇护者",
        "اللاجئون وملتمسو اللجوء",
    ),
    "right-to-housing": (
        "Droit à un logement convenable",
        "Derecho a una vivienda adecuada",
        "Право на достаточное жилище",
        "适足住房权",
        "الحق في السكن اللائق",
    ),
    "standard-of-living": (
        "Droit à un niveau de vie suffisant",
        "Derecho a un nivel de vida adecuado",
        "Право на достаточный жизненный уровень",
        "适当生活水准权",
        "الحق في مستوى معيشي لائق",
    ),
    "legal-personality": (
        "Droit à la reconnaissance de la personnalité juridique",
        "Derecho al reconocimiento de la personalidad jurídica",
        "Право на признание правосубъектности",
        "法律人格获得承认的权利",
        "الحق في الاعتراف بالشخصية القانونية",
    ),
    "right-to-development": (
        "Droit au développement",
        "Derecho al desarrollo",
        "Право на развитие",
        "发展权",
        "الحق في التنمية",
    ),
    "right-to-education": (
        "Droit à l'éducation",
        "Derecho a la educación",
        "Право на образование",
        "受教育权",
        "الحق في التعليم",
    ),
    "right-to-food": (
        "Droit à l'alimentation",
        "Derecho a la alimentación",
        "Право на питание",
        "食物权",
        "الحق في الغذاء",
    ),
    "right-to-health": (
        "Droit à la santé",
        "Derecho a la salud",
        "Право на здоровье",
        "健康权",
        "الحق في الصحة",
    ),
    "right-to-life": (
        "Droit à la vie",
        "Derecho a la vida",
        "Право на жизнь",
        "生命权",
        "الحق في الحياة",
    ),
    "participation-public-affairs": (
        "Droit de prendre part à la direction des affaires publiques et droit de vote",
        "Derecho a participar en los asuntos públicos y derecho de voto",
        "Право на участие в ведении государственных дел и право голоса",
        "参与公共事务的权利和选举权",
        "الحق في المشاركة في الشؤون العامة والحق في التصويت",
    ),
    "peaceful-assembly": (
        "Droit de réunion pacifique",
        "Derecho de reunión pacífica",
        "Право на мирные собрания",
        "和平集会权",
        "الحق في التجمع السلمي",
    ),
    "physical-moral-integrity": (
        "Droit à l'intégrité physique et morale",
        "Derecho a la integridad física y moral",
        "Право на физическую и моральную неприкосновенность",
        "身心完整权",
        "الحق في السلامة البدنية والمعنوية",
    ),
    "self-determination": (
        "Droit à l'autodétermination",
        "Derecho a la libre determinación",
        "Право на самоопределение",
        "自决权",
        "الحق في تقرير المصير",
    ),
    "social-security": (
        "Droit à la sécurité sociale",
        "Derecho a la seguridad social",
        "Право на социальное обеспечение",
        "社会保障权",
        "الحق في الضمان الاجتماعي",
    ),
    "marriage-family": (
        "Droits relatifs au mariage et à la famille",
        "Derechos relacionados con el matrimonio y la familia",
        "Права, связанные с браком и семьей",
        "与婚姻和家庭有关的权利",
        "الحقوق المتعلقة بالزواج والأسرة",
    ),
    "name-identity-nationality": (
        "Droits relatifs au nom, à l'identité et à la nationalité",
        "Derechos relacionados con el nombre, la identidad y la nacionalidad",
        "Права, связанные с именем, идентичностью и гражданством",
        "与姓名、身份和国籍有关的权利",
        "الحقوق المتعلقة بالاسم والهوية والجنسية",
    ),
    "rule-of-law-impunity": (
        "État de droit et impunité",
        "Estado de derecho e impunidad",
        "Верховенство права и безнаказанность",
        "法治和有罪不罚",
        "سيادة القانون والإفلات من العقاب",
    ),
    "water-sanitation": (
        "Eau potable et assainissement",
        "Agua potable y saneamiento",
        "Безопасная питьевая вода и санитария",
        "安全饮用水和环境卫生",
        "مياه الشرب المأمونة والصرف الصحي",
    ),
    "scope-of-obligations": (
        "Portée des obligations internationales",
        "Alcance de las obligaciones internacionales",
        "Сфера охвата международных обязательств",
        "国际义务的范围",
        "نطاق الالتزامات الدولية",
    ),
    "gender-based-violence": (
        "Violence sexuelle et fondée sur le genre",
        "Violencia sexual y de género",
        "Сексуальное и гендерное насилие",
        "性暴力和基于性别的暴力",
        "العنف الجنسي والجنساني",
    ),
    "sexual-reproductive-health": (
        "Santé et droits sexuels et procréatifs",
        "Salud y derechos sexuales y reproductivos",
        "Сексуальное и репродуктивное здоровье и права",
        "性健康和生殖健康及权利",
        "الصحة والحقوق الجنسية والإنجابية",
    ),
    "victims-witnesses": (
        "Soutien aux victimes et aux témoins",
        "Apoyo a las víctimas y los testigos",
        "Поддержка жертв и свидетелей",
        "支持受害者和证人",
        "دعم الضحايا والشهود",
    ),
    "trade-union-rights": (
        "Droits syndicaux",
        "Derechos sindicales",
        "Профсоюзные права",
        "工会权利",
        "الحقوق النقابية",
    ),
    "unilateral-coercive-measures": (
        "Mesures coercitives unilatérales",
        "Medidas coercitivas unilaterales",
        "Односторонние принудительные меры",
        "单方面强制性措施",
        "التدابير القسرية الانفرادية",
    ),
    "mercenaries": (
        "Utilisation de mercenaires / sociétés de sécurité privées",
        "Utilización de mercenarios / empresas de seguridad privada",
        "Использование наемников / частные охранные компании",
        "使用雇佣军/私营保安公司",
        "استخدام المرتزقة/الشركات الأمنية الخاصة",
    ),
    "violence-against-women": (
        "Violence à l'égard des femmes",
        "Violencia contra la mujer",
        "Насилие в отношении женщин",
        "对妇女的暴力行为",
        "العنف ضد المرأة",
    ),
}

LANGS = ["en", "fr", "es", "ru", "zh", "ar"]
UNTERM_ARTICLES = {"the", "The", "l'", "le", "la", "les", "Les", "el", "los", "las", "Las"}

# Obvious defects in the hdx M49 fallback names of a few non-member territories:
# (iso3, lang) -> (name found in the source, replacement). The script fails if
# the source value changes, so each fix is re-checked on every run.
# Blank replacement = the source text is garbled and we have no reliable name.
NAME_FIXES = {
    ("ALA", "ru"): ("Аландских островов", "Аландские острова"),  # genitive -> nominative
    ("ATA", "ru"): ("Антарктике", "Антарктика"),  # prepositional -> nominative
    ("CCK", "ru"): ("Кокосовых (Килинг) островов", "Кокосовые (Килинг) острова"),  # genitive
    ("CXR", "ru"): ("остров Рождества", "Остров Рождества"),  # capitalisation
    ("ATF", "ar"): (
        "الأراضي الفرنسية الجنوبية الجنوبية",
        "الأراضي الفرنسية الجنوبية",
    ),  # repeated word
    ("IOT", "ar"): (
        "المحيط الهندي الإقليم البريطاني في",
        "الإقليم البريطاني في المحيط الهندي",
    ),  # word order
    ("UMI", "ar"): ("نائية التابعة للولايات المتحدة", ""),  # truncated: left blank
}

SESSION_54_YEAR = 2027  # not in the source; see README


# ---------------------------------------------------------------------------
def write_csv(name: str, header: list[str], rows: list[list]) -> None:
    path = OUT / name
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow(["" if v is None else v for v in r])
    print(f"wrote {path.relative_to(REPO)} ({len(rows)} rows)")


def read_lines(path: Path) -> list[str]:
    return [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


def clean_unterm(name: str | None) -> str:
    if not name:
        return ""
    s = name.strip().rstrip("*").strip()
    m = re.match(r"^(.*\S)\s*\(([^()]*)\)$", s)
    if m and m.group(2) in UNTERM_ARTICLES:
        s = m.group(1)
    return s


def norm(s: str) -> str:
    s = s.replace("’", "'").lower()
    return re.sub(r"[^a-z0-9]+", " ", s).strip()


def load_wcg(shared: Path) -> dict[str, set[str]]:
    out = {}
    for gid in ["ag", "ap", "eeg", "grulac", "weog", "ldcs", "lldcs", "sids", "un"]:
        data = json.loads(
            (shared / "reference/worldcountrygroups_0.5.0" / f"{gid}.json").read_text("utf-8")
        )
        s = set()
        for c in data["countries"]:
            iso3 = c.get("iso3") or WCG_FIX_BLANK_ISO3.get((gid, c["name"]), "")
            if not iso3:
                print(f"  wcg {gid}: dropping entry with blank ISO3: {c['name']!r}")
                continue
            if (gid, iso3) in WCG_REMOVE:
                print(f"  wcg {gid}: removing {iso3} (decision)")
                continue
            s.add(iso3)
        out[gid] = s
    return out


def build_countries(shared: Path, wcg: dict[str, set[str]]):
    import openpyxl  # only needed here

    ref = shared / "reference"
    with (ref / "UNSD_M49_methodology_with_LDC_LLDC_SIDS.csv").open(
        encoding="utf-8-sig", newline=""
    ) as f:
        unsd = [r for r in csv.DictReader(f, delimiter=";") if r["ISO-alpha3 Code"]]
    with (ref / "hdx-python-country_4.2.5_CT_Taxonomy.csv").open(
        encoding="utf-8-sig", newline=""
    ) as f:
        hdx = {
            r["ISO 3166-1 Alpha 3-Codes"]: r
            for r in csv.DictReader(f)
            if r["ISO 3166-1 Alpha 3-Codes"]
        }

    by_iso3 = {r["ISO-alpha3 Code"]: r for r in unsd}
    assert "PSE" in by_iso3 and "VAT" in by_iso3, (
        "State of Palestine / Holy See missing from M49 table"
    )

    # name index for matching UNTERM rows (no codes there) to ISO3
    index: dict[str, str] = {}
    for iso3, r in by_iso3.items():
        index.setdefault(norm(r["Country or Area"]), iso3)
        h = hdx.get(iso3)
        if h:
            for col in ("English Short", "Preferred Term", "M49 English"):
                if h[col]:
                    index.setdefault(norm(h[col]), iso3)

    wb = openpyxl.load_workbook(ref / "UNTERM_country_names_6_languages.xlsx", read_only=True)
    ws = wb.active
    unterm: dict[str, dict[str, str]] = {}
    unterm_flag: dict[str, str] = {}
    header = None
    for row in ws.iter_rows(values_only=True):
        if header is None:
            header = row
            continue
        if not row[0] or str(row[0]).startswith("*"):
            continue  # blank row or footnote
        raw_en = str(row[0])
        names = {lang: clean_unterm(row[i]) for i, lang in enumerate(LANGS)}
        iso3 = index.get(norm(names["en"]))
        if not iso3:
            sys.exit(f"UNTERM name not matched to ISO3: {raw_en!r}")
        if iso3 in unterm:
            sys.exit(f"UNTERM duplicate for {iso3}")
        unterm[iso3] = names
        unterm_flag[iso3] = "**" if raw_en.endswith("**") else ("*" if raw_en.endswith("*") else "")
    print(f"  UNTERM: {len(unterm)} names matched")

    members = wcg["un"]
    unterm_members = {k for k, v in unterm_flag.items() if v == ""}
    unterm_observers = {k for k, v in unterm_flag.items() if v == "*"}
    assert len(members) == 193, len(members)
    if members != unterm_members:
        sys.exit(
            f"member lists disagree: wcg-only {members - unterm_members}, UNTERM-only {unterm_members - members}"
        )
    assert unterm_observers == OBSERVERS, unterm_observers
    assert members <= set(by_iso3)

    # HRC groups
    hrc: dict[str, str] = {}
    for gid, value in WCG_GROUPS.items():
        for iso3 in wcg[gid]:
            if iso3 in hrc:
                sys.exit(f"{iso3} in two HRC groups: {hrc[iso3]} and {value}")
            hrc[iso3] = value
    assert set(hrc) == members, set(hrc) ^ members
    sizes = {g: sum(1 for v in hrc.values() if v == g) for g in EXPECTED_HRC_SIZES}
    print(f"  HRC group sizes: {sizes} total {sum(sizes.values())}")
    assert sizes == EXPECTED_HRC_SIZES, sizes

    # LDC / LLDC / SIDS: compare sources
    flags = {}
    for key, col, gid, reject in (
        ("ldc", "Least Developed Countries (LDC)", "ldcs", LDC_REJECT_FROM_WCG),
        ("lldc", "Land Locked Developing Countries (LLDC)", "lldcs", {}),
        ("sids", "Small Island Developing States (SIDS)", "sids", SIDS_REJECT_FROM_WCG),
    ):
        u = {k for k, r in by_iso3.items() if r[col].strip().lower() == "x"}
        w = wcg[gid]
        print(f"  {key}: UNSD {len(u)}, worldcountrygroups {len(w)}")
        for k in sorted(u - w):
            print(
                f"    UNSD only: {k} {by_iso3[k]['Country or Area']} -> kept (UNSD is the reference)"
            )
        for k in sorted(w - u):
            why = reject.get(k)
            if why is None:
                sys.exit(f"undecided difference for {key}: {k} only in worldcountrygroups")
            print(
                f"    worldcountrygroups only: {k} {by_iso3[k]['Country or Area']} -> rejected ({why})"
            )
        flags[key] = u
    for k, d in LDC_GRADUATED_OVERRIDE.items():
        print(f"  ldc: {k} set to 0 (graduated {d})")
        flags["ldc"].discard(k)
    for k, d in LDC_SCHEDULED.items():
        if k in LDC_GRADUATED_OVERRIDE:
            continue
        assert k in flags["ldc"]
        print(
            f"  ldc: {k} kept as LDC; graduation scheduled to take effect {d} (after build date 2026-11-23)"
        )

    rows = []
    for r in sorted(unsd, key=lambda r: r["ISO-alpha3 Code"]):
        iso3 = r["ISO-alpha3 Code"]
        h = hdx.get(iso3, {})
        names = {}
        for lang, full in zip(
            LANGS, ["English", "French", "Spanish", "Russian", "Chinese", "Arabic"]
        ):
            v = unterm.get(iso3, {}).get(lang, "")
            if not v and lang == "en":
                v = r["Country or Area"].strip()
            if not v:
                v = (h.get(f"{full} Short") or h.get(f"M49 {full}") or "").strip()
            fix = NAME_FIXES.get((iso3, lang))
            if fix:
                assert v == fix[0], (iso3, lang, v)
                print(f"  name fix {iso3} {lang}: {v!r} -> {fix[1]!r}")
                v = fix[1]
            names[lang] = v
        assert names["en"], iso3
        status = "member" if iso3 in members else ("observer" if iso3 in OBSERVERS else "other")
        rows.append(
            [
                iso3,
                r["ISO-alpha2 Code"],
                r["M49 Code"].zfill(3),
                *[names[lang] for lang in LANGS],
                status,
                hrc.get(iso3, ""),
                r["Region Code"],
                r["Sub-region Code"],
                r["Intermediate Region Code"],
                int(iso3 in flags["ldc"]),
                int(iso3 in flags["lldc"]),
                int(iso3 in flags["sids"]),
            ]
        )
    write_csv(
        "countries.csv",
        [
            "iso3",
            "iso2",
            "m49",
            "name_en",
            "name_fr",
            "name_es",
            "name_ru",
            "name_zh",
            "name_ar",
            "un_status",
            "hrc_group",
            "region",
            "subregion",
            "intermediate_region",
            "ldc",
            "lldc",
            "sids",
        ],
        rows,
    )
    for key, idx in (("ldc", 14), ("lldc", 15), ("sids", 16)):
        allc = sum(1 for x in rows if x[idx] == 1)
        mem = sum(1 for x in rows if x[idx] == 1 and x[9] == "member")
        print(f"  {key}: {mem} UN members, {allc} areas")
    blanks = {lang: sum(1 for x in rows if not x[3 + i]) for i, lang in enumerate(LANGS)}
    print(f"  blank names per language: {blanks}")
    return unsd


def build_regions(unsd):
    regions, subs, inters = {}, {}, {}
    for r in unsd:
        if r["Region Code"]:
            regions[r["Region Code"]] = r["Region Name"]
        if r["Sub-region Code"]:
            prev = subs.setdefault(r["Sub-region Code"], (r["Sub-region Name"], r["Region Code"]))
            assert prev == (r["Sub-region Name"], r["Region Code"])
        if r["Intermediate Region Code"]:
            prev = inters.setdefault(
                r["Intermediate Region Code"], (r["Intermediate Region Name"], r["Sub-region Code"])
            )
            assert prev == (r["Intermediate Region Name"], r["Sub-region Code"])

    def names(code: str) -> list[str]:
        """fr, es, ru, zh, ar from REGION_NAMES."""
        return list(REGION_NAMES[code])

    rows = []
    for c in sorted(regions):
        rows.append([f"m49-{c}", "m49_region", regions[c], *names(f"m49-{c}"), ""])
    for c in sorted(subs):
        rows.append(
            [f"m49-{c}", "m49_subregion", subs[c][0], *names(f"m49-{c}"), f"m49-{subs[c][1]}"]
        )
    for c in sorted(inters):
        rows.append(
            [
                f"m49-{c}",
                "m49_intermediate_region",
                inters[c][0],
                *names(f"m49-{c}"),
                f"m49-{inters[c][1]}",
            ]
        )
    for code, name in REGION_KIND_NAMES.items():
        rows.append([code, "hrc_group", name, *names(code), ""])
    for code, name in UN_GROUP_NAMES.items():
        rows.append([code, "un_group", name, *names(code), ""])
    codes = {r[0] for r in rows}
    assert codes == set(REGION_NAMES), codes ^ set(REGION_NAMES)
    for i in range(5):  # fr, es, ru, zh, ar: every name present and distinct
        translated = [r[3 + i].strip() for r in rows]
        assert all(translated) and len(set(translated)) == len(rows), LANGS[1 + i]
    write_csv(
        "regions.csv",
        [
            "code",
            "kind",
            "name_en",
            "name_fr",
            "name_es",
            "name_ru",
            "name_zh",
            "name_ar",
            "parent_code",
        ],
        rows,
    )


def build_themes(shared: Path):
    ref = shared / "reference"
    labels = read_lines(ref / "uhri_themes.txt")
    assert len(labels) == 84 and set(labels) == set(THEME_CODES), set(labels) ^ set(THEME_CODES)
    codes = [THEME_CODES[lbl] for lbl in labels]
    assert len(set(codes)) == len(codes)
    for c in codes:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", c) and len(c) <= 40, c
    assert set(THEME_LABELS) == set(codes), set(THEME_LABELS) ^ set(codes)
    for i in range(5):  # fr, es, ru, zh, ar: every label present and distinct
        translated = [THEME_LABELS[c][i].strip() for c in codes]
        assert all(translated) and len(set(translated)) == len(codes), LANGS[1 + i]
    write_csv(
        "themes.csv",
        ["code", "label_en", "label_fr", "label_es", "label_ru", "label_zh", "label_ar"],
        [[THEME_CODES[lbl], lbl, *THEME_LABELS[THEME_CODES[lbl]]] for lbl in labels],
    )

    rows = []
    with (ref / "uhri_theme_aliases.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            cur = r["current_label"].strip()
            note = r["note"].strip()
            if not cur:
                kind, code = "none", ""
            else:
                code = THEME_CODES[cur]
                kind = "closest" if note.startswith("closest") else "exact"
            rows.append([r["older_label"].strip(), code, kind, note])
    rows += [list(alias) for alias in PROJECT_THEME_ALIASES]
    write_csv("theme_aliases.csv", ["alias", "theme_code", "kind", "note"], rows)

    groups = read_lines(ref / "uhri_groups_of_persons.txt")
    assert len(groups) == 24 and set(groups) == set(GROUP_CODES)
    assert set(GROUP_LABELS) == set(GROUP_CODES.values())
    for i in range(5):  # fr, es, ru, zh, ar: every label present and distinct
        translated = [GROUP_LABELS[c][i].strip() for c in GROUP_LABELS]
        assert all(translated) and len(set(translated)) == len(groups), LANGS[1 + i]
    write_csv(
        "groups_of_persons.csv",
        ["code", "label_en", "label_fr", "label_es", "label_ru", "label_zh", "label_ar"],
        [[GROUP_CODES[g], g, *GROUP_LABELS[GROUP_CODES[g]]] for g in groups],
    )
    build_group_aliases()

    issues = read_lines(ref / "upr_info_issues.txt")
    assert len(issues) == 54 and set(issues) == set(CROSSWALK), set(issues) ^ set(CROSSWALK)
    in_data = set()
    with (shared / "data/upr_info_cycle1_sessions01-12.csv").open(
        encoding="utf-8", newline=""
    ) as f:
        for r in csv.DictReader(f):
            for i in r["issues"].split(" | "):
                if i.strip():
                    in_data.add(i.strip())
    missing = in_data - set(CROSSWALK)
    assert not missing, missing
    print(f"  UPR Info issues in cycle-1 data: {len(in_data)}, all in crosswalk")
    valid = set(codes)
    rows = []
    for iss in issues:
        tcodes, note = CROSSWALK[iss]
        assert tcodes and all(t in valid for t in tcodes), (iss, tcodes)
        rows.append([iss, "|".join(tcodes), note])
    write_csv("upr_info_issue_crosswalk.csv", ["upr_info_issue", "theme_codes", "note"], rows)


def build_group_aliases():
    """group_aliases.csv: every alias is new (not a current label), unique once compared
    without case, and points to one of the 24 codes unless it is a documented "none"."""
    codes = set(GROUP_CODES.values())
    labels = {norm(g) for g in GROUP_CODES}
    seen = set()
    for alias, code, kind, note in GROUP_ALIASES:
        key = norm(alias)
        assert key not in labels and key not in seen, alias
        seen.add(key)
        assert kind in ("exact", "closest", "none") and note, alias
        assert (code == "") == (kind == "none") and (not code or code in codes), alias
    write_csv(
        "group_aliases.csv",
        ["alias", "group_code", "kind", "note"],
        [list(a) for a in GROUP_ALIASES],
    )


def build_static(shared: Path):
    assert len(SDG_TITLES) == 17
    write_csv(
        "sdg_goals.csv",
        ["code", "number", "label_en", "label_fr", "label_es", "label_ru", "label_zh", "label_ar"],
        [[f"sdg-{i}", i, *t] for i, t in enumerate(SDG_TITLES, start=1)],
    )
    assert len(ASSISTANCE_TYPES) == 10
    write_csv(
        "assistance_types.csv",
        [
            "code",
            "label_en",
            "label_fr",
            "label_es",
            "label_ru",
            "label_zh",
            "label_ar",
            "description_en",
        ],
        [list(t) for t in ASSISTANCE_TYPES],
    )

    years = {}
    with (shared / "reference/upr_session_year.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            years[int(r["session"])] = int(r["year"])
    rows = []
    for s in range(1, 55):
        y = years.get(s)
        if y is None:
            assert s == 54, s
            y = SESSION_54_YEAR
            print(f"  session {s}: year not in source, using {y} (estimate)")
        cycle = 1 if s <= 12 else 2 if s <= 26 else 3 if s <= 40 else 4
        rows.append([s, y, cycle])
    write_csv("upr_sessions.csv", ["session", "year", "cycle"], rows)


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    args = ap.parse_args()
    shared = args.shared.resolve()
    OUT.mkdir(exist_ok=True)
    wcg = load_wcg(shared)
    unsd = build_countries(shared, wcg)
    build_regions(unsd)
    build_themes(shared)
    build_static(shared)


if __name__ == "__main__":
    main()
