from fastapi.testclient import TestClient


def test_health_reports_ok_and_the_database_backend(client: TestClient, db_url: str) -> None:
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": db_url.split(":")[0].split("+")[0]}


def test_openapi_documents_every_resource(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for resource in (
        "recommendations",
        "requests",
        "offers",
        "matches",
        "activities",
        "organizations",
        "countries",
        "regions",
        "themes",
        "assistance-types",
        "audit",
    ):
        assert f"/api/v1/{resource}" in paths
    assert client.get("/docs").status_code == 200
