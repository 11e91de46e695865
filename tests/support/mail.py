"""A real SMTP server on loopback (aiosmtpd) that keeps the messages it receives, so tests read
the emails the service sent; it can be stopped (a mail server that is down) and started again
on the same port, and told to refuse recipients."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from tests.support.server import free_port

# aiosmtpd logs every SMTP command at INFO: it buries a failing test's own output.
logging.getLogger("mail.log").setLevel(logging.WARNING)


@dataclass(frozen=True)
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"]).strip()  # a folded header may start with a space

    def part(self, subtype: str) -> str:
        body = self.message.get_body(preferencelist=(subtype,))
        assert body is not None, f"no text/{subtype} part"
        return str(body.get_content())  # type: ignore[attr-defined]


class MailServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.received: list[Received] = []
        self.refused: set[str] = set()  # recipients answered with 550 (for good)
        self.deferred: set[str] = set()  # recipients answered with 450 (try again later)
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    @property
    def env(self) -> dict[str, str]:
        """The settings of a service that sends through this server."""
        return {"UPRTC_SMTP_HOST": "127.0.0.1", "UPRTC_SMTP_PORT": str(self.port)}

    def start(self) -> MailServer:
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def to(self, address: str) -> list[Received]:
        with self._lock:
            return [r for r in self.received if address in r.recipients]

    def wait_for(self, count: int, seconds: float = 30) -> list[Received]:
        deadline = time.monotonic() + seconds
        while len(self.received) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(self.received)} of {count} emails arrived")
            time.sleep(0.05)
        return list(self.received)

    def keep(self, envelope: Any) -> None:
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        with self._lock:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))


class _Handler:
    def __init__(self, server: MailServer) -> None:
        self.server = server

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, _server: Any, _session: Any, envelope: Any, address: str, _options: Any
    ) -> str:
        if address in self.server.refused:
            return "550 5.1.1 No such user here"
        if address in self.server.deferred:
            return "450 4.2.1 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802 - aiosmtpd's hook name
        self, _server: Any, _session: Any, envelope: Any
    ) -> str:
        self.server.keep(envelope)
        return "250 Message accepted for delivery"
