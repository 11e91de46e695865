"""Every ORM model, imported once so that metadata (and Alembic) sees the whole schema."""

from app.activities.models import Activity
from app.assistance_requests.models import AssistanceRequest
from app.audit.models import AuditEntry
from app.auth.models import ApiToken, User, WebSession
from app.db.base import Base
from app.imports.models import ImportRun
from app.matches.models import Match
from app.notifications.models import Notification, OutboxEmail
from app.offers.models import Offer
from app.organizations.models import Organization
from app.pairing.models import TextEmbedding
from app.recommendations.models import Recommendation
from app.reference.models import (
    AssistanceType,
    Country,
    GroupOfPersons,
    Language,
    Region,
    SdgGoal,
    Theme,
)

__all__ = [
    "Activity",
    "ApiToken",
    "AssistanceRequest",
    "AssistanceType",
    "AuditEntry",
    "Base",
    "Country",
    "GroupOfPersons",
    "ImportRun",
    "Language",
    "Match",
    "Notification",
    "Offer",
    "Organization",
    "OutboxEmail",
    "Recommendation",
    "Region",
    "SdgGoal",
    "TextEmbedding",
    "Theme",
    "User",
    "WebSession",
]
