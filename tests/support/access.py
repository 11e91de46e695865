"""A shared world for access tests: two States (KAZ, FRA), two providers (A, B), and records in
every state of consent and review, made through the API; `row` reads an expected-status row."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tests.support.factories import ApiFactory

PRINCIPALS = ("anon", "admin", "staff", "kaz", "fra", "prov_a", "prov_b")


@dataclass
class World:
    api: ApiFactory
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)

    def call(self, method: str, path: str, who: str, json: Any = None) -> Any:
        path = path.format(**self.ids)
        extra = {"If-Match": "*"} if method == "PATCH" else {}
        return self.api.client.request(
            method, f"/api/v1{path}", json=json, headers={**self.headers[who], **extra}
        )


def build_access_world(api: ApiFactory) -> World:
    w = World(api)
    org_a = api.organization(name="Provider A", type="un_entity")["id"]
    org_b = api.organization(name="Provider B", type="cso")["id"]
    w.ids.update(org_a=org_a, org_b=org_b)
    w.headers = {
        "anon": {},
        "admin": api.headers("admin"),
        "staff": api.staff,
        "kaz": api.state("KAZ"),
        "fra": api.state("FRA"),
        "prov_a": api.provider(org_a),
        "prov_b": api.provider(org_b),
    }
    rec_kaz = api.recommendation(state="KAZ")["id"]
    rec_fra = api.recommendation(state="FRA")["id"]
    w.ids.update(rec_kaz=rec_kaz, rec_fra=rec_fra)
    req = {
        "req_kaz_draft": api.request("KAZ", title="KAZ secret draft zebra"),
        "req_kaz_pub": api.request(
            "KAZ", title="KAZ published", status="open", consent_to_publish=True
        ),
        "req_kaz_draft_consent": api.request(
            "KAZ", title="KAZ draft with consent zebra", consent_to_publish=True
        ),
        "req_kaz_proposed": api.request("KAZ", title="KAZ open unpublished zebra", status="open"),
        "req_fra_open": api.request("FRA", title="FRA open unpublished zebra", status="open"),
        "req_fra_pub": api.request(
            "FRA",
            title="FRA published",
            status="open",
            consent_to_publish=True,
            recommendation_ids=[rec_fra],
        ),
    }
    w.ids.update({k: v["id"] for k, v in req.items()})
    offers = {
        "offer_a_active": api.offer(org_a, title="A active"),
        "offer_a_draft": api.offer(org_a, title="A draft zebra", status="draft"),
        "offer_b_active": api.offer(org_b, title="B active"),
        "offer_b_paused": api.offer(org_b, title="B paused zebra", status="paused"),
    }
    w.ids.update({k: v["id"] for k, v in offers.items()})
    suggested = api.match(w.ids["req_kaz_draft"], w.ids["offer_a_active"])["id"]
    proposed = api.match(w.ids["req_kaz_proposed"], w.ids["offer_a_active"])["id"]
    w.api.client.patch(
        f"/api/v1/matches/{proposed}",
        json={"status": "proposed"},
        headers={**api.staff, "If-Match": "*"},
    ).raise_for_status()
    api.match(w.ids["req_kaz_pub"], w.ids["offer_b_active"])
    w.ids.update(match_suggested=suggested, match_proposed=proposed)
    w.ids["act_kaz_private"] = api.activity("KAZ", title="KAZ private zebra", provider_ids=[org_a])[
        "id"
    ]
    w.ids["act_fra_pub"] = api.activity("FRA", title="FRA public", consent_to_publish=True)["id"]
    w.ids["act_fra_private"] = api.activity("FRA", title="FRA private zebra")["id"]
    return w


def row(who_status: str) -> dict[str, int]:
    """'anon=401 kaz=200 *=403' -> a status for every principal (* fills the rest)."""
    pairs = dict(item.split("=") for item in who_status.split())
    default = pairs.pop("*", None)
    table = {who: int(pairs.get(who, default or 0)) for who in PRINCIPALS}
    assert all(table.values()), f"incomplete row: {who_status}"
    return table
