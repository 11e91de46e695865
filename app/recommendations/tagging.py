"""Themes and groups of persons of a recommendation, with where each came from.

Every recommendation gets themes and groups however it arrives (API, every importer): a kind
(themes, groups) left empty is filled by the tagger (`matching.tagging`), each link stored as
`machine` with its score and the model version. Staff confirm them, or correct them, through
the curation (`service.confirm_tags` / `service.correct_tags`); once reviewed, the tagger never
changes that recommendation's themes or groups again, and `uprtc tagger train` learns from it.

The tagger is the service's recommendations model (`app.core.tagger.current_tagger`, profile
`recommendations`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.principal import Principal
from app.core.tagger import current_tagger
from app.recommendations.models import (
    Recommendation,
    RecommendationGroup,
    RecommendationTheme,
    TagSource,
)
from app.reference.models import GroupOfPersons, Theme
from matching.tagging import Tags

Kind = Literal["themes", "groups"]
KINDS: tuple[Kind, Kind] = ("themes", "groups")
#: Texts in, one decision (themes and groups with scores, model version) per text out.
Tagger = Callable[[Sequence[str]], list[Tags]]


def default_tagger() -> Tagger:
    def tag(texts: Sequence[str]) -> list[Tags]:
        return current_tagger("recommendations").tag_many(texts)

    return tag


def links(rec: Recommendation, kind: Kind) -> list[RecommendationTheme] | list[RecommendationGroup]:
    return rec.theme_links if kind == "themes" else rec.group_links


def _new_link(
    kind: Kind, code: str, source: TagSource, score: float | None = None, model: str | None = None
) -> RecommendationTheme | RecommendationGroup:
    if kind == "themes":
        return RecommendationTheme(theme_code=code, source=source, score=score, model_version=model)
    return RecommendationGroup(group_code=code, source=source, score=score, model_version=model)


def set_codes(
    rec: Recommendation,
    kind: Kind,
    codes: Sequence[str],
    *,
    source: TagSource,
    actor: Principal | None,
    now: datetime,
    confirm_kept: bool,
) -> bool:
    """Make `codes` the recommendation's `kind`: links already there stay (with their source,
    score and model), confirmed by `actor` when `confirm_kept`; new codes come from `source`
    (confirmed by `actor` when it is staff). Returns whether the set of codes changed."""
    current = links(rec, kind)
    wanted = list(dict.fromkeys(codes))
    kept = [link for link in current if link.code in wanted]
    have = {link.code for link in kept}
    added = [_new_link(kind, code, source) for code in wanted if code not in have]
    staff_id = actor.user_id if actor is not None else None
    for link in added:
        if source == TagSource.staff:
            link.confirmed_by_id, link.confirmed_at = staff_id, now
    if confirm_kept:
        for link in kept:
            if link.confirmed_at is None:
                link.confirmed_by_id, link.confirmed_at = staff_id, now
    changed = bool(added) or len(kept) != len(current)
    if changed:
        setattr(rec, "theme_links" if kind == "themes" else "group_links", [*kept, *added])
    return changed


def machine_tag(
    session: Session,
    rec: Recommendation,
    kinds: Sequence[Kind],
    tagger: Tagger | None = None,
) -> None:
    """Replace `kinds` of `rec` by the tagger's decision on its text (machine links)."""
    if not kinds or not rec.text.strip():
        return
    (tags,) = (tagger or default_tagger())([rec.text])
    known = known_codes(session)
    for kind in kinds:
        suggestions = tags.themes if kind == "themes" else tags.groups
        new = [
            _new_link(kind, s.code, TagSource.machine, s.score, tags.model_version)
            for s in suggestions
            if s.code in known[kind]
        ]
        setattr(rec, "theme_links" if kind == "themes" else "group_links", new)


def known_codes(session: Session) -> dict[Kind, set[str]]:
    return {
        "themes": set(session.scalars(select(Theme.code))),
        "groups": set(session.scalars(select(GroupOfPersons.code))),
    }


def kinds_to_tag(rec: Recommendation, *, text_changed: bool = False) -> list[Kind]:
    """The kinds the tagger fills: none once staff reviewed the recommendation; otherwise the
    empty ones, and (when the text changed) those that only the tagger gave."""
    if rec.tags_reviewed_at is not None:
        return []
    out: list[Kind] = []
    for kind in KINDS:
        current = links(rec, kind)
        if not current or (
            text_changed and all(link.source == TagSource.machine for link in current)
        ):
            out.append(kind)
    return out
