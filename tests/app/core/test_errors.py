"""Errors are application/problem+json and name the field at fault."""

from fastapi.testclient import TestClient

from tests.support.factories import ApiFactory


def test_unknown_route_is_problem_json(client: TestClient) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 404


def test_validation_error_names_the_field(api: ApiFactory) -> None:
    response = api.client.post(
        "/api/v1/recommendations",
        json={"state": "KAZ", "position": "maybe", "session": 34, "text": "x"},
        headers=api.staff,
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["errors"][0]["field"] == "position"
    assert "position" in body["detail"]


def test_unknown_code_is_422_naming_field_and_code(api: ApiFactory) -> None:
    response = api.client.post(
        "/api/v1/recommendations",
        json={
            "state": "KAZ",
            "position": "supported",
            "session": 34,
            "text": "x",
            "themes": ["torture", "not-a-theme"],
        },
        headers=api.staff,
    )
    assert response.status_code == 422
    body = response.json()
    assert body["errors"] == [{"field": "themes", "message": body["detail"]}]
    assert "'not-a-theme'" in body["detail"]


def test_unknown_country_is_422(api: ApiFactory) -> None:
    response = api.client.post(
        "/api/v1/recommendations",
        json={"state": "XXX", "position": "supported", "session": 34, "text": "x"},
        headers=api.staff,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "state"


def test_unknown_fields_are_refused(api: ApiFactory) -> None:
    response = api.client.post(
        "/api/v1/organizations",
        json={"name": "X", "type": "cso", "colour": "red"},
        headers=api.staff,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "colour"


def test_malformed_json_is_422_not_500(api: ApiFactory) -> None:
    response = api.client.post(
        "/api/v1/organizations",
        content=b"{not json",
        headers={**api.staff, "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
