from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from app.core.errors import NotFound
from app.core.pagination import Pagination, page_of
from app.core.schemas import Page
from app.core.tagger import current_tagger
from app.db.session import SessionDep
from app.reference import repository
from app.reference.filters import known_codes
from app.reference.models import (
    AssistanceType,
    GroupOfPersons,
    Language,
    Region,
    RegionKind,
    SdgGoal,
    Theme,
    UNStatus,
)
from app.reference.schemas import (
    AssistanceTypeRead,
    CountryRead,
    RegionRead,
    ThemeSuggestionRead,
    ThemeSuggestionsRead,
    ThemeSuggestRequest,
    VocabularyRead,
)
from matching.tagging import detect_language

router = APIRouter(tags=["reference"])


@router.get("/countries", response_model=Page[CountryRead])
def list_countries(
    session: SessionDep,
    page: Pagination,
    q: Annotated[str | None, Query(max_length=100, description="Name or code contains")] = None,
    region: Annotated[str | None, Query(max_length=40, description="Member of region")] = None,
    un_status: UNStatus | None = None,
    _codes: Annotated[None, Depends(known_codes(region=Region))] = None,
) -> Page[CountryRead]:
    return page_of(session, repository.countries_query(q, region, un_status), page, CountryRead)


@router.get("/countries/{iso3}", response_model=CountryRead)
def get_country(iso3: str, session: SessionDep) -> CountryRead:
    country = repository.get_country(session, iso3.upper())
    if country is None:
        raise NotFound(f"no country with code {iso3!r}")
    return CountryRead.model_validate(country)


@router.get("/regions", response_model=list[RegionRead])
def list_regions(session: SessionDep, kind: RegionKind | None = None) -> list[RegionRead]:
    return [RegionRead.model_validate(r) for r in repository.list_regions(session, kind)]


@router.get("/regions/{code}", response_model=RegionRead)
def get_region(code: str, session: SessionDep) -> RegionRead:
    region = repository.get_region(session, code)
    if region is None:
        raise NotFound(f"no region or group with code {code!r}")
    return RegionRead.model_validate(region)


@router.get("/themes", response_model=list[VocabularyRead])
def list_themes(session: SessionDep) -> list[VocabularyRead]:
    return [VocabularyRead.model_validate(t) for t in repository.list_vocabulary(session, Theme)]


@router.post("/themes/suggest", response_model=ThemeSuggestionsRead)
def suggest_themes(data: ThemeSuggestRequest, session: SessionDep) -> ThemeSuggestionsRead:
    """UHRI themes for a text in any of the six UN languages, best first, with scores in [0, 1].
    `selected` marks the themes the tagger would assign on its own."""
    tagger = current_tagger()
    labels = {t.code: t.label_en for t in repository.list_vocabulary(session, Theme)}
    chosen = set(tagger.predict_codes(data.text))
    return ThemeSuggestionsRead(
        language=detect_language(data.text),
        suggestions=[
            ThemeSuggestionRead(
                code=s.code,
                label=labels.get(s.code, s.code),
                score=s.score,
                selected=s.code in chosen,
            )
            for s in tagger.suggest(data.text, top_k=data.top_k)
        ],
    )


@router.get("/assistance-types", response_model=list[AssistanceTypeRead])
def list_assistance_types(session: SessionDep) -> list[AssistanceTypeRead]:
    rows = repository.list_vocabulary(session, AssistanceType)
    return [AssistanceTypeRead.model_validate(t) for t in rows]


@router.get("/groups-of-persons", response_model=list[VocabularyRead])
def list_groups_of_persons(session: SessionDep) -> list[VocabularyRead]:
    rows = repository.list_vocabulary(session, GroupOfPersons)
    return [VocabularyRead.model_validate(t) for t in rows]


@router.get("/sdg-goals", response_model=list[VocabularyRead])
def list_sdg_goals(session: SessionDep) -> list[VocabularyRead]:
    return [VocabularyRead.model_validate(t) for t in repository.list_vocabulary(session, SdgGoal)]


@router.get("/languages", response_model=list[VocabularyRead])
def list_languages(session: SessionDep) -> list[VocabularyRead]:
    return [VocabularyRead.model_validate(t) for t in repository.list_vocabulary(session, Language)]
