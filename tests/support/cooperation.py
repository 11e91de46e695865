"""A request of Kazakhstan, a provider's offer and their match, with people on each side who
have an email address (and a language): the world of the notification tests."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from tests.support.factories import ApiFactory

_counter = itertools.count(1)
MATCHES = "/api/v1/matches"


@dataclass(frozen=True)
class Person:
    email: str | None
    headers: dict[str, str]


class Cooperation:
    def __init__(self, api: ApiFactory) -> None:
        self.api = api
        self.org = api.organization()
        rec = api.recommendation("KAZ")
        self.request = api.request(
            "KAZ", status="open", themes=["torture"], recommendation_ids=[rec["id"]]
        )
        self.offer = api.offer(self.org["id"])
        self.match = api.match(self.request["id"], self.offer["id"])
        self.staff = self.person("staff")
        self.state = self.person("state", state="KAZ")
        self.state_fr = self.person("state", state="KAZ", language="fr")
        self.provider = self.person("provider", organization_id=self.org["id"])

    def person(
        self, role: str, *, language: str | None = None, email: bool = True, **binding: Any
    ) -> Person:
        address = f"{role}-{next(_counter)}@example.org" if email else None
        headers = self.api.headers(role, email=address, language=language, **binding)
        return Person(address, headers)

    @property
    def url(self) -> str:
        return f"{MATCHES}/{self.match['id']}"

    def act(self, action: str, person: Person, **body: Any) -> Any:
        """POST /matches/{id}/{action} with the version just read; the answer must be 200."""
        version = self.api.client.get(self.url, headers=self.api.staff).json()["version"]
        response = self.api.client.post(
            f"{self.url}/{action}", json={"version": version, **body}, headers=person.headers
        )
        assert response.status_code == 200, response.text
        return response.json()

    def propose(self) -> Any:
        return self.act("propose", self.staff)

    def decide(self, person: Person, decision: str, **body: Any) -> Any:
        return self.act("decision", person, decision=decision, **body)

    def activity_id(self) -> int:
        found = self.api.client.get("/api/v1/activities", headers=self.api.staff).json()
        return next(int(a["id"]) for a in found["items"] if a["match_id"] == self.match["id"])
