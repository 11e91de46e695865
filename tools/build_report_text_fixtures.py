#!/usr/bin/env python3
"""Write Working Group report texts in English and French as they come out of a PDF, and the
parse each must give.

    python tools/build_report_text_fixtures.py

writes `tests/app/imports/fixtures/report_clusters_{en,fr}.txt` and, beside each,
`report_clusters_{en,fr}.expected.json`: one entry per recommendation (paragraph number, text,
recommending States as ISO3 codes in their order), written down here from the recommendations
the text is made of, never computed with the parser.

The texts are laid out like the recommendations section of an A/HRC Working Group report:
headings ("145. The following recommendations ..."), lines wrapped at about 90 characters
(inside State names and State lists too; after the hyphen of a compound word, as a typesetter
breaks), now and then a word hyphenated at a line end, page furniture at every page break
(footer with the GE. job number and the page number, header with the document symbol,
sometimes a footnote under a rule), curly apostrophes, French spacing before ";" (no-break,
narrow no-break or plain space), and clustered paragraphs: several recommendations, each with
its own recommending States, under one paragraph number, which the parser numbers 145.12a,
145.12b, ...

English recommendations are real ones (UPR Info cycle-1 file) re-used under other States; the
French ones are written here in the style of French UPR reports. Recommending States take their
official short names (seed_data/countries.csv, UNTERM) in the report's language.
Deterministic: the same bytes on every run.
"""

from __future__ import annotations

import csv
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "app" / "imports" / "fixtures"
UPR_INFO = REPO / "seed_data" / "upr_info" / "upr_info_cycle1_sessions01-12.csv"
COUNTRIES = REPO / "seed_data" / "countries.csv"

PARAGRAPHS = 170  # numbered paragraphs per language
CLUSTER_SHARE = 0.16  # paragraphs holding two or three recommendations
WIDTH = 92

