"""Operations: JSON logs carrying a request id, an access log, and Prometheus metrics.

One pure ASGI middleware (cheaper than BaseHTTPMiddleware) gives every request an id (the
client's `X-Request-ID` when it is sane, else a new one), echoes it in the response, puts it in
every log line written while the request runs, logs one access line, and counts the request in
Prometheus metrics labelled by route template (`/api/v1/requests/{request_id}`), never by raw
path: ids must not leak into metrics nor explode their cardinality.
"""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid
from contextvars import ContextVar
from typing import Any

from fastapi import APIRouter, Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from pythonjsonlogger.json import JsonFormatter
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = "x-request-id"
_SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
access_logger = logging.getLogger("uprtc.access")


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is at the time (test runners and daemons replace it)."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def configure_logging(level: str, *, json_logs: bool = True) -> None:
    """Log lines as JSON on stderr, each with the request id of the request being served."""
    handler = _StderrHandler()
    handler.addFilter(_RequestIdFilter())
    if json_logs:
        handler.setFormatter(
            JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            )
        )
    root = logging.getLogger()
    for existing in [h for h in root.handlers if getattr(h, "_uprtc", False)]:
        root.removeHandler(existing)
    handler._uprtc = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level.upper())
    # uvicorn's own access log would repeat ours without the request id.
    logging.getLogger("uvicorn.access").disabled = True


class Metrics:
    """The service's Prometheus metrics, in a registry of their own (one per app)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "uprtc_http_requests_total",
            "HTTP requests served",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "uprtc_http_request_duration_seconds",
            "Time to serve an HTTP request",
            ["method", "route"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
            registry=self.registry,
        )


def route_template(scope: Scope) -> str:
    """The template of the route that served the request (`/api/v1/requests/{request_id}`), or
    "unmatched". A router included under a prefix keeps its own path in `scope["route"]`
    (`/requests/{request_id}`): the prefix is the real path's leading segments, one per segment
    that the template does not have (no route here takes a multi-segment `:path` parameter)."""
    template = str(getattr(scope.get("route"), "path", None) or "")
    if not template:
        return "unmatched"
    path_segments = str(scope["path"]).split("/")
    extra = len(path_segments) - len(template.split("/"))
    if extra <= 0 or ":path}" in template:
        return template
    return "/".join(path_segments[: extra + 1]) + template


class ObservabilityMiddleware:
    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _incoming_id(scope) or uuid.uuid4().hex
        token = _request_id.set(request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((REQUEST_ID_HEADER.encode(), request_id.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            self._record(scope, status, time.perf_counter() - started)
            _request_id.reset(token)

    def _record(self, scope: Scope, status: int, seconds: float) -> None:
        method, route = scope["method"], route_template(scope)
        self.metrics.requests.labels(method, route, str(status)).inc()
        self.metrics.latency.labels(method, route).observe(seconds)
        extra: dict[str, Any] = {
            "method": method,
            "path": scope["path"],
            "route": route,
            "status": status,
            "duration_ms": round(seconds * 1000, 2),
        }
        access_logger.info("%s %s %s", method, scope["path"], status, extra=extra)


def _incoming_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == REQUEST_ID_HEADER.encode():
            candidate = value.decode("latin-1")
            return candidate if _SANE_ID.match(candidate) else None
    return None


router = APIRouter(include_in_schema=False)


@router.get("/metrics")
def metrics(request: Request) -> Response:
    """Prometheus exposition of this process's request counts and latencies."""
    registry: CollectorRegistry = request.app.state.metrics.registry
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
