"""The request body-size limit (app/core/limits.py): a declared Content-Length over the limit
and a chunked body that grows past it both get 413 problem+json naming the limit; the staff
upload has its own, larger limit; both limits come from the settings."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import Message, Receive, Scope, Send

from app.config import Settings
from app.core.limits import BodyLimit, BodySizeLimitMiddleware
from app.main import create_app
from tests.support.factories import ApiFactory

ROOT = Path(__file__).resolve().parents[3]
UPR_INFO = ROOT / "seed_data" / "upr_info" / "upr_info_cycle1_sessions01-12.csv"
MiB = 1 << 20


def organization(size: int = 0) -> dict[str, Any]:
    return {"name": "Padded organization", "type": "un_entity", "description": "x" * size}


def assert_413(response: Any, limit: int, setting: str) -> None:
    assert response.status_code == 413, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 413
    assert body["title"] == "Content too large"
    assert body["type"] == "about:blank"
    assert f"{limit} bytes" in body["detail"]
    assert setting in body["detail"]


def test_json_body_over_the_limit_is_413_before_anything_runs(api: ApiFactory) -> None:
    response = api.client.post(
        "/api/v1/organizations", json=organization(MiB + 10), headers=api.staff
    )
    assert_413(response, MiB, "UPRTC_MAX_BODY_BYTES")
    assert "1 MiB" in response.json()["detail"]
    listed = api.client.get("/api/v1/organizations", headers=api.staff).json()
    assert listed["total"] == 0


def test_chunked_body_over_the_limit_is_413(api: ApiFactory) -> None:
    payload = json.dumps(organization(MiB + 10)).encode()

    def chunks() -> Iterator[bytes]:  # no Content-Length: Transfer-Encoding chunked
        for start in range(0, len(payload), 64 * 1024):
            yield payload[start : start + 64 * 1024]

    headers = {**api.staff, "Content-Type": "application/json"}
    response = api.client.post("/api/v1/organizations", content=chunks(), headers=headers)
    assert_413(response, MiB, "UPRTC_MAX_BODY_BYTES")
    assert api.client.get("/api/v1/organizations", headers=api.staff).json()["total"] == 0


def test_body_under_the_limit_works(api: ApiFactory) -> None:
    payload = json.dumps(organization(10_000)).encode()
    headers = {**api.staff, "Content-Type": "application/json"}
    plain = api.client.post("/api/v1/organizations", content=payload, headers=headers)
    assert plain.status_code == 201, plain.text
    body = json.dumps({**organization(10_000), "name": "Streamed"}).encode()
    chunked = api.client.post("/api/v1/organizations", content=iter([body]), headers=headers)
    assert chunked.status_code == 201, chunked.text


def test_the_upload_takes_a_file_between_the_two_limits(api: ApiFactory) -> None:
    """A 1.2 MiB UPR Info CSV (extra columns are ignored) is over the JSON limit and under the
    upload limit."""
    with UPR_INFO.open(encoding="utf-8", newline="") as source:
        reader = csv.DictReader(source)
        fieldnames = [*(reader.fieldnames or []), "notes"]
        rows = [{**row, "notes": "n" * 32_000} for _, row in zip(range(40), reader, strict=False)]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fieldnames)
    writer.writeheader()
    writer.writerows(rows)
    content = buffer.getvalue().encode()
    assert MiB < len(content) < 50 * MiB
    files = {"file": ("big.csv", content, "text/csv")}
    response = api.client.post("/api/v1/imports/upr-info", files=files, headers=api.staff)
    assert response.status_code == 201, response.text
    assert response.json()["inserted"] == 40


def test_limits_come_from_the_settings(
    db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("UPRTC_MAX_BODY_BYTES", "200")
    monkeypatch.setenv("UPRTC_MAX_UPLOAD_BYTES", "5000")
    settings = Settings(database_url=db_url, environment="test")
    assert (settings.max_body_bytes, settings.max_upload_bytes) == (200, 5000)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        api = ApiFactory(client, settings)
        try:
            small = client.post("/api/v1/organizations", json=organization(), headers=api.staff)
            assert small.status_code == 201, small.text
            big = client.post("/api/v1/organizations", json=organization(300), headers=api.staff)
            assert_413(big, 200, "UPRTC_MAX_BODY_BYTES")
            files = {"file": ("big.csv", b"x" * 6000, "text/csv")}
            upload = client.post("/api/v1/imports/upr-info", files=files, headers=api.staff)
            assert_413(upload, 5000, "UPRTC_MAX_UPLOAD_BYTES")
            # A 3,000-byte file is over the body limit but under the upload limit: it gets
            # through to the importer, which says what is wrong with it.
            files = {"file": ("small.csv", b"a,b\n" + b"1,2\n" * 700, "text/csv")}
            within = client.post("/api/v1/imports/upr-info", files=files, headers=api.staff)
            assert within.status_code == 422, within.text
            assert "missing columns" in within.json()["detail"]
        finally:
            api.close()


@pytest.mark.parametrize("setting", ["UPRTC_MAX_BODY_BYTES", "UPRTC_MAX_UPLOAD_BYTES"])
def test_a_limit_must_be_positive(monkeypatch: pytest.MonkeyPatch, setting: str) -> None:
    monkeypatch.setenv(setting, "0")
    with pytest.raises(ValueError, match="greater than or equal to 1"):
        Settings(environment="test")


# --- the middleware on its own, with a body streamed in several messages ----------------------
def _run(app: BodySizeLimitMiddleware, scope: Scope, chunks: list[bytes]) -> list[Message]:
    incoming: list[Message] = [
        {"type": "http.request", "body": c, "more_body": i < len(chunks) - 1}
        for i, c in enumerate(chunks)
    ]
    sent: list[Message] = []

    async def receive() -> Message:
        return incoming.pop(0) if incoming else {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    return sent


def _scope(path: str = "/api/v1/things", headers: list[tuple[bytes, bytes]] | None = None) -> Scope:
    return {"type": "http", "method": "POST", "path": path, "headers": headers or []}


class _Echo:
    """Reads the whole body, as a handler would; swallows errors and answers 400 (as FastAPI
    does for a body it cannot read), to show that the 413 wins."""

    def __init__(self) -> None:
        self.read = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        try:
            async for chunk in request.stream():
                self.read += len(chunk)
        except Exception:
            await JSONResponse({"detail": "bad body"}, status_code=400)(scope, receive, send)
            return
        await JSONResponse({"read": self.read})(scope, receive, send)


def _middleware(app: Any) -> BodySizeLimitMiddleware:
    return BodySizeLimitMiddleware(
        app,
        default=BodyLimit(100, "UPRTC_MAX_BODY_BYTES"),
        upload=BodyLimit(1000, "UPRTC_MAX_UPLOAD_BYTES"),
        upload_prefixes=["/api/v1/imports/"],
    )


def _status_and_body(sent: list[Message]) -> tuple[int, dict[str, Any]]:
    starts = [m for m in sent if m["type"] == "http.response.start"]
    assert len(starts) == 1, sent
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return starts[0]["status"], json.loads(body)


def test_streamed_body_is_cut_off_as_soon_as_it_passes_the_limit() -> None:
    echo = _Echo()
    sent = _run(_middleware(echo), _scope(), [b"x" * 40] * 10)
    status, body = _status_and_body(sent)
    assert status == 413
    assert "100 bytes" in body["detail"]
    assert echo.read == 80, "the chunk that passes the limit never reaches the handler"


def test_declared_length_over_the_limit_is_refused_unread() -> None:
    echo = _Echo()
    sent = _run(_middleware(echo), _scope(headers=[(b"content-length", b"101")]), [b"x" * 101])
    assert _status_and_body(sent)[0] == 413
    assert echo.read == 0


def test_upload_paths_have_the_larger_limit() -> None:
    sent = _run(_middleware(_Echo()), _scope("/api/v1/imports/uhri"), [b"x" * 400] * 2)
    assert _status_and_body(sent) == (200, {"read": 800})
    sent = _run(_middleware(_Echo()), _scope("/api/v1/imports/uhri"), [b"x" * 400] * 3)
    status, body = _status_and_body(sent)
    assert status == 413
    assert "UPRTC_MAX_UPLOAD_BYTES" in body["detail"]
    sent = _run(_middleware(_Echo()), _scope("/api/v1/imports/uhri"), [b"x" * 100] * 1)
    assert _status_and_body(sent) == (200, {"read": 100})