FRENCH = [
    "Ratifier le deuxième Protocole facultatif se rapportant au Pacte international relatif aux droits civils et politiques, visant à abolir la peine de mort",
    "Envisager de ratifier le deuxième Protocole facultatif se rapportant au Pacte international relatif aux droits civils et politiques, visant à abolir la peine de mort",
    "Ratifier le Protocole facultatif se rapportant à la Convention contre la torture et autres peines ou traitements cruels, inhumains ou dégradants",
    "Mettre en place un mécanisme national de prévention de la torture conforme au Protocole facultatif",
    "Adhérer à la Convention internationale pour la protection de toutes les personnes contre les disparitions forcées",
    "Ratifier la Convention internationale sur la protection des droits de tous les travailleurs migrants et des membres de leur famille",
    "Envisager de ratifier la Convention de 1954 relative au statut des apatrides et la Convention de 1961 sur la réduction des cas d’apatridie",
    "Ratifier le Statut de Rome de la Cour pénale internationale et aligner pleinement sa législation nationale sur celui-ci",
    "Adresser une invitation permanente aux titulaires de mandat au titre des procédures spéciales du Conseil des droits de l’homme",
    "Soumettre dans les meilleurs délais ses rapports en retard aux organes conventionnels",
    "Mettre la Commission nationale des droits de l’homme en pleine conformité avec les Principes de Paris",
    "Doter l’institution nationale des droits de l’homme des ressources humaines et financières nécessaires à l’exercice effectif de son mandat",
    "Renforcer le mécanisme national d’établissement des rapports et de suivi et lui allouer les ressources nécessaires",
    "Adopter un plan d’action national en faveur des droits de l’homme et en assurer la mise en œuvre effective",
    "Poursuivre la mise en œuvre du Plan national d’action en faveur des droits de l’homme (2020-2024)",
    "Abolir la peine de mort pour tous les crimes et commuer toutes les condamnations à mort en peines d’emprisonnement",
    "Instaurer un moratoire officiel sur les exécutions en vue d’abolir la peine de mort",
    "Veiller à ce que toutes les allégations de torture et de mauvais traitements fassent l’objet d’enquêtes rapides, impartiales et efficaces",
    "Améliorer les conditions de détention, notamment en réduisant la surpopulation carcérale et en garantissant l’accès aux soins de santé",
    "Recourir davantage aux peines de substitution à la détention, en particulier pour les mineurs",
    "Garantir l’indépendance du pouvoir judiciaire, notamment par des procédures transparentes de nomination des juges",
    "Renforcer l’accès à la justice des personnes vivant dans la pauvreté, notamment au moyen de l’aide juridictionnelle",
    "Redoubler d’efforts pour lutter contre la corruption à tous les niveaux de l’administration publique",
    "Garantir le droit à la liberté d’expression, en ligne et hors ligne, et mettre la loi sur les médias en conformité avec l’article 19 du Pacte",
    "Dépénaliser la diffamation et l’inscrire dans le Code civil, conformément aux normes internationales",
    "Protéger les journalistes et les défenseurs des droits de l’homme contre les menaces, le harcèlement et les représailles",
    "Adopter une loi sur la protection des défenseurs des droits de l’homme et veiller à son application effective",
    "Garantir le droit de réunion pacifique et veiller à ce que les forces de l’ordre n’aient pas recours à une force excessive",
    "Créer un environnement sûr et favorable pour la société civile et lever les restrictions à l’enregistrement des associations",
    "Adopter une loi générale contre la discrimination qui couvre tous les motifs, y compris l’orientation sexuelle et l’identité de genre",
    "Dépénaliser les relations sexuelles entre adultes consentants de même sexe",
    "Redoubler d’efforts pour lutter contre les discours de haine et les crimes motivés par la haine visant les minorités",
    "Adopter une loi sur la violence domestique et ériger en infraction le viol conjugal",
    "Adopter une stratégie nationale de lutte contre la violence à l’égard des femmes et des filles et y consacrer des ressources suffisantes",
    "Veiller à ce que les victimes de violence fondée sur le genre aient accès à des foyers d’accueil, à une aide juridique et à des soins",
    "Relever l’âge minimum du mariage à 18 ans pour les filles comme pour les garçons et éliminer les mariages d’enfants",
    "Éliminer les mutilations génitales féminines, notamment par des campagnes de sensibilisation et des poursuites contre les auteurs",
    "Renforcer la participation des femmes à la vie politique et publique, notamment par des mesures temporaires spéciales",
    "Abroger les dispositions discriminatoires à l’égard des femmes dans le Code de la famille",
    "Garantir l’égalité de rémunération entre les femmes et les hommes pour un travail de valeur égale",
    "Intensifier la lutte contre la traite des personnes, en particulier des femmes et des enfants, et protéger les victimes",
    "Adopter un plan d’action national contre la traite des êtres humains et renforcer la coopération régionale en la matière",
    "Éliminer les pires formes de travail des enfants et renforcer l’inspection du travail",
    "Garantir l’enregistrement gratuit et universel des naissances, y compris dans les zones rurales",
    "Interdire expressément les châtiments corporels dans tous les contextes, y compris au sein de la famille",
    "Mettre en place un système de justice pour mineurs conforme à la Convention relative aux droits de l’enfant",
    "Garantir l’accès de tous les enfants, y compris les enfants handicapés, à une éducation inclusive et de qualité",
    "Réduire les taux d’abandon scolaire des filles, en particulier dans les zones rurales",
    "Intégrer l’éducation aux droits de l’homme dans les programmes scolaires à tous les niveaux",
    "Améliorer l’accès aux services de santé, y compris de santé sexuelle et procréative, en particulier pour les femmes des zones rurales",
    "Réduire la mortalité maternelle et infantile en renforçant les soins de santé primaires",
    "Garantir l’accès universel à l’eau potable et à l’assainissement",
    "Poursuivre ses efforts de réduction de la pauvreté et des inégalités, en particulier dans les zones rurales",
    "Étendre la protection sociale aux travailleurs du secteur informel",
    "Garantir le droit à un logement convenable et prévenir les expulsions forcées",
    "Associer les peuples autochtones à toute décision concernant leurs terres et leurs ressources, conformément au principe du consentement préalable, libre et éclairé",
    "Protéger les droits des personnes appartenant à des minorités, notamment leur droit d’utiliser leur langue",
    "Garantir les droits des migrants, y compris des travailleurs domestiques, et lutter contre leur exploitation",
    "Respecter le principe de non-refoulement et garantir l’accès des demandeurs d’asile à des procédures équitables",
    "Renforcer la protection des personnes déplacées dans leur propre pays et faciliter leur retour volontaire",
    "Adopter une stratégie nationale en faveur des personnes handicapées et garantir l’accessibilité des bâtiments publics",
    "Garantir les droits des personnes âgées, notamment leur accès à la protection sociale et aux soins de santé",
    "Intégrer une perspective fondée sur les droits de l’homme dans les politiques d’adaptation aux changements climatiques",
    "Veiller à ce que les entreprises respectent les droits de l’homme, notamment en adoptant un plan d’action national sur les entreprises et les droits de l’homme",
    "Renforcer la coopération avec le Haut-Commissariat des Nations Unies aux droits de l’homme",
    "Solliciter l’assistance technique du Haut-Commissariat pour la mise en œuvre des recommandations acceptées",
    "Dispenser aux agents des forces de l’ordre une formation aux droits de l’homme, notamment sur l’usage proportionné de la force",
    "Enquêter sur toutes les allégations d’exécutions extrajudiciaires et traduire les auteurs en justice",
    "Mettre fin à l’impunité pour les violations graves des droits de l’homme commises par des agents de l’État",
    "Garantir le droit à un procès équitable, y compris l’accès à un avocat dès le début de la garde à vue",
    "Réviser la loi sur la lutte contre le terrorisme afin qu’elle soit conforme au droit international des droits de l’homme",
    "Veiller à ce que la loi sur les organisations non gouvernementales ne restreigne pas indûment leurs activités",
    "Garantir la liberté de religion ou de conviction pour tous, sans discrimination",
    "Prendre des mesures pour prévenir l’apatridie et faciliter l’accès à la nationalité des enfants nés sur son territoire",
    "Renforcer la collecte de données ventilées sur la violence à l’égard des femmes et des enfants",
    "Allouer des ressources suffisantes à la mise en œuvre de la politique nationale de l’enfance (2021-2025)",
    "Lutter contre le travail forcé et la servitude pour dettes, notamment dans l’agriculture",
    "Veiller à ce que les détenus en attente de jugement soient séparés des condamnés",
    "Mener une campagne de sensibilisation contre la stigmatisation des personnes vivant avec le VIH/sida",
    "Associer la société civile au suivi des recommandations issues de l’Examen périodique universel",
    "Accélérer l’adoption du projet de loi sur l’accès à l’information",
    "Renforcer l’autonomisation économique des femmes, notamment leur accès à la terre et au crédit",
    "Protéger les enfants contre l’exploitation sexuelle en ligne et hors ligne",
    "Mettre en œuvre les recommandations du Comité pour l’élimination de la discrimination à l’égard des femmes",
    "Garantir aux personnes privées de liberté l’accès à des soins de santé adéquats",
    "Poursuivre la réforme du secteur de la sécurité dans le respect des droits de l’homme",
    "Intensifier les efforts visant à garantir l’inclusion sociale des Roms",
    "Redoubler d’efforts pour scolariser les enfants handicapés dans l’enseignement ordinaire",
    "Adopter des mesures pour garantir l’autonomie et l’inclusion des personnes handicapées dans la société",
]  # fmt: skip

