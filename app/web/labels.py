"""Interface labels for the service's enumerations, marked for translation (N_: extracted into
the catalogues, translated when a template shows them with `_()`)."""

from __future__ import annotations

from app.auth.models import Role
from app.notifications import messages as notification_messages


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "translate later"
    return message


POSITION = {
    "supported": N_("Supported"),
    "noted": N_("Noted"),
    "pending": N_("Position pending"),
}
# Where a recommendation's theme or group came from (app.recommendations.models.TagSource).
TAG_SOURCE = {
    "machine": N_("Suggested by the tagger"),
    "import": N_("From the imported source"),
    "staff": N_("Set by staff"),
}
IMPLEMENTATION_STATUS = {
    "unknown": N_("Implementation unknown"),
    "not_started": N_("Not started"),
    "in_progress": N_("In progress"),
    "partially_implemented": N_("Partially implemented"),
    "fully_implemented": N_("Fully implemented"),
}
REQUEST_STATUS = {
    "draft": N_("Draft"),
    "open": N_("Open"),
    "matched": N_("Matched"),
    "in_progress": N_("In progress"),
    "completed": N_("Completed"),
    "withdrawn": N_("Withdrawn"),
}
OFFER_STATUS = {
    "draft": N_("Draft"),
    "active": N_("Active"),
    "paused": N_("Paused"),
    "closed": N_("Closed"),
}
# The emails that tell of an activity's new status use the same words.
ACTIVITY_STATUS = notification_messages.ACTIVITY_STATUS
ORGANIZATION_TYPE = {
    "state": N_("State"),
    "un_entity": N_("UN entity"),
    "regional_org": N_("Regional organization"),
    "nhri": N_("National human rights institution"),
    "cso": N_("Civil society organization"),
    "academic": N_("Academic institution"),
    "private": N_("Private sector"),
    "other": N_("Other"),
}
# The review of matches, as States, providers and staff see it.
MATCH_STATUS = {
    "suggested": N_("Suggested"),
    "proposed": N_("Proposed"),
    "agreed": N_("Agreed"),
    "declined": N_("Declined"),
    "rejected": N_("Rejected"),
}
PARTY_DECISION = {
    "pending": N_("Awaiting answer"),
    "accepted": N_("Accepted"),
    "declined": N_("Declined"),
}
# Kinds of regions, in the order offers' coverage and the gaps view list them.
REGION_KIND = {
    "m49_region": N_("UN M49 regions"),
    "m49_subregion": N_("UN M49 sub-regions"),
    "m49_intermediate_region": N_("UN M49 intermediate regions"),
    "hrc_group": N_("Human Rights Council regional groups"),
    "un_group": N_("UN country groups (LDC, LLDC, SIDS)"),
}
ROLE = {
    Role.admin: N_("Administrator"),
    Role.staff: N_("OHCHR staff"),
    Role.state: N_("State focal point"),
    Role.provider: N_("Provider"),
}
# Role areas built on this foundation: a link appears in the navigation once a route with this
# name exists (e.g. `@router.get("/state", name="web_state_home")`).
ROLE_AREA = {
    Role.state: ("web_state_home", N_("My State")),
    Role.provider: ("web_provider_home", N_("My organization")),
    Role.staff: ("web_staff_home", N_("Staff area")),
    Role.admin: ("web_staff_home", N_("Staff area")),
}
# The fields of a State's request and a provider's offer, as their history pages name them.
RECORD_FIELD = {
    "title": N_("Title"),
    "description": N_("Description"),
    "recommendation_ids": N_("Recommendations"),
    "themes": N_("Themes"),
    "assistance_types": N_("Kinds of assistance"),
    "languages": N_("Languages"),
    "period_start": N_("Start"),
    "period_end": N_("End"),
    "consent_to_publish": N_("Publication"),
    "status": N_("Status"),
    "state": N_("Requesting State"),
    "countries": N_("Countries"),
    "regions": N_("Regions"),
    "is_global": N_("Worldwide"),
    "capacity": N_("Capacity"),
    "organization_id": N_("Organization"),
}
HISTORY_ACTION = {
    "create": N_("Created"),
    "update": N_("Changed"),
    "delete": N_("Deleted"),
}
# What a party's home page lists first (app.digest.attention), with the digest's headings.
DIGEST_SECTION = notification_messages.DIGEST_SECTION
