"""The offer search across languages (GET /api/v1/offers?q=), on both databases."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.pairing import semantic
from tests.support.factories import ApiFactory

URL = "/api/v1/offers"


@pytest.mark.dialects
def test_a_query_in_another_language_finds_the_english_offer_it_may_see(
    api: ApiFactory, client: TestClient
) -> None:
    org = api.organization()["id"]
    judges = api.offer(
        org,
        title="Training of judges and prosecutors",
        description="Courses for the judiciary on fair trial guarantees and the independence "
        "of judges",
        status="active",
    )
    data = api.offer(
        org,
        title="Statistics office support",
        description="Help a national statistics office collect disaggregated data on poverty",
        status="active",
    )
    hidden = api.offer(
        org,
        title="Training of judges on fair trial (draft)",
        description="Courses for judges on fair trial guarantees",
        status="draft",
    )
    for query, wanted in (
        ("formation des juges et des procureurs", judges["id"]),
        ("обучение судей и прокуроров", judges["id"]),
        ("datos desglosados sobre la pobreza", data["id"]),
        ("统计局 分类数据", data["id"]),
    ):
        response = client.get(URL, params={"q": query})
        assert response.status_code == 200, response.text
        ids = [item["id"] for item in response.json()["items"]]
        assert ids[:1] == [wanted], (query, ids)
        assert hidden["id"] not in ids  # a draft stays with its provider and staff
    staff = client.get(URL, params={"q": "formation des juges"}, headers=api.staff).json()
    assert hidden["id"] in [item["id"] for item in staff["items"]]


@pytest.mark.dialects
def test_a_word_no_offer_holds_finds_the_offers_on_the_themes_it_names(
    api: ApiFactory, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(semantic, "SHORT_QUERY_MIN_SIMILARITY", 1.0)  # nothing by meaning
    org = api.organization()["id"]
    shelters = api.offer(org, title="Shelter staff course", themes=["violence-against-women"])
    api.offer(org, title="OPCAT visits", themes=["torture"])
    draft = api.offer(org, title="Draft course", themes=["violence-against-women"], status="draft")
    page = client.get(URL, params={"q": "mujeres"}).json()
    assert [item["id"] for item in page["items"]] == [shelters["id"]]  # the draft stays hidden
    assert "violence-against-women" in page["concepts"]["themes"]
    assert page["concepts"]["groups"] == []  # offers have themes only
    staff = client.get(URL, params={"q": "mujeres"}, headers=api.staff).json()
    assert [item["id"] for item in staff["items"]] == [shelters["id"], draft["id"]]
    held = client.get(URL, params={"q": "OPCAT"}).json()
    assert held["concepts"] is None