# Texts that end with a bracket that is not a State: kept in the text.
ENGLISH_EXTRA = [
    "Consider ratifying the Optional Protocol to the Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment (OPCAT)",
    "Continue to implement the National Action Plan on Human Rights (2019-2023)",
    "Ratify the Convention on the Elimination of All Forms of Discrimination against Women (CEDAW)",
    "Ratify the Domestic Workers Convention, 2011 (No. 189) of the International Labour Organization (ILO)",
    "Ratify the Second Optional Protocol to the International Covenant on Civil and Political Rights, aiming at the abolition of the death penalty",
    "Consider ratifying the Second Optional Protocol to the International Covenant on Civil and Political Rights, aiming at the abolition of the death penalty",
    "Take further steps to achieve target 16.9 of the Sustainable Development Goals and ensure free birth registration for all children",
    "Adopt a comprehensive, gender-sensitive and evidence-based strategy to combat trafficking in persons, with a victim-centred approach",
    "Strengthen decision-making processes on community-based services for older persons and persons with disabilities",
]  # fmt: skip
FRENCH_EXTRA = [
    "Ratifier le Protocole facultatif à la Convention contre la torture (OPCAT)",
    "Mettre en œuvre le plan national de développement (2021-2025) en tenant compte des droits de l’homme",
]


@dataclass
class Recommendation:
    text: str
    states: list[tuple[str, str]]  # (name as written, ISO3)


@dataclass
class Language:
    code: str
    symbol: str
    job: str
    state_under_review: str
    headings: tuple[str, str, str]
    recycle: str
    footnote: str
    texts: list[str]
    names: list[tuple[str, str]]  # (name, ISO3)


