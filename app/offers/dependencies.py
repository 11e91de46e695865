from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from app.auth.dependencies import CurrentPrincipal, OfferAuthor
from app.db.session import SessionDep
from app.offers import service
from app.offers.models import Offer


def _visible(offer_id: int, session: SessionDep, principal: CurrentPrincipal) -> Offer:
    return service.get_visible(session, principal, offer_id)


VisibleOffer = Annotated[Offer, Depends(_visible)]


def _editable(author: OfferAuthor, offer: VisibleOffer) -> Offer:
    service.check_can_edit(author, offer)
    return offer


EditableOffer = Annotated[Offer, Depends(_editable)]
