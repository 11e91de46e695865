"""The in-app list: each user's own notifications (unread first), marking them read, and the
weekly digest of what has waited too long (with a moved clock)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import time_machine

from app.core.i18n import translations
from tests.support.cli import uprtc
from tests.support.cooperation import Cooperation, Person
from tests.support.factories import ApiFactory

URL = "/api/v1/notifications"


def _list(api: ApiFactory, person: Person, **params: Any) -> dict[str, Any]:
    response = api.client.get(URL, params=params, headers=person.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_each_user_sees_their_own_unread_first_and_marks_them_read(api: ApiFactory) -> None:
    world = Cooperation(api)
    world.propose()
    world.decide(world.provider, "accepted")
    world.decide(world.state, "accepted")  # agreed

    mine = _list(api, world.state_fr)
    assert (mine["total"], mine["unread"]) == (3, 3)
    kinds = [n["kind"] for n in mine["items"]]
    assert kinds == ["match_agreed", "match_answered", "match_proposed"]  # newest first
    proposed = mine["items"][2]
    # In the focal point's language (French).
    french = translations("fr")
    assert proposed["subject"] == french.gettext("Proposed partnership: %(request)s") % {
        "request": world.request["title"]
    }
    assert proposed["subject"] != f"Proposed partnership: {world.request['title']}"
    assert proposed["link"] == f"/state/requests/{world.request['id']}"
    assert (proposed["subject_type"], proposed["subject_id"]) == ("match", world.match["id"])
    assert french.gettext("Please open the proposal to accept or decline it.") in proposed["text"]
    assert proposed["read_at"] is None

    read = api.client.post(f"{URL}/{proposed['id']}/read", headers=world.state_fr.headers)
    assert read.status_code == 200, read.text
    assert read.json()["read_at"] is not None
    after = _list(api, world.state_fr)
    assert after["unread"] == 2
    assert [n["id"] for n in after["items"]][-1] == proposed["id"]  # read ones last
    assert [n["kind"] for n in _list(api, world.state_fr, unread_only=True)["items"]] == [
        "match_agreed",
        "match_answered",
    ]

    # Another user's notification is not there for them; marking all read counts what changed.
    other = api.client.post(f"{URL}/{proposed['id']}/read", headers=world.provider.headers)
    assert other.status_code == 404
    all_read = api.client.post(f"{URL}/read", headers=world.state_fr.headers)
    assert all_read.json() == {"marked": 2}
    assert _list(api, world.state_fr)["unread"] == 0
    assert _list(api, world.state)["unread"] == 2  # the one who agreed was not told of it
    assert api.client.get(URL).status_code == 401


def test_the_weekly_digest_lists_what_has_waited_too_long(api: ApiFactory, db_url: str) -> None:
    world = Cooperation(api)
    world.propose()
    world.decide(world.provider, "accepted")  # the State's answer is awaited
    lonely = api.request("KAZ", status="open", title="Training of prison staff")
    activity = api.activity("KAZ", provider_ids=[world.org["id"]], status="ongoing")

    def digest(days_later: int) -> str:
        moment = datetime.now(UTC) + timedelta(days=days_later)
        with time_machine.travel(moment, tick=False):
            result = uprtc("notifications", "digest", db_url=db_url)
        assert result.returncode == 0, result.stderr
        return result.stdout

    assert digest(3) == "digests queued: 0\n"  # nothing has waited long yet
    # A Wednesday 20 to 26 days on, and the Thursday after: the same ISO week whatever today is.
    later = 20 + (2 - (datetime.now(UTC) + timedelta(days=20)).weekday()) % 7
    assert digest(later) == "digests queued: 4\n"  # both State users, staff; not the provider
    assert digest(later + 1) == "digests queued: 0\n"  # the same ISO week: once

    summary = next(n for n in _list(api, world.state)["items"] if n["kind"] == "digest")
    assert summary["subject"] == "Weekly summary: 1 item has waited too long"
    assert summary["link"] == "/state"
    waited = f"{world.request['title']} — {world.org['name']}, waiting for {later} days"
    assert waited in summary["text"]
    assert "Proposals awaiting your answer" in summary["text"]
    staff = next(n for n in _list(api, world.staff)["items"] if n["kind"] == "digest")
    assert "Proposals awaiting an answer from a party" in staff["text"]
    assert "Training of prison staff" not in staff["text"]  # open for less than 30 days

    assert "digests queued: 5" in digest(100)  # a later week: requests and activities too
    provider = _list(api, world.provider)["items"][0]
    assert provider["kind"] == "digest"
    assert f"{activity['title']}, waiting for 100 days" in provider["text"]
    assert f"/activities/{activity['id']}" in str(provider["params"])
    state = _list(api, world.state)["items"][0]
    assert "Training of prison staff, waiting for 100 days" in state["text"]
    assert f"/state/requests/{lonely['id']}" in str(state["params"])
    assert world.request["title"] not in str(
        next(s for s in state["params"]["sections"] if s["kind"] == "unmatched_requests")
    )  # it has a match
