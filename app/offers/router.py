from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from app.auth.dependencies import CurrentPrincipal, OfferAuthor
from app.core.concurrency import IfMatch, check_version, versioned
from app.core.pagination import Pagination
from app.core.schemas import ConceptsPage
from app.core.semantic import SemanticDep
from app.db.session import SessionDep
from app.offers import repository, search, service
from app.offers.dependencies import EditableOffer, VisibleOffer
from app.offers.models import OfferStatus
from app.offers.schemas import OfferCreate, OfferRead, OfferUpdate
from app.reference.concepts import concepts_read
from app.reference.filters import known_codes
from app.reference.models import AssistanceType, Country, Language, Region, Theme

router = APIRouter(prefix="/offers", tags=["offers"])


async def _filters(
    organization_id: Annotated[int | None, Query(ge=1)] = None,
    status: OfferStatus | None = None,
    theme: Annotated[str | None, Query(max_length=60)] = None,
    assistance_type: Annotated[str | None, Query(max_length=60)] = None,
    language: Annotated[str | None, Query(max_length=60)] = None,
    country: Annotated[str | None, Query(max_length=3, description="Names this country")] = None,
    region: Annotated[str | None, Query(max_length=40, description="Names this region")] = None,
    covers: Annotated[
        str | None, Query(max_length=3, description="Covers this country (ISO3), in any way")
    ] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="Title or description contains")
    ] = None,
    _codes: Annotated[
        None,
        Depends(
            known_codes(
                theme=Theme,
                assistance_type=AssistanceType,
                language=Language,
                country=Country,
                region=Region,
                covers=Country,
            )
        ),
    ] = None,
) -> repository.OfferFilters:
    return repository.OfferFilters(
        organization_id=organization_id,
        status=status,
        theme=theme,
        assistance_type=assistance_type,
        language=language,
        country=country,
        region=region,
        covers=covers,
        q=q,
    )


Filters = Annotated[repository.OfferFilters, Depends(_filters)]


@router.get("", response_model=ConceptsPage[OfferRead])
def list_offers(
    principal: CurrentPrincipal,
    session: SessionDep,
    page: Pagination,
    filters: Filters,
    semantic: SemanticDep,
) -> ConceptsPage[OfferRead]:
    """With `q`: first the offers closest in meaning to `q`, in any UN language (at most 10),
    then every other one whose title or description contains `q`, by id; when none contains
    `q`, a word or two naming themes (`concepts`), the offers on them."""
    items, total, concepts = search.search(session, principal, filters, page, semantic)
    return ConceptsPage[OfferRead](
        items=[OfferRead.model_validate(o) for o in items],
        total=total,
        limit=page.limit,
        offset=page.offset,
        concepts=concepts_read(concepts),
    )


@router.get("/{offer_id}", response_model=OfferRead)
def get_offer(offer: VisibleOffer, response: Response) -> OfferRead:
    return versioned(response, offer, OfferRead)


@router.post("", response_model=OfferRead, status_code=status.HTTP_201_CREATED)
def create_offer(
    author: OfferAuthor, data: OfferCreate, session: SessionDep, response: Response
) -> OfferRead:
    offer = service.create(session, author, data)
    return versioned(response, offer, OfferRead)


@router.patch("/{offer_id}", response_model=OfferRead)
def update_offer(
    author: OfferAuthor,
    offer: EditableOffer,
    data: OfferUpdate,
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
) -> OfferRead:
    check_version(offer.version, if_match, data.version)
    offer = service.update(session, author, offer, data)
    return versioned(response, offer, OfferRead)


@router.delete("/{offer_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_offer(author: OfferAuthor, offer: EditableOffer, session: SessionDep) -> None:
    service.delete(session, author, offer)
