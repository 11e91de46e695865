"""What a notification says, in a given language: its subject, its paragraphs, the lists of a
digest and the page to open. The same words serve the email, the in-app list and the API.

The strings are English msgids in the interface's gettext catalogues (`app/web/locales`,
loaded by `app.core.i18n`; `make messages` extracts them from this package too). The
parameters are what the change recorded (`Notification.params`): titles as they were then,
codes (a State's ISO3, a status) that are put into words here, in the reader's language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from babel.dates import format_date
from sqlalchemy.orm import Session

from app.core.i18n import N_, translations
from app.notifications.models import Notification, NotificationKind
from app.reference.models import Country

ACTIVITY_STATUS = {
    "planned": N_("Planned"),
    "ongoing": N_("Ongoing"),
    "completed": N_("Completed"),
    "cancelled": N_("Cancelled"),
}
CHANGED_FIELD = {
    "status": N_("Status: %(before)s → %(after)s"),
    "period_start": N_("Start: %(before)s → %(after)s"),
    "period_end": N_("End: %(before)s → %(after)s"),
}
DIGEST_SECTION = {
    "awaiting_your_answer": N_("Proposals awaiting your answer"),
    "awaiting_an_answer": N_("Proposals awaiting an answer from a party"),
    "unmatched_requests": N_("Open requests without any suggested partner"),
    "stale_activities": N_("Activities not updated for a long time"),
}


@dataclass(frozen=True)
class Section:
    """A list in a digest: a heading, items (text and the page they link to), and how many
    more were left out."""

    heading: str
    items: list[tuple[str, str]]
    more: str = ""


@dataclass(frozen=True)
class Message:
    subject: str
    paragraphs: list[str]
    action: str  # the words of the link to `link`
    link: str  # a path on this site
    sections: list[Section] = field(default_factory=list)


class _Words:
    """The translator for one language, and the State names and dates in it."""

    def __init__(self, lang: str, session: Session) -> None:
        translator = translations(lang)
        self.gettext: Callable[[str], str] = translator.gettext
        self.ngettext: Callable[[str, str, int], str] = translator.ngettext
        self.lang = lang
        self.session = session

    def state(self, iso3: str) -> str:
        country = self.session.get(Country, iso3)
        return country.label(self.lang) if country is not None else iso3

    def day(self, value: str | None) -> str:
        if not value:
            return self.gettext("not set")
        return format_date(date.fromisoformat(value), format="medium", locale=self.lang)


def compose(session: Session, notification: Notification, lang: str) -> Message:
    """The notification in `lang` (English where a catalogue lacks a string)."""
    words = _Words(lang, session)
    return _COMPOSERS[notification.kind](words, notification)


def footer(lang: str, notifications_url: str, account_url: str) -> list[str]:
    """The last lines of every email: why it came, and where to change its language."""
    _ = translations(lang).gettext
    return [
        _(
            "You receive this email because you take part in the UPR technical cooperation "
            "repository. All your notifications: %(url)s"
        )
        % {"url": notifications_url},
        _("To receive these emails in another language, choose it on your account page: %(url)s")
        % {"url": account_url},
    ]


# --- one composer per kind ---------------------------------------------------------------------
def _pair(w: _Words, p: dict[str, Any]) -> dict[str, str]:
    """The names a match's messages use."""
    return {
        "request": str(p.get("request", "")),
        "offer": str(p.get("offer", "")),
        "provider": str(p.get("provider", "")),
        "state": w.state(str(p.get("state", ""))),
    }


def _proposed(w: _Words, n: Notification) -> Message:
    _ = w.gettext
    names = _pair(w, n.params)
    return Message(
        subject=_("Proposed partnership: %(request)s") % names,
        paragraphs=[
            _(
                "OHCHR proposes that %(provider)s help %(state)s with the request "
                "“%(request)s”, through the offer “%(offer)s”."
            )
            % names,
            _("Please open the proposal to accept or decline it."),
        ],
        action=_("Open the proposal"),
        link=n.link,
    )


