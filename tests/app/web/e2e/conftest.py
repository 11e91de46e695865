"""A real server and a real browser: `uprtc` as a user types it, Debian's Chromium driven by
Playwright (its own browser download does not work offline). `make test` installs Chromium;
UPRTC_CHROMIUM points elsewhere."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx2 as httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.app.test_serve import _free_port, _wait_ready

UPRTC = str(Path(sys.executable).parent / "uprtc")
CHROMIUM = os.environ.get("UPRTC_CHROMIUM", "/usr/bin/chromium")
# As root and on a closed network, Chromium needs these (see the machine notes in the README).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "correct horse battery staple"
# `make screenshots` saves them for the README; otherwise they go to a temporary folder.
SCREENSHOTS = Path(
    os.environ.get("UPRTC_SCREENSHOTS")
    or Path(tempfile.gettempdir()) / f"uprtc-screenshots-{os.getpid()}"
)


@dataclass
class World:
    """A seeded service (`uprtc seed --demo`) running on loopback, with one user per role."""

    base_url: str
    env: dict[str, str]
    emails: dict[str, str] = field(default_factory=dict)

    def uprtc(self, *args: str, stdin: str | None = None) -> str:
        result = subprocess.run(
            [UPRTC, *args],
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, f"uprtc {' '.join(args)}: {result.stderr}"
        return result.stdout

    def create_user(self, key: str, role: str, *extra: str) -> None:
        email = f"{key}@example.org"
        self.uprtc(
            "user", "create", "--email", email, "--name", key.replace("-", " ").title(),
            "--role", role, *extra, "--password-stdin",
            stdin=PASSWORD + "\n",
        )  # fmt: skip
        self.emails[key] = email

    def organization_id(self, name: str) -> int:
        response = httpx.get(f"{self.base_url}/api/v1/organizations", params={"limit": 100})
        response.raise_for_status()
        body = response.json()
        items = body["items"] if isinstance(body, dict) else body
        return next(int(item["id"]) for item in items if item["name"] == name)


@pytest.fixture
def world(db_url: str) -> Iterator[World]:
    port = _free_port()
    env = {**os.environ, "UPRTC_DATABASE_URL": db_url, "UPRTC_LOG_LEVEL": "WARNING"}
    base = f"http://127.0.0.1:{port}"
    seeded = World(base_url=base, env=env)
    seeded.uprtc("seed", "--demo")
    process = subprocess.Popen(
        [UPRTC, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_ready(f"{base}/api/v1/health/ready", process)  # type: ignore[arg-type]
        yield seeded
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


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


class Person:
    """One user in their own browser context (own cookies), signed in through the login page."""

    screenshots = SCREENSHOTS

    def __init__(
        self,
        browser: Browser,
        world: World,
        key: str,
        locale: str = "en-GB",
        shoot: bool = False,
    ) -> None:
        self.context = browser.new_context(
            base_url=world.base_url, locale=locale, viewport={"width": 1280, "height": 900}
        )
        self.context.set_default_timeout(20_000)
        self.page: Page = self.context.new_page()
        self.world = world
        self.key = key
        self.shoot = shoot  # save screenshots of this person's pages

    def sign_in(self) -> Page:
        page = self.page
        page.goto("/login")
        page.locator("input[name=email]").fill(self.world.emails[self.key])
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        return page

    def screenshot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    def close(self) -> None:
        self.context.close()
