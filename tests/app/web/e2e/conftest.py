"""A real server and a real browser for each journey (see `tests.support.browser`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, World
from tests.support.mail import MailServer
from tests.support.server import Server, env_for, free_port


def _served(db_url: str, **settings: str) -> Iterator[World]:
    """`uprtc seed --demo`, then `uprtc serve`, as a newcomer runs them."""
    port = free_port()
    env = env_for(
        db_url,
        UPRTC_LOG_LEVEL="WARNING",
        UPRTC_PUBLIC_URL=f"http://127.0.0.1:{port}",
        **settings,
    )
    seeded = World(base_url="", env=env)
    seeded.uprtc("seed", "--demo")
    server = Server(db_url, env=env, port=port)
    seeded.base_url = server.base
    try:
        yield seeded
    finally:
        server.stop()


@pytest.fixture
def world(db_url: str) -> Iterator[World]:
    yield from _served(db_url)


@pytest.fixture
def mail() -> Iterator[MailServer]:
    server = MailServer().start()
    yield server
    server.stop()


@pytest.fixture
def mailing_world(db_url: str, mail: MailServer) -> Iterator[World]:
    """The same, sending its emails through `mail` (the server's own sender, every half second)."""
    yield from _served(db_url, UPRTC_MAIL_SEND_INTERVAL_SECONDS="0.5", **mail.env)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), (
        f"Chromium is not at {CHROMIUM}: `make test` installs Debian's chromium package, "
        "or set UPRTC_CHROMIUM"
    )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
