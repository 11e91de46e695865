"""A real server and a real browser: `uprtc` as a user types it, Debian's Chromium driven by
Playwright (its own browser download does not work offline). `make test` installs Chromium;
UPRTC_CHROMIUM points elsewhere."""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2 as httpx
from playwright.sync_api import Browser, Page, expect

from tests.support.server import UPRTC
from tests.support.web import PASSWORD

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
# Actions and assertions wait as long: on a busy two-core machine the first "Suggest themes"
# loads the tagger's encoder (seconds), longer than Playwright's 5 s default for assertions.
TIMEOUT_MS = 20_000
expect.set_options(timeout=TIMEOUT_MS)
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

    def propose_first_suggestion(self, state: str) -> None:
        """Staff propose a suggested match of one of the State's requests through the API, so
        that its users (those who exist now) have a notification."""
        token = self.uprtc("token", "create", "--role", "staff", "--name", "Proposer").strip()
        headers = {"Authorization": f"Bearer {token}"}
        api = f"{self.base_url}/api/v1"
        requests = httpx.get(f"{api}/requests", params={"state": state}, headers=headers)
        requests.raise_for_status()
        for request in requests.json()["items"]:
            found = httpx.get(
                f"{api}/matches",
                params={"request_id": request["id"], "status": "suggested"},
                headers=headers,
            )
            found.raise_for_status()
            for match in found.json()["items"]:
                proposed = httpx.post(
                    f"{api}/matches/{match['id']}/propose",
                    json={"version": match["version"]},
                    headers=headers,
                )
                proposed.raise_for_status()
                return
        raise AssertionError(f"no suggested match for a request of {state}")

    def organization_id(self, name: str) -> int:
        response = httpx.get(f"{self.base_url}/api/v1/organizations", params={"limit": 100})
        response.raise_for_status()
        body = response.json()
        items = body["items"] if isinstance(body, dict) else body
        return next(int(item["id"]) for item in items if item["name"] == name)


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
        viewport: tuple[int, int] = (1280, 900),
    ) -> None:
        self.context = browser.new_context(
            base_url=world.base_url,
            locale=locale,
            viewport={"width": viewport[0], "height": viewport[1]},
        )
        self.context.set_default_timeout(TIMEOUT_MS)
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


AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
}


def axe_violations(page: Page) -> list[str]:
    """axe-core's WCAG 2.1 A and AA violations on the page, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    results: Any = Axe().run(page, options=AXE_OPTIONS)
    return [
        f"{page.url}: {violation['id']} ({violation['impact']}): "
        + "; ".join(str(node["target"][0]) for node in violation["nodes"][:3])
        for violation in results.response["violations"]
    ]
