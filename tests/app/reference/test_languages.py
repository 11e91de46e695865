"""Delivery languages: any ISO 639 code, for requests and offers, named in the six languages,
and matching's language fit on any of them."""

from __future__ import annotations

import pytest

from app.reference.languages import code_for, labels, normalise
from tests.support.factories import ApiFactory

FAR_LANGUAGES = ["dv", "sw", "ky", "ht", "mg", "km"]


def test_codes_and_names() -> None:
    assert [normalise(c) for c in ("DV", "swa", "fre", "quc", "xx", "english")] == [
        "dv",
        "sw",
        "fr",
        "quc",
        None,
        None,
    ]
    assert labels("ht")["label_en"] == "Haitian Creole"
    assert labels("km")["label_zh"] == "高棉语"
    assert labels("ky")["label_ar"] == "القيرغيزية"
    assert [code_for(t) for t in ("Swahili", "кхмерский", "créole haïtien", "km", "Elvish")] == [
        "sw",
        "km",
        "ht",
        "km",
        None,
    ]


@pytest.mark.dialects
def test_requests_and_offers_take_any_iso_639_language_and_match_on_it(api: ApiFactory) -> None:
    requests = {}
    for code in FAR_LANGUAGES:
        request = api.request(
            "KAZ", status="open", themes=["torture"], languages=[code], title=f"Help in {code}"
        )
        assert request["languages"] == [code]
        requests[code] = request["id"]
        api.offer(themes=["torture"], languages=[code], title=f"Training in {code}")
    # a three-letter code of a language that has a two-letter one is stored under the latter
    assert api.request("KAZ", languages=["swa", "quc"])["languages"] == ["quc", "sw"]
    refused = api.client.post(
        "/api/v1/requests",
        json={"state": "KAZ", "title": "x", "languages": ["xx"]},
        headers=api.staff,
    )
    assert refused.status_code == 422, refused.text
    # the language in the six languages, from the reference data
    named = {row["code"]: row for row in api.client.get("/api/v1/languages").json()}
    assert named["dv"]["labels"]["zh"] == "迪维希语"
    assert named["quc"]["label_en"] == "Kʼicheʼ"  # added when first used

    run = api.client.post("/api/v1/matching/run", json={}, headers=api.staff)
    assert run.status_code == 200, run.text
    for code, request_id in requests.items():
        matches = api.client.get(f"/api/v1/requests/{request_id}/matches", headers=api.staff)
        best = matches.json()["items"][0]
        assert best["offer_title"] == f"Training in {code}", code
        assert best["score_components"]["language"] == 1.0
        assert {"code": "languages", "params": {"codes": [code]}} in best["reasons"]
