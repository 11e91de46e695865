"""Who hears of a change to an activity: the beneficiary State's users and the users of its
providers (never the person who made the change), when its status or its period (the plan)
changes; `app.notifications` writes the notifications and their emails in the same
transaction. The cancellation that a match's rejection causes is told by the match's notice."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from app.activities.models import Activity, ActivityStatus
from app.auth.principal import Principal
from app.notifications.models import NotificationKind
from app.notifications.service import Notice, Recipients, notify

FOLLOWED = ("status", "period_start", "period_end")

Plan = dict[str, str | None]


def plan_of(activity: Activity) -> Plan:
    """What the notice compares before and after a change."""
    return {name: _plain(getattr(activity, name)) for name in FOLLOWED}


def changed(session: Session, actor: Principal, activity: Activity, before: Plan) -> None:
    after = plan_of(activity)
    changes = [
        {"field": name, "before": before[name], "after": after[name]}
        for name in FOLLOWED
        if before[name] != after[name]
    ]
    if not changes:
        return
    notice = Notice(
        NotificationKind.activity_changed,
        "activity",
        activity.id,
        title=activity.title,
        params={"state": activity.state_iso3, "changes": changes},
    )
    audience = Recipients(
        link=f"/activities/{activity.id}",
        state_iso3=activity.state_iso3,
        organization_ids=activity.provider_ids,
    )
    notify(session, actor, notice, [audience])


def _plain(value: ActivityStatus | date | None) -> str | None:
    if isinstance(value, ActivityStatus):
        return value.value
    return value.isoformat() if value is not None else None
