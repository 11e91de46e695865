"""Shared schema types, through the HTTP API that uses them."""

from __future__ import annotations

import pytest

from tests.support.factories import ApiFactory


@pytest.mark.parametrize("code", ["ABC", "ZZZ", "XXY", "eur", "EURO"])
def test_a_currency_outside_iso_4217_is_422(api: ApiFactory, code: str) -> None:
    body = {"state": "KAZ", "title": "Training", "funding_currency": code}
    response = api.client.post("/api/v1/activities", json=body, headers=api.staff)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "funding_currency"


def test_iso_4217_currencies_are_taken(api: ApiFactory) -> None:
    for code in ("CHF", "XOF", "KGS"):
        body = {"state": "KAZ", "title": "Training", "funding_currency": code}
        response = api.client.post("/api/v1/activities", json=body, headers=api.staff)
        assert response.status_code == 201, response.text
        assert response.json()["funding_currency"] == code
