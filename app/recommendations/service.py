from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.audit import service as audit
from app.auth.principal import Principal
from app.core.errors import NotFound
from app.core.referrers import refuse_if_referenced
from app.db.base import utcnow
from app.recommendations import repository
from app.recommendations.models import (
    Recommendation,
    RecommendationGroup,
    RecommendationSource,
    RecommendationTheme,
    TagSource,
    cycle_for_session,
)
from app.recommendations.schemas import (
    RecommendationCreate,
    RecommendationRead,
    RecommendationTagsUpdate,
    RecommendationUpdate,
)
from app.recommendations.tagging import KINDS, Kind, Tagger, kinds_to_tag, machine_tag, set_codes
from app.reference import service as reference
from app.reference.models import Country, GroupOfPersons, Language, SdgGoal, Theme

ENTITY = "recommendation"
_TAG_MODELS: dict[Kind, type[Theme] | type[GroupOfPersons]] = {
    "themes": Theme,
    "groups": GroupOfPersons,
}


def get(session: Session, recommendation_id: int) -> Recommendation:
    recommendation = repository.get(session, recommendation_id)
    if recommendation is None:
        raise NotFound(f"no recommendation with id {recommendation_id}")
    return recommendation


def _apply(session: Session, rec: Recommendation, changes: dict[str, Any]) -> None:
    """Set plain fields and resolve every code list; unknown codes raise a 422. Themes and
    groups are not set here (see `_set_tags`)."""
    if "state" in changes:
        rec.state_iso3 = reference.resolve_one(session, Country, changes.pop("state"), "state").iso3
    if "language" in changes:
        code = changes.pop("language") or "en"
        rec.language = reference.resolve_one(session, Language, code, "language").code
    links = {"recommending_states": Country, "sdgs": SdgGoal}
    for field, model in links.items():
        if field in changes:
            setattr(rec, field, reference.resolve(session, model, changes.pop(field) or [], field))
    for key, value in changes.items():
        if value is not None:
            setattr(rec, key, value)
    if rec.session is not None and changes.get("cycle") is None:
        rec.cycle = cycle_for_session(rec.session)


def _resolve_tags(session: Session, changes: dict[str, Any]) -> dict[Kind, list[str]]:
    """The themes and groups given (validated codes), removed from `changes`."""
    out: dict[Kind, list[str]] = {}
    for kind in KINDS:
        if kind in changes:  # null or []: none given (the tagger fills the kind)
            found = reference.resolve(session, _TAG_MODELS[kind], changes.pop(kind) or [], kind)
            out[kind] = [item.code for item in found]
    return out


def _set_tags(
    rec: Recommendation,
    given: dict[Kind, list[str]],
    actor: Principal,
    source: TagSource,
) -> None:
    """Themes and groups given by a client: a different set replaces the kind (the codes kept
    are confirmed, the new ones come from `source`); the same set changes nothing."""
    now = utcnow()
    for kind, codes in given.items():
        current = {link.code for link in (rec.theme_links if kind == "themes" else rec.group_links)}
        if set(codes) != current:
            set_codes(
                rec,
                kind,
                codes,
                source=source,
                actor=actor,
                now=now,
                confirm_kept=source == TagSource.staff,
            )


def create(
    session: Session,
    actor: Principal,
    data: RecommendationCreate,
    tagger: Tagger | None = None,
) -> Recommendation:
    """A new recommendation; themes and groups not given come from the tagger (machine)."""
    rec = Recommendation(language="en")
    changes = data.model_dump(exclude_unset=True)
    given = _resolve_tags(session, changes)
    _apply(session, rec, changes)
    rec.source = data.source
    manual = data.source == RecommendationSource.manual
    _set_tags(rec, given, actor, TagSource.staff if manual else TagSource.imported)
    machine_tag(session, rec, kinds_to_tag(rec), tagger)
    audit.created(session, actor, ENTITY, rec, RecommendationRead)
    return rec


def update(
    session: Session,
    actor: Principal,
    rec: Recommendation,
    data: RecommendationUpdate,
    tagger: Tagger | None = None,
) -> Recommendation:
    """Staff edit; themes or groups left empty (or only the tagger's, when the text changes)
    are tagged again, unless staff have reviewed them."""
    with audit.changing(session, actor, ENTITY, rec, RecommendationRead):
        changes = data.model_dump(exclude_unset=True, exclude={"version"})
        given = _resolve_tags(session, changes)
        text_before = rec.text
        _apply(session, rec, changes)
        _set_tags(rec, given, actor, TagSource.staff)
        machine_tag(session, rec, kinds_to_tag(rec, text_changed=rec.text != text_before), tagger)
    return rec


def confirm_tags(session: Session, actor: Principal, rec: Recommendation) -> Recommendation:
    """Staff confirm the themes and groups as they are (also "no group")."""
    with audit.changing(session, actor, ENTITY, rec, RecommendationRead, action="confirm_tags"):
        now = utcnow()
        links: list[RecommendationTheme | RecommendationGroup] = [
            *rec.theme_links,
            *rec.group_links,
        ]
        for link in links:
            if link.confirmed_at is None:
                link.confirmed_by_id, link.confirmed_at = actor.user_id, now
        rec.tags_reviewed_at, rec.tags_reviewed_by = now, actor.name
    return rec


def correct_tags(
    session: Session, actor: Principal, rec: Recommendation, data: RecommendationTagsUpdate
) -> Recommendation:
    """Staff set the themes and groups: what they kept is confirmed, what they added is theirs,
    what they removed is gone; the tagger never changes them again."""
    changes = data.model_dump(include={"themes", "groups"})
    given = _resolve_tags(session, changes)
    with audit.changing(session, actor, ENTITY, rec, RecommendationRead, action="correct_tags"):
        now = utcnow()
        for kind, codes in given.items():
            set_codes(
                rec, kind, codes, source=TagSource.staff, actor=actor, now=now, confirm_kept=True
            )
        rec.tags_reviewed_at, rec.tags_reviewed_by = now, actor.name
    return rec


def delete(session: Session, actor: Principal, rec: Recommendation) -> None:
    refuse_if_referenced(session, rec, f"recommendation {rec.id}", "unlink it first")
    audit.deleted(session, actor, ENTITY, rec, RecommendationRead)
