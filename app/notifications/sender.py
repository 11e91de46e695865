"""Delivering the outbox: due emails are claimed one at a time, sent over SMTP outside any
database transaction, and their outcome recorded; a failure is retried later with a growing
wait, and never reaches the change that queued the email.

Any number of senders may run at once (each server worker's background thread, `uprtc
notifications send` from cron): a sender claims a row with a conditional UPDATE (pending, due,
and not claimed by a live claim) and sends it only if its UPDATE changed the row, so a message
is sent once. A sender that dies between sending and recording leaves its claim to lapse after
`CLAIM_LEASE`, and the message is sent again: delivery is at least once, never lost."""

from __future__ import annotations

import logging
import secrets
import smtplib
import ssl
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from enum import StrEnum
from types import TracebackType

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.db.base import utcnow
from app.db.session import transaction
from app.notifications import email as emails
from app.notifications.messages import compose
from app.notifications.models import EmailStatus, OutboxEmail

logger = logging.getLogger(__name__)

CLAIM_LEASE = timedelta(minutes=5)
FIRST_RETRY = timedelta(minutes=1)  # then 2, 4, 8... minutes
LONGEST_WAIT = timedelta(hours=6)
EMAIL_OFF = "not sent: email is off (UPRTC_SMTP_HOST is not set)"


@dataclass(frozen=True)
class MailConfig:
    host: str | None
    port: int
    tls: str  # none, starttls or tls
    username: str | None
    password: str | None
    sender: str
    timeout: float
    public_url: str
    max_attempts: int

    @classmethod
    def from_settings(cls, settings: Settings) -> MailConfig:
        return cls(
            host=settings.smtp_host or None,
            port=settings.smtp_port,
            tls=settings.smtp_tls,
            username=settings.smtp_username,
            password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
            sender=settings.mail_from,
            timeout=settings.smtp_timeout_seconds,
            public_url=settings.public_url,
            max_attempts=settings.mail_max_attempts,
        )


class Outcome(StrEnum):
    sent = "sent"
    retrying = "retrying"
    failed = "failed"
    off = "off"
    taken = "taken"  # another sender claimed it first


@dataclass
class SendReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    off: int = 0
    taken: int = 0

    def add(self, outcome: Outcome) -> None:
        setattr(self, outcome.value, getattr(self, outcome.value) + 1)

    def __str__(self) -> str:
        return (
            f"sent {self.sent}, to retry {self.retrying}, failed {self.failed}, "
            f"not sent (email off) {self.off}"
        )


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt."""
    wait: timedelta = FIRST_RETRY * 2 ** max(attempts - 1, 0)
    return min(wait, LONGEST_WAIT)


def send_due(
    factory: sessionmaker[Session],
    config: MailConfig,
    *,
    limit: int | None = None,
    stop: threading.Event | None = None,
) -> SendReport:
    """Send every email due now (at most `limit`). A mail server that cannot be reached ends the
    pass: the emails not tried stay pending as they were."""
    report = SendReport()
    with _Smtp(config) as smtp:
        for outbox_id in _due_ids(factory, limit):
            if stop is not None and stop.is_set():
                break
            outcome, unreachable = _send_one(factory, config, smtp, outbox_id)
            report.add(outcome)
            if unreachable:
                break
    return report


def _due_ids(factory: sessionmaker[Session], limit: int | None) -> list[int]:
    now = utcnow()
    stmt = (
        select(OutboxEmail.id)
        .where(_claimable(now))
        .order_by(OutboxEmail.next_attempt_at, OutboxEmail.id)
        .limit(limit)
    )
    with transaction(factory) as session:
        return list(session.scalars(stmt))


def _claimable(now: datetime) -> ColumnElement[bool]:
    return (
        (OutboxEmail.status == EmailStatus.pending)
        & (OutboxEmail.next_attempt_at <= now)
        & or_(OutboxEmail.claimed_until.is_(None), OutboxEmail.claimed_until < now)
    )


def _claim(factory: sessionmaker[Session], outbox_id: int) -> str | None:
    """Claim one row for this sender, or None when another sender has it (or it is no longer
    due). The UPDATE's WHERE is re-checked by the database against the committed row, so of two
    senders racing for a row exactly one changes it."""
    token = secrets.token_hex(16)
    now = utcnow()
    stmt = (
        update(OutboxEmail)
        .where(OutboxEmail.id == outbox_id, _claimable(now))
        .values(claimed_until=now + CLAIM_LEASE, claim_token=token)
    )
    with transaction(factory) as session:
        claimed = session.execute(stmt).rowcount == 1  # type: ignore[attr-defined]
    return token if claimed else None


def _send_one(
    factory: sessionmaker[Session], config: MailConfig, smtp: _Smtp, outbox_id: int
) -> tuple[Outcome, bool]:
    """(what became of the email, whether the mail server could not be reached)."""
    token = _claim(factory, outbox_id)
    if token is None:
        return Outcome.taken, False
    with transaction(factory) as session:
        row = session.get_one(OutboxEmail, outbox_id)
        attempts = row.attempts + 1
        if config.host is None:
            message = None
        else:
            message = emails.build(
                compose(session, row.notification, row.language),
                lang=row.language,
                recipient=row.recipient,
                sender=config.sender,
                base_url=config.public_url,
            )
    if message is None:
        _record(factory, outbox_id, token, status=EmailStatus.off, error=EMAIL_OFF)
        return Outcome.off, False
    try:
        smtp.send(message)
    except (OSError, smtplib.SMTPException) as exc:
        return _failed(factory, config, outbox_id, token, attempts, exc)
    _record(factory, outbox_id, token, status=EmailStatus.sent, attempts=attempts)
    return Outcome.sent, False


def _failed(
    factory: sessionmaker[Session],
    config: MailConfig,
    outbox_id: int,
    token: str,
    attempts: int,
    exc: Exception,
) -> tuple[Outcome, bool]:
    refused_for_good, unreachable = _classify(exc)
    error = f"{type(exc).__name__}: {exc}"[:2000]
    logger.warning("email %s not sent (attempt %s): %s", outbox_id, attempts, error)
    if refused_for_good or attempts >= config.max_attempts:
        _record(factory, outbox_id, token, EmailStatus.failed, error=error, attempts=attempts)
        return Outcome.failed, unreachable
    _record(
        factory,
        outbox_id,
        token,
        EmailStatus.pending,
        error=error,
        attempts=attempts,
        next_attempt_at=utcnow() + backoff(attempts),
    )
    return Outcome.retrying, unreachable


def _classify(exc: Exception) -> tuple[bool, bool]:
    """(the server refused this message for good, the server could not be reached or is in an
    unknown state). A refused recipient or a 5xx answer to the message is not worth retrying;
    anything else (connection refused, a timeout, 4xx, a bad login) is."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values()), False
    if isinstance(exc, smtplib.SMTPDataError):
        return exc.smtp_code >= 500, False
    return False, True