def english_texts() -> list[str]:
    with UPR_INFO.open(encoding="utf-8", newline="") as handle:
        texts = sorted({row["recommendation"].strip() for row in csv.DictReader(handle)})
    kept = []
    for text in texts:
        text = re.sub(r"\s+", " ", text).rstrip(" .;")
        if not 50 <= len(text) <= 330 or text.endswith(")") or not text[:1].isupper():
            continue
        if re.search(r"\)\s*;|[;:]\s*$|\(|\)|\d+\.\d+|\b\d{1,3}$", text):
            continue  # brackets and numbers are exercised by ENGLISH_EXTRA
        kept.append(text)
    return kept


def state_names(column: str) -> list[tuple[str, str]]:
    with COUNTRIES.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["un_status"] in {"member", "observer"}]
    # Reports print curly apostrophes: Côte d’Ivoire, Lao People’s Democratic Republic.
    return [(r[column].replace("'", "\u2019"), r["iso3"]) for r in rows]


ENGLISH = Language(
    code="en",
    symbol="A/HRC/55/16",
    job="GE.23-24817",
    state_under_review="Ruritania",
    headings=(
        "The following recommendations will be examined by Ruritania, which will provide "
        "responses in due time, but no later than the fifty-fifth session of the Human Rights "
        "Council:",
        "The following recommendations did not enjoy the support of Ruritania and will thus be "
        "noted:",
        "All conclusions and/or recommendations contained in the present report reflect the "
        "position of the submitting State(s) and/or the State under review. They should not be "
        "construed as endorsed by the Working Group as a whole.",
    ),
    recycle="Please recycle",
    footnote="See A/HRC/WG.6/44/RUR/1, paras. 12\u201315.",
    texts=[],
    names=[],
)
FRANCAIS = Language(
    code="fr",
    symbol="A/HRC/55/7",
    job="GE.23-24551",
    state_under_review="la Ruritanie",
    headings=(
        "Les recommandations ci-après seront examinées par la Ruritanie, qui y répondra en "
        "temps voulu, et au plus tard à la cinquante-cinquième session du Conseil des droits de "
        "l\u2019homme\u00a0:",
        "Les recommandations ci-après n\u2019ont pas recueilli l\u2019appui de la Ruritanie et "
        "il en a été pris note\u00a0:",
        "Toutes les conclusions et/ou recommandations figurant dans le présent rapport "
        "reflètent la position de l\u2019État ou des États qui les ont présentées et/ou de "
        "l\u2019État examiné. Elles ne sauraient être considérées comme ayant été approuvées par "
        "le Groupe de travail dans son ensemble.",
    ),
    recycle="Merci de recycler",
    footnote="Voir A/HRC/WG.6/44/RUR/1, par. 12 à 15.",
    texts=[],
    names=[],
)


def compose(language: Language, rng: random.Random) -> list[tuple[str, list[Recommendation]]]:
    """(paragraph number, its recommendations) for the two sections of the report."""
    texts = list(language.texts)
    rng.shuffle(texts)
    extras = ENGLISH_EXTRA if language.code == "en" else FRENCH_EXTRA
    pool = extras + texts
    paragraphs = []
    first_section = PARAGRAPHS * 2 // 3
    used = 0
    for number in range(1, PARAGRAPHS + 1):
        major, minor = (145, number) if number <= first_section else (146, number - first_section)
        members = rng.choice([2, 2, 2, 3]) if rng.random() < CLUSTER_SHARE else 1
        recommendations = []
        for _ in range(members):
            text = pool[used % len(pool)]
            used += 1
            count = rng.choice([1, 1, 1, 2, 2, 3, 4])
            recommendations.append(Recommendation(text, rng.sample(language.names, count)))
        paragraphs.append((f"{major}.{minor}", recommendations))
    return paragraphs


def paragraph_text(recommendations: list[Recommendation], language: Language, last: bool,
                   rng: random.Random) -> str:  # fmt: skip
    parts = []
    for position, recommendation in enumerate(recommendations):
        states = " ".join(f"({name})" for name, _ in recommendation.states)
        final = position == len(recommendations) - 1
        end = "." if final and last else ";"
        if language.code == "fr":
            end = rng.choice(["\u00a0", "\u202f", " ", " ", ""]) + end if end == ";" else end
        parts.append(f"{recommendation.text} {states}{end}")
    return " ".join(parts)


