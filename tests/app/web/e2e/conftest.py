"""A real server and a real browser for each journey (see `tests.support.browser`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, World
from tests.support.server import Server, env_for


@pytest.fixture
def world(db_url: str) -> Iterator[World]:
    """`uprtc seed --demo`, then `uprtc serve`, as a newcomer runs them."""
    env = env_for(db_url, UPRTC_LOG_LEVEL="WARNING")
    seeded = World(base_url="", env=env)
    seeded.uprtc("seed", "--demo")
    server = Server(db_url, env=env)
    seeded.base_url = server.base
    try:
        yield seeded
    finally:
        server.stop()


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
