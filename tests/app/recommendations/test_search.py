"""The recommendation search (GET /api/v1/recommendations?q=): across languages, through the
text index, with a capped count and keyset pages; on both databases."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.recommendations import search
from tests.support.factories import ApiFactory

URL = "/api/v1/recommendations"

ENGLISH = {
    "education": "Guarantee free and compulsory primary education for all children, including "
    "girls and children with disabilities",
    "torture": "Establish a national preventive mechanism against torture in places of detention",
    "press": "Protect journalists and guarantee the freedom of the press and of expression",
    "water": "Ensure access to safe drinking water and sanitation in rural areas",
}
QUERIES = {  # each written in another UN language; the English recommendation must come first
    "education": ["enseignement primaire gratuit pour tous les enfants", "教育 儿童 免费 小学"],
    "torture": ["mecanismo nacional de prevención de la tortura", "предотвращение пыток"],
    "press": ["защита журналистов и свобода прессы", "حرية الصحافة وحماية الصحفيين"],
    "water": ["accès à l'eau potable et à l'assainissement", "agua potable y saneamiento"],
}


def _page(client: TestClient, **params: Any) -> dict[str, Any]:
    response = client.get(URL, params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


def _ids(page: dict[str, Any]) -> list[int]:
    return [item["id"] for item in page["items"]]


@pytest.mark.dialects
def test_a_query_in_another_language_finds_the_english_recommendation(
    api: ApiFactory, client: TestClient
) -> None:
    ids = {topic: api.recommendation(text=text)["id"] for topic, text in ENGLISH.items()}
    for topic, queries in QUERIES.items():
        for query in queries:
            found = _ids(_page(client, q=query))
            assert found, query
            assert found[0] == ids[topic], (query, found)
    # The State filter applies to what is found by meaning too: only that State's records are
    # scored, and one of them is found by meaning while the other States' are left out.
    assert _ids(_page(client, q=QUERIES["water"][0], state="UZB")) == []
    uzbek = api.recommendation(state="UZB", text="Improve the supply of clean drinking water")
    assert _ids(_page(client, q=QUERIES["water"][1], state="UZB")) == [uzbek["id"]]
    assert _ids(_page(client, q=QUERIES["water"][1], state="KAZ"))[0] == ids["water"]


@pytest.mark.dialects
def test_words_found_through_the_index_follow_edits_and_deletes(
    api: ApiFactory, client: TestClient
) -> None:
    rec = api.recommendation(text="Ratify the Optional Protocol to the Convention on the Rights")
    api.recommendation(text="Adopt a national action plan on human rights")
    assert rec["id"] in _ids(_page(client, q="optional PROTOCOL", after=0))
    changed = client.patch(
        f"{URL}/{rec['id']}",
        json={"text": "Abolish the death penalty", "version": rec["version"]},
        headers=api.staff,
    )
    assert changed.status_code == 200, changed.text
    assert _ids(_page(client, q="optional protocol", after=0)) == []
    assert _ids(_page(client, q="death PENALTY", after=0)) == [rec["id"]]
    # Fewer than three characters have no trigram: a plain scan, same meaning.
    assert _ids(_page(client, q="AN", after=0)) == [rec["id"] + 1]
    assert client.delete(f"{URL}/{rec['id']}", headers=api.staff).status_code == 204
    assert _ids(_page(client, q="death penalty", after=0)) == []


@pytest.mark.dialects
def test_deep_pages_by_key_and_a_capped_count(
    api: ApiFactory, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    wanted = [api.recommendation(text=f"Strengthen the judiciary ({i})")["id"] for i in range(9)]
    api.recommendation(text="Something else entirely")
    monkeypatch.setattr(search, "COUNT_CAP", 5)

    first = _page(client, q="judiciary", after=0, limit=4)
    assert (first["total"], first["total_capped"]) == (5, True)
    assert _ids(first) == wanted[:4]
    walked, after = _ids(first), first["next_after"]
    while after is not None:
        page = _page(client, q="judiciary", after=after, limit=4)
        walked += _ids(page)
        after = page["next_after"]
    assert walked == wanted

    # Offset paging gives the same rows; a count under the cap is exact.
    by_offset = _ids(_page(client, q="judiciary", offset=4, limit=4))
    assert set(by_offset) <= set(wanted)
    monkeypatch.setattr(search, "COUNT_CAP", 1000)
    everything = _page(client, state="KAZ", limit=3)
    assert (everything["total"], everything["total_capped"]) == (10, False)
    assert _ids(_page(client, state="KAZ", after=wanted[-1])) == [wanted[-1] + 1]