def _record(
    factory: sessionmaker[Session],
    outbox_id: int,
    token: str,
    status: EmailStatus,
    *,
    error: str | None = None,
    attempts: int | None = None,
    next_attempt_at: datetime | None = None,
) -> None:
    """The outcome of this sender's claim (no-one else may have changed the row meanwhile)."""
    values: dict[str, object] = {"status": status, "claimed_until": None, "last_error": error}
    if attempts is not None:
        values["attempts"] = attempts
    if status == EmailStatus.sent:
        values["sent_at"] = utcnow()
    if next_attempt_at is not None:
        values["next_attempt_at"] = next_attempt_at
    stmt = (
        update(OutboxEmail)
        .where(OutboxEmail.id == outbox_id, OutboxEmail.claim_token == token)
        .values(values)
    )
    with transaction(factory) as session:
        session.execute(stmt)


class _Smtp:
    """One SMTP connection for a pass, opened when the first email is sent; after a failure the
    next email opens a new one."""

    def __init__(self, config: MailConfig) -> None:
        self.config = config
        self.client: smtplib.SMTP | None = None

    def __enter__(self) -> _Smtp:
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _exc: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self.close()

    def send(self, message: EmailMessage) -> None:
        try:
            if self.client is None:
                self.client = self._connect()
            self.client.send_message(message)
        except BaseException:
            self.close()
            raise

    def _connect(self) -> smtplib.SMTP:
        c = self.config
        assert c.host is not None  # noqa: S101 - send_due sends only with a host
        client: smtplib.SMTP
        if c.tls == "tls":
            context = ssl.create_default_context()
            client = smtplib.SMTP_SSL(c.host, c.port, timeout=c.timeout, context=context)
        else:
            client = smtplib.SMTP(c.host, c.port, timeout=c.timeout)
            if c.tls == "starttls":
                client.starttls(context=ssl.create_default_context())
        if c.username:
            client.login(c.username, c.password or "")
        return client

    def close(self) -> None:
        if self.client is not None:
            try:
                self.client.quit()
            except (OSError, smtplib.SMTPException):
                self.client.close()
            self.client = None


class BackgroundSender:
    """The server's own sender: a thread that sends what is due every `interval` seconds, until
    the server stops (it then finishes the email in hand)."""

    def __init__(self, factory: sessionmaker[Session], config: MailConfig, interval: float) -> None:
        self.factory = factory
        self.config = config
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="uprtc-mail", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.config.timeout * 2)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                report = send_due(self.factory, self.config, stop=self._stop)
            except Exception:  # the database may be away for a while: try again next time
                logger.exception("the email sender failed")
                continue
            if report.sent or report.retrying or report.failed:
                logger.info("emails: %s", report)
