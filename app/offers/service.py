"""Rules for providers' offers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from app.audit import service as audit
from app.auth.models import Role
from app.auth.principal import Principal
from app.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.core.periods import check_period
from app.core.referrers import refuse_if_referenced
from app.db.locks import lock
from app.offers import repository
from app.offers.models import Offer, OfferStatus
from app.offers.schemas import OfferCreate, OfferRead, OfferUpdate
from app.organizations.models import Organization
from app.reference import service as reference
from app.reference.models import AssistanceType, Country, Language, Region, Theme

ENTITY = "offer"

_LINKS = (
    ("themes", Theme),
    ("assistance_types", AssistanceType),
    ("languages", Language),
    ("countries", Country),
    ("regions", Region),
)


# What the matching workflow above this domain holds on an offer (app/matches registers it when
# it is imported, as the app and the command line do), so that this domain never imports it:
# the places its matches hold, and what closing the offer ends.
PlacesHeld = Callable[[Session, int], int]
OfferClosed = Callable[[Session, Principal, Offer], None]
_places_held: list[PlacesHeld] = []
_on_closed: list[OfferClosed] = []


class CapacityBelowHeld(Conflict):
    """A capacity lower than the places the offer's matches already hold."""

    def __init__(self, offer: Offer, held: int) -> None:
        super().__init__(
            f"offer {offer.id} already holds {held} places (matches proposed to the parties "
            f"or agreed): its capacity cannot go below {held}",
            field="capacity",
        )
        self.held = held


def count_places_held(rule: PlacesHeld) -> None:
    """`rule(session, offer_id)`: places of the offer that its capacity must keep."""
    _places_held.append(rule)


def when_closed(hook: OfferClosed) -> None:
    """`hook(session, actor, offer)` runs in the transaction that closes the offer."""
    _on_closed.append(hook)


def get_visible(session: Session, principal: Principal, offer_id: int) -> Offer:
    offer = repository.get_visible(session, principal, offer_id)
    if offer is None:
        raise NotFound(f"no offer with id {offer_id}")
    return offer


def check_can_edit(principal: Principal, offer: Offer) -> None:
    if principal.is_staff or principal.is_provider(offer.organization_id):
        return
    raise PermissionDenied("Only the offering organization or OHCHR staff may change this offer")


def _organization_id(session: Session, principal: Principal, wanted: int | None) -> int:
    if principal.role == Role.provider:
        if wanted is not None and wanted != principal.organization_id:
            raise PermissionDenied("A provider registers offers for its own organization only")
        assert principal.organization_id is not None  # noqa: S101 - guaranteed by a DB constraint
        return principal.organization_id
    if wanted is None:
        raise InvalidInput("give the offering organization's id", field="organization_id")
    if session.get(Organization, wanted) is None:
        raise InvalidInput(f"no organization with id {wanted}", field="organization_id")
    return wanted


def _apply(session: Session, offer: Offer, changes: dict[str, Any]) -> None:
    for field, model in _LINKS:
        if field in changes:
            setattr(
                offer, field, reference.resolve(session, model, changes.pop(field) or [], field)
            )
    for key, value in changes.items():
        if value is not None or key.startswith("period_"):
            setattr(offer, key, value)
    check_period(offer)
    if not (offer.is_global or offer.countries or offer.regions):
        raise InvalidInput(
            "say where the offer can help: countries, regions or groups, or is_global",
            field="countries",
        )


def create(session: Session, actor: Principal, data: OfferCreate) -> Offer:
    organization_id = _organization_id(session, actor, data.organization_id)
    offer = Offer(
        organization_id=organization_id,
        created_by_id=actor.user_id,
        description="",
        is_global=False,
        capacity=1,
    )
    _apply(session, offer, data.model_dump(exclude_unset=True, exclude={"organization_id"}))
    offer.status = data.status
    session.add(offer)
    session.flush()
    session.refresh(offer, ["organization"])
    audit.created(session, actor, ENTITY, offer, OfferRead)
    return offer


def update(session: Session, actor: Principal, offer: Offer, data: OfferUpdate) -> Offer:
    if data.capacity is not None and data.capacity < offer.capacity:
        _check_capacity(session, offer, data.capacity)
    closing = data.status == OfferStatus.closed and offer.status != OfferStatus.closed
    with audit.changing(session, actor, ENTITY, offer, OfferRead):
        _apply(session, offer, data.model_dump(exclude_unset=True, exclude={"version"}))
    if closing:
        for hook in _on_closed:
            hook(session, actor, offer)
    return offer


def _check_capacity(session: Session, offer: Offer, capacity: int) -> None:
    """A capacity below the places already held is refused (409 naming them). The offer's row
    is locked first, as proposing locks it, so that no proposal slips in between."""
    lock(session, offer, unchanged=True)
    held = sum(rule(session, offer.id) for rule in _places_held)
    if capacity < held:
        raise CapacityBelowHeld(offer, held)


def delete(session: Session, actor: Principal, offer: Offer) -> None:
    refuse_if_referenced(session, offer, f"offer {offer.id}", "close it instead")
    audit.deleted(session, actor, ENTITY, offer, OfferRead)
