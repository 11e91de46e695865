"""A request's themes: inferred from its text and its linked recommendations, shown with where
each came from, confirmed by the State, preferred by matching."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from tests.support.factories import ApiFactory

URL = "/api/v1/requests"
TORTURE_TEXT = (
    "Training for the national preventive mechanism on visits to places of detention and the "
    "prevention of torture"
)


def _sources(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["theme"]: s for s in body["theme_sources"]}


def test_a_free_text_request_shows_its_inferred_themes(api: ApiFactory) -> None:
    created = api.request("KAZ", title="Preventing torture in prisons", description=TORTURE_TEXT)
    body = api.client.get(f"{URL}/{created['id']}", headers=api.state("KAZ")).json()
    assert body["themes"] == [], "nothing confirmed yet"
    torture = _sources(body)["torture"]
    assert torture["source"] == "text"
    assert torture["confirmed"] is False
    assert 0 < torture["score"] <= 1


def test_linked_recommendations_give_themes_with_their_origin(api: ApiFactory) -> None:
    rec = api.recommendation(
        state="KAZ",
        themes=["nhri"],
        text="Strengthen the independence of the Ombudsperson in line with the Paris Principles",
    )
    body = api.request("KAZ", recommendation_ids=[rec["id"]], themes=["torture"])
    sources = _sources(body)
    assert sources["torture"] == {
        "theme": "torture",
        "source": "state",
        "confirmed": True,
        "score": None,
    }
    assert sources["nhri"]["source"] == "recommendation"
    assert sources["nhri"]["confirmed"] is False
    assert sources["nhri"]["score"] is None, "the recommendation's own theme, not a guess"


@pytest.mark.dialects
def test_the_state_confirms_an_inferred_theme_and_its_origin_stays(api: ApiFactory) -> None:
    created = api.request("KAZ", title="Preventing torture in prisons", description=TORTURE_TEXT)
    response = api.client.patch(
        f"{URL}/{created['id']}",
        json={"themes": ["torture"], "version": created["version"]},
        headers=api.state("KAZ"),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["themes"] == ["torture"]
    assert _sources(body)["torture"]["source"] == "text"
    assert _sources(body)["torture"]["confirmed"] is True


def test_changing_the_text_infers_again(api: ApiFactory) -> None:
    created = api.request("KAZ", title="Preventing torture in prisons", description=TORTURE_TEXT)
    response = api.client.patch(
        f"{URL}/{created['id']}",
        json={
            "title": "Safe drinking water in rural schools",
            "description": "Technical advice on water supply and sanitation in rural areas",
            "version": created["version"],
        },
        headers=api.state("KAZ"),
    )
    assert response.status_code == 200, response.text
    sources = _sources(response.json())
    assert "water-sanitation" in sources
    assert "torture" not in sources


def test_matching_uses_inferred_themes_and_prefers_confirmed_ones(api: ApiFactory) -> None:
    free = api.request(
        "KAZ", status="open", title="Preventing torture in prisons", description=TORTURE_TEXT
    )
    confirmed = api.request(
        "KAZ",
        status="open",
        title="Preventing torture in prisons",
        description=TORTURE_TEXT,
        themes=["water-sanitation"],
    )
    torture = api.offer(
        title="Support to preventive mechanisms", description="", themes=["torture"]
    )
    response = api.client.post("/api/v1/matching/run", json={}, headers=api.staff)
    assert response.status_code == 200, response.text

    def offers_for(request: dict[str, Any]) -> list[int]:
        found = api.client.get(f"{URL}/{request['id']}/matches", headers=api.staff).json()
        return [m["offer_id"] for m in found["items"]]

    assert offers_for(free) == [torture["id"]], "found through the inferred theme"
    assert torture["id"] not in offers_for(confirmed), "the State said water, not torture"


def test_a_request_stored_before_inference_gets_its_themes_at_the_next_run(
    api: ApiFactory, db_url: str
) -> None:
    created = api.request(
        "KAZ", status="open", title="Preventing torture in prisons", description=TORTURE_TEXT
    )
    engine = sa.create_engine(db_url)
    with engine.begin() as connection:  # as a request written before migration 0012e
        connection.execute(sa.text("DELETE FROM request_theme_origins"))
    engine.dispose()
    before = api.client.get(f"{URL}/{created['id']}", headers=api.staff).json()
    assert before["theme_sources"] == []
    response = api.client.post("/api/v1/matching/run", json={}, headers=api.staff)
    assert response.status_code == 200, response.text
    after = api.client.get(f"{URL}/{created['id']}", headers=api.staff).json()
    assert "torture" in _sources(after)
    assert after["version"] == before["version"], "inferring is not an edit of the request"


def test_a_recommendations_unconfirmed_machine_themes_stay_inferred(api: ApiFactory) -> None:
    rec = api.recommendation(
        state="KAZ",
        themes=None,
        text="Establish a national preventive mechanism against torture and ill-treatment",
    )
    assert rec["themes"], "the tagger tagged the recommendation"
    body = api.request("KAZ", recommendation_ids=[rec["id"]], title="Support")
    assert body["themes"] == [], "a guess is not confirmed by being linked"
    sources = _sources(body)
    for code in rec["themes"]:
        assert sources[code]["source"] == "recommendation"
        assert sources[code]["confirmed"] is False
        assert sources[code]["score"] is not None
