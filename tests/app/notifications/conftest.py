"""A real SMTP server for each test, and `uprtc notifications send` pointed at it."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.support.cli import CliResult, uprtc
from tests.support.mail import MailServer

Send = Callable[[], CliResult]


@pytest.fixture
def mail(monkeypatch: pytest.MonkeyPatch) -> Iterator[MailServer]:
    """The SMTP server, running; the `uprtc` commands of the test send through it."""
    server = MailServer().start()
    for name, value in server.env.items():
        monkeypatch.setenv(name, value)
    yield server
    server.stop()


@pytest.fixture
def send(db_url: str) -> Send:
    """`uprtc notifications send`, as cron runs it; it must succeed."""

    def run() -> CliResult:
        result = uprtc("notifications", "send", db_url=db_url)
        assert result.returncode == 0, result.stderr
        return result

    return run
