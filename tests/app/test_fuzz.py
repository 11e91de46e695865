"""Property-based fuzzing of the whole OpenAPI surface (schemathesis), with a bounded budget.

Every operation gets generated requests, valid and invalid, as staff (the widest access), on a
database with some records in it. The properties: no 5xx ever, and every 4xx is
application/problem+json whose 422s name the field at fault.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.schemas import OpenApiSchema

from app.config import Settings
from app.main import create_app
from tests.support.factories import ApiFactory

pytestmark = [pytest.mark.dialects, pytest.mark.slow]

# Examples per operation: enough to reach every validation branch of a schema, small enough that
# the whole surface (~70 operations) runs in about a minute on two cores.
EXAMPLES_PER_OPERATION = 15


@pytest.fixture(scope="module")
def fuzz_app(module_api: ApiFactory) -> tuple[FastAPI, dict[str, str]]:
    api = module_api
    organization = api.organization()
    recommendation = api.recommendation("KAZ")
    request = api.request("KAZ", status="open", recommendation_ids=[recommendation["id"]])
    offer = api.offer(organization["id"])
    api.match(request["id"], offer["id"])
    api.activity("KAZ", provider_ids=[organization["id"]])
    return module_api.client.app, api.staff  # type: ignore[return-value]


@pytest.fixture(scope="module")
def api_schema(fuzz_app: tuple[FastAPI, dict[str, str]]) -> OpenApiSchema:
    app, _ = fuzz_app
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def _operations() -> list[tuple[str, str]]:
    """(method, path) of every operation, read from the app's schema (no database needed)."""
    app = create_app(Settings(database_url="sqlite://", environment="test"))
    paths = TestClient(app).get("/openapi.json").json()["paths"]
    return [(method.upper(), path) for path, item in paths.items() for method in item]


def _problem_json(response: Any) -> None:
    status = response.status_code
    assert status < 500, f"server error {status}: {response.text[:500]}"
    if status >= 400:
        content_type = response.headers.get("content-type", [""])
        content_type = content_type[0] if isinstance(content_type, list) else content_type
        assert content_type.startswith("application/problem+json"), (status, response.text[:300])
        body = response.json()
        assert body["status"] == status
        assert body["detail"]
        if status == 422 and body.get("errors"):
            assert all(error.get("field") for error in body["errors"]), body


@pytest.mark.parametrize(("method", "path"), _operations(), ids=lambda v: str(v))
def test_no_server_error_and_problem_json_everywhere(
    method: str,
    path: str,
    api_schema: OpenApiSchema,
    fuzz_app: tuple[FastAPI, dict[str, str]],
) -> None:
    _, staff = fuzz_app
    operation = api_schema[path][method]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def fuzz(case: schemathesis.Case) -> None:
        _problem_json(case.call(headers=staff))

    fuzz()
