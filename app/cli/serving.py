"""`uprtc serve`: the service with uvicorn."""

from __future__ import annotations

import typer

from app.cli.common import require_set_up
from app.config import get_settings


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    reload: bool = False,
) -> None:
    """Serve the API with uvicorn (OpenAPI docs at /docs). Forwarded headers are believed only
    from UPRTC_TRUSTED_PROXIES (none by default)."""
    import uvicorn

    require_set_up()
    trusted = get_settings().trusted_proxies.strip()

    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        # uvicorn believes X-Forwarded-For from 127.0.0.1 unless told otherwise: a local client
        # could then pose as any address (and dodge the sign-in throttle).
        proxy_headers=bool(trusted),
        forwarded_allow_ips=trusted or "",
        # Our JSON logging (app.core.observability) instead of uvicorn's; on SIGTERM, finish
        # the requests in flight (up to 30 s) before stopping.
        log_config=None,
        timeout_graceful_shutdown=30,
        # httptools parses HTTP in C (the pure-Python h11 cost ~10% of a page); the standard
        # asyncio loop, not uvloop: uvloop crashed a server here under load (a segfault).
        http="httptools",
        loop="asyncio",
    )


def register(cli: typer.Typer) -> None:
    cli.command()(serve)
