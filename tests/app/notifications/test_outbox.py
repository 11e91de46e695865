"""The outbox: a failing mail server never loses or blocks a change; emails wait, are retried,
and staff see them and retry them; two senders at once send each email once."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from fastapi.testclient import TestClient

from app.config import Settings
from app.db.session import create_db_engine, create_session_factory
from app.main import create_app
from app.notifications.sender import EMAIL_OFF, MailConfig, SendReport, send_due
from tests.support.cooperation import Cooperation
from tests.support.factories import ApiFactory
from tests.support.mail import MailServer

from .conftest import Send

OUTBOX = "/api/v1/notifications/outbox"


def _rows(api: ApiFactory, **params: Any) -> list[dict[str, Any]]:
    response = api.client.get(OUTBOX, params=params, headers=api.staff)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def _retry(api: ApiFactory, row_id: int) -> dict[str, Any]:
    response = api.client.post(f"{OUTBOX}/{row_id}/retry", headers=api.staff)
    assert response.status_code == 200, response.text
    row: dict[str, Any] = response.json()
    return row


def test_a_mail_server_that_is_down_neither_blocks_nor_loses_a_change(
    api: ApiFactory, mail: MailServer, send: Send
) -> None:
    world = Cooperation(api)
    mail.stop()
    assert world.propose()["status"] == "proposed"  # the change succeeds

    assert "to retry 1" in send().stdout  # the first email fails; the pass ends there
    failing = [r for r in _rows(api) if r["attempts"]]
    assert len(failing) == 1
    (row,) = failing
    assert row["status"] == "pending"
    assert "ConnectionRefusedError" in row["last_error"]
    waits = datetime.fromisoformat(row["next_attempt_at"]) - datetime.now(UTC)
    assert timedelta(seconds=30) < waits <= timedelta(minutes=1)
    assert {r["status"] for r in _rows(api)} == {"pending"}  # nothing lost

    mail.start()
    send()  # the two emails not tried yet go; the failed one waits for its time
    assert len(mail.received) == 2
    assert _rows(api, status="pending") == [row]
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=2), tick=False):
        send()
    assert len(mail.received) == 3
    assert {r["status"] for r in _rows(api)} == {"sent"}
    sent = next(r for r in _rows(api) if r["id"] == row["id"])
    assert (sent["attempts"], sent["last_error"]) == (2, None)


def test_a_refused_recipient_fails_at_once_and_staff_retry_it(
    api: ApiFactory, mail: MailServer, send: Send
) -> None:
    world = Cooperation(api)
    mail.refused.add(str(world.provider.email))
    world.propose()
    assert "failed 1" in send().stdout
    (failed,) = _rows(api, status="failed")
    assert failed["recipient"] == world.provider.email
    assert "550" in failed["last_error"]
    assert failed["subject"].startswith("Proposed partnership")
    assert len(mail.received) == 2  # the others went

    mail.refused.clear()
    assert _retry(api, failed["id"])["status"] == "pending"
    send()
    assert [r.recipients for r in mail.received[2:]] == [[world.provider.email]]
    assert next(r for r in _rows(api) if r["id"] == failed["id"])["status"] == "sent"
    again = api.client.post(f"{OUTBOX}/{failed['id']}/retry", headers=api.staff)
    assert again.status_code == 409
    assert "sent already" in again.json()["detail"]


def test_an_email_is_given_up_after_the_last_attempt(
    api: ApiFactory, mail: MailServer, send: Send, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UPRTC_MAIL_MAX_ATTEMPTS", "2")
    world = Cooperation(api)
    mail.deferred.add(str(world.state_fr.email))
    world.propose()
    assert "sent 2, to retry 1" in send().stdout  # a busy mailbox: later
    (row,) = _rows(api, status="pending")
    assert (row["recipient"], row["attempts"]) == (world.state_fr.email, 1)
    assert "450" in row["last_error"]
    _retry(api, row["id"])  # staff: now, rather than in a minute
    assert "failed 1" in send().stdout
    (gave_up,) = _rows(api, status="failed")
    assert (gave_up["id"], gave_up["attempts"]) == (row["id"], 2)
    assert _rows(api)[0] == gave_up  # staff see the failed first


def test_with_email_off_notifications_stay_in_the_app(
    api: ApiFactory, send: Send, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("UPRTC_SMTP_HOST", raising=False)
    world = Cooperation(api)
    world.propose()
    assert "not sent (email off) 3" in send().stdout
    rows = _rows(api)
    assert {(r["status"], r["last_error"]) for r in rows} == {("off", EMAIL_OFF)}
    assert "email is off" in EMAIL_OFF
    unread = api.client.get("/api/v1/notifications", headers=world.state.headers).json()
    assert unread["unread"] == 1


def test_only_staff_see_the_outbox(api: ApiFactory) -> None:
    world = Cooperation(api)
    assert api.client.get(OUTBOX).status_code == 401
    refused = api.client.get(OUTBOX, headers=world.state.headers)
    assert refused.status_code == 403
    assert api.client.post(f"{OUTBOX}/1/retry", headers=world.provider.headers).status_code == 403
    missing = api.client.post(f"{OUTBOX}/999/retry", headers=api.staff)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    bad = api.client.get(OUTBOX, params={"status": "lost"}, headers=api.staff)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"].startswith("status")


@pytest.mark.dialects
def test_two_senders_at_once_send_each_email_once(
    api: ApiFactory, mail: MailServer, settings: Settings
) -> None:
    world = Cooperation(api)
    for _ in range(8):
        world.person("state", state="KAZ")
        world.person("provider", organization_id=world.org["id"])
    world.propose()
    expected = 3 + 16

    engine = create_db_engine(settings.database_url)
    factory = create_session_factory(engine)
    config = MailConfig.from_settings(Settings(database_url=settings.database_url, **_smtp(mail)))
    start = threading.Barrier(2)
    reports: list[SendReport] = []

    def sender() -> None:
        start.wait()
        reports.append(send_due(factory, config))

    try:
        threads = [threading.Thread(target=sender) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        engine.dispose()
    assert len(reports) == 2
    addresses = [a for r in mail.received for a in r.recipients]
    assert len(addresses) == expected
    assert len(set(addresses)) == expected  # nobody got it twice
    assert sum(r.sent for r in reports) == expected
    assert {r["status"] for r in _rows(api, limit=100)} == {"sent"}


def _smtp(mail: MailServer) -> dict[str, Any]:
    return {"smtp_host": "127.0.0.1", "smtp_port": mail.port}


def test_the_server_sends_by_itself(mail: MailServer, settings: Settings) -> None:
    """The sender thread of the server process, without cron."""
    sending = Settings(
        database_url=settings.database_url,
        environment="test",
        mail_send_interval_seconds=0.2,
        public_url="https://upr.example.org/",
        **_smtp(mail),
    )
    with TestClient(create_app(sending)) as client:
        api = ApiFactory(client, sending)
        try:
            world = Cooperation(api)
            world.propose()
            received = mail.wait_for(3)
        finally:
            api.close()
    link = f"https://upr.example.org/state/requests/{world.request['id']}"
    assert any(link in r.part("plain") for r in received)
    time.sleep(0.5)
    assert len(mail.received) == 3