def _answered(w: _Words, n: Notification) -> Message:
    _ = w.gettext
    names = _pair(w, n.params)
    party = n.params.get("party")
    names["party"] = names["state"] if party == "state" else names["provider"]
    names["other"] = names["provider"] if party == "state" else names["state"]
    if n.params.get("decision") == "declined":
        subject = _("%(party)s declined the proposed partnership: %(request)s") % names
        paragraphs = [
            _(
                "%(party)s declined the partnership proposed for the request “%(request)s” "
                "with the offer “%(offer)s”."
            )
            % names
        ]
        if n.params.get("ended") == "request_withdrawn":
            paragraphs.append(_("The request was withdrawn, which ended the proposal."))
        elif n.params.get("ended") == "offer_closed":
            paragraphs.append(_("The offer was closed, which ended the proposal."))
    else:
        subject = _("%(party)s accepted the proposed partnership: %(request)s") % names
        paragraphs = [
            _(
                "%(party)s accepted the partnership proposed for the request “%(request)s” "
                "with the offer “%(offer)s”."
            )
            % names,
            _("The answer of %(other)s is still awaited.") % names,
        ]
    paragraphs += _reason(w, n.params)
    return Message(subject, paragraphs, action=_("Open the proposal"), link=n.link)


def _agreed(w: _Words, n: Notification) -> Message:
    _ = w.gettext
    names = _pair(w, n.params)
    return Message(
        subject=_("Partnership agreed: %(request)s") % names,
        paragraphs=[
            _(
                "%(state)s and %(provider)s both accepted the partnership for the request "
                "“%(request)s” with the offer “%(offer)s”. It is now a planned activity."
            )
            % names
        ],
        action=_("Open the activity"),
        link=n.link,
    )


def _withdrawn(w: _Words, n: Notification) -> Message:
    _ = w.gettext
    names = _pair(w, n.params)
    paragraphs = [
        _(
            "OHCHR withdrew the partnership proposed between the request “%(request)s” and "
            "the offer “%(offer)s” of %(provider)s."
        )
        % names
    ]
    if n.params.get("activity_cancelled"):
        paragraphs.append(_("The planned activity that it had led to is cancelled."))
    paragraphs += _reason(w, n.params)
    return Message(
        subject=_("Proposal withdrawn: %(request)s") % names,
        paragraphs=paragraphs,
        action=_("Open the page"),
        link=n.link,
    )


def _activity_changed(w: _Words, n: Notification) -> Message:
    _ = w.gettext
    names = {"activity": n.title, "actor": n.actor_name, "state": w.state(n.params["state"])}
    lines = [_("%(actor)s changed the activity “%(activity)s” (%(state)s):") % names]
    for change in n.params.get("changes", []):
        lines.append(_(CHANGED_FIELD[change["field"]]) % _change_values(w, change))
    return Message(
        subject=_("Activity updated: %(activity)s") % names,
        paragraphs=lines,
        action=_("Open the activity"),
        link=n.link,
    )


def _change_values(w: _Words, change: dict[str, Any]) -> dict[str, str]:
    if change["field"] == "status":
        return {k: w.gettext(ACTIVITY_STATUS[change[k]]) for k in ("before", "after")}
    return {k: w.day(change[k]) for k in ("before", "after")}


def _digest(w: _Words, n: Notification) -> Message:
    total = int(n.params.get("total", 0))
    sections = [_digest_section(w, s) for s in n.params.get("sections", [])]
    return Message(
        subject=w.ngettext(
            "Weekly summary: %(num)s item has waited too long",
            "Weekly summary: %(num)s items have waited too long",
            total,
        )
        % {"num": total},
        paragraphs=[w.gettext("These have waited longer than they should. Please have a look.")],
        action=w.gettext("Open your area"),
        link=n.link,
        sections=sections,
    )


def _digest_section(w: _Words, section: dict[str, Any]) -> Section:
    items = [
        (
            w.ngettext(
                "%(title)s, waiting for %(num)s day",
                "%(title)s, waiting for %(num)s days",
                int(item["days"]),
            )
            % {"title": item["title"], "num": item["days"]},
            str(item["link"]),
        )
        for item in section["items"]
    ]
    more = int(section.get("more", 0))
    return Section(
        heading=w.gettext(DIGEST_SECTION[section["kind"]]),
        items=items,
        more=w.ngettext("and %(num)s more", "and %(num)s more", more) % {"num": more}
        if more
        else "",
    )


def _reason(w: _Words, params: dict[str, Any]) -> list[str]:
    reason = params.get("reason")
    return [w.gettext("Reason given: %(reason)s") % {"reason": reason}] if reason else []


_COMPOSERS: dict[NotificationKind, Callable[[_Words, Notification], Message]] = {
    NotificationKind.match_proposed: _proposed,
    NotificationKind.match_answered: _answered,
    NotificationKind.match_agreed: _agreed,
    NotificationKind.match_withdrawn: _withdrawn,
    NotificationKind.activity_changed: _activity_changed,
    NotificationKind.digest: _digest,
}
