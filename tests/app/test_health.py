import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app


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


def test_api_docs_load_their_scripts_and_styles_from_the_service_itself(
    client: TestClient,
) -> None:
    """Offline networks: no CDN address in /docs or /redoc, and every asset they name is served."""
    for page in ("/docs", "/redoc"):
        html = client.get(page).text
        assert "cdn." not in html
        assert "fonts.googleapis" not in html
        assets = re.findall(r'(?:src|href)="(/docs-assets/[^"]+)"', html)
        assert assets, page
        for asset in assets:
            answer = client.get(asset)
            assert answer.status_code == 200, asset
            assert len(answer.content) > 1000, asset


def test_readiness_checks_the_database_and_its_schema(client: TestClient) -> None:
    ready = client.get("/api/v1/health/ready")
    assert ready.status_code == 200, ready.text
    assert ready.json()["schema_revision"]
    assert client.get("/api/v1/health/live").json()["status"] == "ok"


def test_readiness_is_503_on_a_database_without_migrations(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'empty.db'}", environment="test")
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        response = client.get("/api/v1/health/ready")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert "uprtc db upgrade" in response.json()["detail"]


def test_every_response_carries_a_request_id(client: TestClient) -> None:
    generated = client.get("/api/v1/health/live").headers["x-request-id"]
    assert len(generated) == 32
    echoed = client.get("/api/v1/health/live", headers={"X-Request-ID": "abc-123"})
    assert echoed.headers["x-request-id"] == "abc-123"
    hostile = client.get("/api/v1/health/live", headers={"X-Request-ID": "<script> x"})
    assert hostile.headers["x-request-id"] != "<script> x"


def test_metrics_count_requests_by_route_template(client: TestClient) -> None:
    client.get("/api/v1/countries/KAZ")
    client.get("/api/v1/countries/FRA")
    client.get("/api/v1/countries/XXX")
    text = client.get("/metrics").text
    route = 'route="/api/v1/countries/{iso3}"'
    assert f'uprtc_http_requests_total{{method="GET",{route},status="200"}} 2.0' in text
    assert f'uprtc_http_requests_total{{method="GET",{route},status="404"}} 1.0' in text
    assert "KAZ" not in text, "no raw paths in metrics"
    assert "uprtc_http_request_duration_seconds_bucket" in text


def test_log_lines_are_json_with_the_request_id(
    client: TestClient, capfd: pytest.CaptureFixture[str]
) -> None:
    client.get("/api/v1/health/live", headers={"X-Request-ID": "trace-42"})
    lines = [
        json.loads(line) for line in capfd.readouterr().err.splitlines() if line.startswith("{")
    ]
    access = [line for line in lines if line.get("logger") == "uprtc.access"]
    assert access, "no access log line"
    assert access[-1]["request_id"] == "trace-42"
    assert access[-1]["status"] == 200
    assert access[-1]["route"] == "/api/v1/health/live"
