"""The provider's pages: its organization's offers, forms to register and edit them, and its
answers to the matches OHCHR proposes.

Offers are created and changed by the API's offers service with the page's Principal (a
provider works on its own organization's offers only), and an edit carries the version it was
read at, so that two people editing one offer cannot silently overwrite each other."""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from app.auth.principal import Principal
from app.core.concurrency import check_version
from app.core.errors import DomainError, InvalidInput
from app.db.session import SessionDep
from app.matches.models import Party
from app.matches.repository import MatchFilters
from app.offers import repository as offers_repository
from app.offers import service as offers_service
from app.offers.models import Offer, OfferStatus
from app.offers.schemas import OfferCreate, OfferUpdate
from app.organizations.models import Organization
from app.pairing import discovery
from app.reference import repository as reference_repository
from app.reference.models import Country, Region, Theme, UNStatus
from app.web import forms, history, labels, party_pages
from app.web.columns import OWN_OFFERS
from app.web.errors import RefusedChange
from app.web.forms import FieldErrors, PostedForm
from app.web.labels import N_
from app.web.security import verify_csrf
from app.web.sessions import ProviderPagePrincipal
from app.web.templating import render

router = APIRouter(prefix="/provider", include_in_schema=False, dependencies=[Depends(verify_csrf)])
SIDE = party_pages.Side(
    Party.provider,
    home_route="web_provider_home",
    record_route="web_provider_offer",
    record_param="offer_id",
)

FORM_FIELDS = (*forms.RECORD_FIELDS, "countries", "regions", "is_global", "capacity", "status")


def _organization(session: Session, principal: Principal) -> Organization | None:
    return session.get(Organization, principal.organization_id)


def _own_offer(session: Session, principal: Principal, offer_id: int) -> Offer:
    """The organization's own offer: another's is not found (a draft) or not allowed (an
    active one, which anyone may see but only its provider may change)."""
    offer = offers_service.get_visible(session, principal, offer_id)
    offers_service.check_can_edit(principal, offer)
    return offer


# --- the offer form -----------------------------------------------------------------------------
def _values_of(offer: Offer | None) -> dict[str, Any]:
    if offer is None:
        return {
            **forms.empty_record_values(),
            "countries": [],
            "regions": [],
            "is_global": False,
            "capacity": "1",
            "status": OfferStatus.active.value,
            "version": None,
        }
    return {
        "title": offer.title,
        "description": offer.description,
        "themes": offer.theme_codes,
        "assistance_types": offer.assistance_type_codes,
        "languages": offer.language_codes,
        "countries": offer.country_codes,
        "regions": offer.region_codes,
        "is_global": offer.is_global,
        "capacity": str(offer.capacity),
        "period_start": offer.period_start.isoformat() if offer.period_start else "",
        "period_end": offer.period_end.isoformat() if offer.period_end else "",
        "status": offer.status.value,
        "version": offer.version,
    }


def _posted_values(form: FormData) -> dict[str, Any]:
    return {
        **forms.record_values(form),
        "countries": [c.upper() for c in forms.values(form, "countries", 300)],
        "regions": forms.values(form, "regions", 100),
        "is_global": forms.checked(form, "is_global"),
        "capacity": forms.text(form, "capacity", 20),
        "status": forms.text(form, "status", 20),
        "version": forms.version(form),
    }


def _fields(form: FormData, values: dict[str, Any], errors: FieldErrors) -> dict[str, Any]:
    """The schema fields from the posted form; parse errors are added to `errors`."""
    status = values["status"]
    if status not in {s.value for s in OfferStatus}:
        errors.add("status", forms.message_for("status"))
    return {
        **forms.record_data(form, values, errors),
        "countries": values["countries"],
        "regions": values["regions"],
        "is_global": values["is_global"],
        "capacity": forms.parse_int(form, "capacity", errors, 0, 10_000),
        "status": status if status in {s.value for s in OfferStatus} else None,
    }


def _regions_by_kind(session: Session) -> list[tuple[str, list[Region]]]:
    groups: dict[str, list[Region]] = {}
    for region in reference_repository.list_regions(session, None):
        groups.setdefault(region.kind.value, []).append(region)
    return [(kind, groups[kind]) for kind in labels.REGION_KIND if kind in groups]


def _form_page(
    request: Request,
    session: Session,
    principal: Principal,
    values: dict[str, Any],
    *,
    offer: Offer | None = None,
    errors: FieldErrors | None = None,
    conflict: bool = False,
    held_places: int | None = None,
    status_code: int = 200,
) -> Response:
    countries = reference_repository.countries_query(None, None, UNStatus.member.value)
    context = {
        **party_pages.form_context(session, values, errors or FieldErrors(), FORM_FIELDS),
        "offer": offer,
        "conflict": conflict,
        "held_places": held_places,
        "organization": _organization(session, principal),
        "theme_options": reference_repository.list_vocabulary(session, Theme),
        "country_options": list(session.scalars(countries)),
        "region_groups": _regions_by_kind(session),
        "statuses": list(OfferStatus),
    }
    return render(request, "provider/offer_form.html", context, status_code=status_code)