def wrap(text: str, first: str, rng: random.Random) -> list[str]:
    """Greedy lines of about WIDTH characters, as a typesetter would: a compound word may break
    after its hyphen; now and then a long word is hyphenated."""
    lines: list[str] = []
    line = first
    for word in text.split(" "):
        if len(line) + 1 + len(word) <= WIDTH:
            line = f"{line} {word}" if line else word
            continue
        room = WIDTH - len(line) - 1
        hyphen = word.rfind("-", 0, room)
        if hyphen > 1 and word[hyphen - 1].isalpha() and word[hyphen + 1 : hyphen + 2].isalpha():
            lines.append(f"{line} {word[: hyphen + 1]}")
            line = word[hyphen + 1 :]
        elif rng.random() < 0.25 and re.fullmatch(r"[a-zéèêàçôû]{9,}", word) and room > 6:
            cut = _syllable_cut(word)
            lines.append(f"{line} {word[:cut]}-")
            line = word[cut:]
        else:
            lines.append(line)
            line = word
    lines.append(line)
    return lines


def _syllable_cut(word: str) -> int:
    """After a vowel followed by a consonant, near the middle: imple-mentation, discrimi-nation."""
    vowels = "aeiouyéèêàâîôû"
    middle = len(word) // 2
    for offset in range(len(word)):
        for cut in (middle + offset, middle - offset):
            if 4 <= cut <= len(word) - 4 and word[cut - 1] in vowels and word[cut] not in vowels:
                return cut
    return middle


def lay_out(language: Language, rng: random.Random) -> tuple[str, list[dict[str, object]]]:
    paragraphs = compose(language, rng)
    expected: list[dict[str, object]] = []
    body = wrap(language.headings[0], "145.", rng)
    for index, (number, recommendations) in enumerate(paragraphs):
        if number == "146.1":
            body.extend(wrap(language.headings[1], "146.", rng))
        last = index == len(paragraphs) - 1
        text = paragraph_text(recommendations, language, last, rng)
        body.extend(wrap(text, number, rng))
        for position, recommendation in enumerate(recommendations):
            suffix = "abcdefghij"[position] if len(recommendations) > 1 else ""
            expected.append(
                {
                    "paragraph": number + suffix,
                    "text": recommendation.text,
                    "states": [iso3 for _, iso3 in recommendation.states],
                }
            )
    body.extend(wrap(language.headings[2], "147.", rng))
    return "\n".join(paginate(body, language, rng)) + "\n", expected


def paginate(body: list[str], language: Language, rng: random.Random) -> list[str]:
    """Page furniture every 44-48 lines: footer (GE. job number, page number), the next page's
    header (document symbol), and now and then a footnote under a rule."""
    job = language.job
    out = [language.symbol, "", "II. Conclusions and/or recommendations"
           if language.code == "en" else "II. Conclusions et/ou recommandations", ""]  # fmt: skip
    page = 11
    footnotes = 0
    next_break = rng.choice([44, 46, 48])
    for count, line in enumerate(body, start=1):
        out.append(line)
        if count == next_break:
            next_break += rng.choice([44, 46, 48])
            if rng.random() < 0.3:
                footnotes += 1
                out += ["__________________", f"{footnotes} {language.footnote}"]
            if page == 11:
                out += [f"{job} ({language.code.upper()})    150124    170124", "*2324817*",
                        language.recycle]  # fmt: skip
            else:
                out += [f"{job}" + " " * 60 + f"{page}"]
            page += 1
            out += [" " * 60 + language.symbol, ""]
    return out


def main() -> None:
    ENGLISH.texts = english_texts()
    ENGLISH.names = state_names("name_en")
    FRANCAIS.texts = FRENCH
    FRANCAIS.names = state_names("name_fr")
    for language, seed in ((ENGLISH, 145), (FRANCAIS, 146)):
        text, expected = lay_out(language, random.Random(seed))
        name = f"report_clusters_{language.code}"
        (FIXTURES / f"{name}.txt").write_text(text, encoding="utf-8")
        lines = [json.dumps(entry, ensure_ascii=False) for entry in expected]
        (FIXTURES / f"{name}.expected.json").write_text(
            "[\n" + ",\n".join(lines) + "\n]\n", encoding="utf-8"
        )
        numbers = {str(e["paragraph"]).rstrip("abcdefghij") for e in expected}
        print(f"{name}: {len(numbers)} paragraphs, {len(expected)} recommendations")


if __name__ == "__main__":
    main()
