"""A match's reasons in the reader's language.

The matching library gives structured reasons (`matching.scoring.Reason`: a code and plain
parameters); a match stores them as JSON (`Match.reasons`) beside the English sentence of the
run (`Match.explanation`, kept for matches made before reasons were stored). Here they become
a sentence in any of the six languages, with the reference labels in that language; the API
(`explanation`, from Accept-Language) and the pages use this."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from app.core.i18n import N_, translations
from app.reference import repository as reference_repository

# code -> (sentence, parameter holding the codes to name); English matches matching.scoring.
PHRASES: dict[str, str] = {
    "themes": N_("Themes: %(names)s"),
    "assistance": N_("Help: %(names)s"),
    "covers_state": N_("Covers %(name)s"),
    "covers_region": N_("Covers %(name)s"),
    "global": N_("Global offer"),
    "languages": N_("Delivers in %(names)s"),
    "offer_languages": N_("Delivers in %(names)s"),
    "similar_text": N_("Similar to: '%(snippet)s'"),
}
LIST_SEPARATOR = {"zh": "、", "ar": "، "}
REASON_SEPARATOR = " · "

Reasons = Sequence[Mapping[str, Any]]


def plain(reasons: Iterable[Any]) -> list[Mapping[str, Any]]:
    """Reasons as mappings, whether stored JSON or the API's models."""
    return [r.model_dump() if hasattr(r, "model_dump") else r for r in reasons]


def codes_of(reasons: Reasons) -> set[str]:
    """Every code the reasons name (to look their labels up at once)."""
    codes: set[str] = set()
    for reason in reasons:
        params = reason.get("params") or {}
        codes.update(str(c) for c in params.get("codes") or ())
        if params.get("code"):
            codes.add(str(params["code"]))
    return codes


def word(reasons: Reasons, lang: str, names: Mapping[str, str]) -> str:
    """The reasons as one line: "Themes: Torture · Covers Central Asia · Delivers in Russian"."""
    catalogue = translations(lang)
    separator = LIST_SEPARATOR.get(lang, ", ")
    parts = []
    for reason in reasons:
        code = str(reason.get("code", ""))
        params = reason.get("params") or {}
        if code == "track_record":
            count = int(params.get("count", 0))
            sentence = catalogue.ngettext(
                "%(num)s completed activity on these themes",
                "%(num)s completed activities on these themes",
                count,
            )
            parts.append(sentence % {"num": count})
            continue
        if code not in PHRASES:
            continue  # a reason a newer library gives: left out rather than shown raw
        values = {
            "names": separator.join(names.get(str(c), str(c)) for c in params.get("codes") or ()),
            "name": names.get(str(params.get("code", "")), str(params.get("code", ""))),
            "snippet": str(params.get("snippet", "")),
        }
        parts.append(catalogue.gettext(PHRASES[code]) % values)
    return REASON_SEPARATOR.join(parts)


def explain(session: Session, matches: Iterable[Any], lang: str) -> dict[int, str]:
    """match id -> its explanation in `lang` (matches with reasons; the others keep theirs)."""
    given = {m.id: plain(m.reasons) for m in matches if getattr(m, "reasons", None)}
    if not given:
        return {}
    codes = set().union(*(codes_of(r) for r in given.values()))
    names = reference_repository.labels(session, codes, lang)
    return {match_id: word(r, lang, names) for match_id, r in given.items()}