# --- pages --------------------------------------------------------------------------------------
@router.get("", name="web_provider_home")
def home(request: Request, session: SessionDep, principal: ProviderPagePrincipal) -> Response:
    own = offers_repository.offers_query(
        principal, offers_repository.OfferFilters(organization_id=principal.organization_id)
    )
    records = party_pages.home_context(request, session, principal, SIDE, own, OWN_OFFERS)
    if isinstance(records, Response):
        return records
    context = {**records, "organization": _organization(session, principal)}
    return render(request, "provider/home.html", context)


@router.get("/offers/new", name="web_provider_offer_new")
def new_offer(request: Request, session: SessionDep, principal: ProviderPagePrincipal) -> Response:
    return _form_page(request, session, principal, _values_of(None))


@router.post("/offers/new", name="web_provider_offer_create")
def create_offer(
    request: Request, session: SessionDep, principal: ProviderPagePrincipal, form: PostedForm
) -> Response:
    values = _posted_values(form)
    errors = FieldErrors()
    fields = _fields(form, values, errors)
    return party_pages.save_form(
        request,
        SIDE,
        errors,
        lambda: OfferCreate(**{k: v for k, v in fields.items() if v is not None}),
        lambda data: offers_service.create(session, principal, data),
        partial(_form_page, request, session, principal, values),
    )


@router.get("/offers/{offer_id}", name="web_provider_offer")
def offer_page(
    request: Request, offer_id: int, session: SessionDep, principal: ProviderPagePrincipal
) -> Response:
    offer = _own_offer(session, principal, offer_id)
    fitting = discovery.fitting_requests(session, offer)
    context = {
        "offer": offer,
        "matches": party_pages.matches_of(session, principal, MatchFilters(offer_id=offer.id)),
        "countries": {c.iso3: c for c in offer.countries},
        "fitting": fitting,
        "countries_all": {
            iso3: session.get(Country, iso3) for iso3 in {f.request.state_iso3 for f in fitting}
        },
        "versions": history.versions(session, offers_service.ENTITY, offer.id),
        "vocabularies": party_pages.vocabularies(session),
    }
    return render(request, "provider/offer.html", context)


@router.get("/offers/{offer_id}/edit", name="web_provider_offer_edit")
def edit_offer(
    request: Request, offer_id: int, session: SessionDep, principal: ProviderPagePrincipal
) -> Response:
    offer = _own_offer(session, principal, offer_id)
    return _form_page(request, session, principal, _values_of(offer), offer=offer)


@router.post("/offers/{offer_id}/edit", name="web_provider_offer_update")
def update_offer(
    request: Request,
    offer_id: int,
    session: SessionDep,
    principal: ProviderPagePrincipal,
    form: PostedForm,
) -> Response:
    offer = _own_offer(session, principal, offer_id)
    values = _posted_values(form)
    try:
        check_version(offer.version, None, values["version"])
    except DomainError:
        # Someone saved the offer since this form was read: keep what was typed, show the
        # conflict, and let a second save (against the version now current) replace it.
        values["version"] = offer.version
        return _form_page(
            request, session, principal, values, offer=offer, conflict=True, status_code=409
        )
    errors = FieldErrors()
    fields = _fields(form, values, errors)
    form_page = partial(_form_page, request, session, principal, values, offer=offer)

    def save(data: OfferUpdate) -> Offer:
        try:
            return offers_service.update(session, principal, offer, data)
        except offers_service.CapacityBelowHeld as exc:
            errors.add("capacity", N_("The capacity cannot be lower than the places held."))
            page = form_page(errors=errors, held_places=exc.held, status_code=409)
            raise RefusedChange(page) from exc

    return party_pages.save_form(
        request,
        SIDE,
        errors,
        lambda: OfferUpdate(**fields, version=values["version"]),
        save,
        form_page,
    )


@router.post("/matches/{match_id}/decision", name="web_provider_match_decision")
def decide_match(
    request: Request,
    match_id: int,
    session: SessionDep,
    principal: ProviderPagePrincipal,
    form: PostedForm,
) -> Response:
    """Accept or decline a proposed request, as POST /api/v1/matches/{id}/decision does."""
    return party_pages.answer(request, session, principal, SIDE, match_id, form)


@router.post("/matches/{match_id}/decision/take-back", name="web_provider_match_take_back")
def take_back_decision(
    request: Request,
    match_id: int,
    session: SessionDep,
    principal: ProviderPagePrincipal,
    form: PostedForm,
) -> Response:
    """Take back an acceptance while the other party has not answered."""
    return party_pages.take_back(request, session, principal, SIDE, match_id, form)


@router.post("/offers/{offer_id}/interest", name="web_provider_interest")
def express_interest(
    request: Request,
    offer_id: int,
    session: SessionDep,
    principal: ProviderPagePrincipal,
    form: PostedForm,
) -> Response:
    """Interest in a published request that fits the offer: a suggestion for OHCHR to review."""
    offer = _own_offer(session, principal, offer_id)
    request_id = forms.parse_int(form, "request_id", FieldErrors(), 1, 2**31 - 1)
    if request_id is None:
        raise InvalidInput("choose a request", field="request_id")
    discovery.express_interest(session, principal, offer, request_id)
    return SIDE.to_record(request, offer.id)
