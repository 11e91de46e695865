"""The server's garbage collector: what start-up and the first requests built is frozen, and
young collections are rarer than CPython's default."""

from __future__ import annotations

import asyncio
import gc
from typing import Any

from app.core import heap


async def _ok(scope: Any, receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 204, "headers": []})
    await send({"type": "http.response.body", "body": b""})


async def _serve(app: Any, count: int) -> None:
    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b""}

    async def send(_message: dict[str, Any]) -> None:
        return None

    for _ in range(count):
        await app({"type": "http"}, receive, send)


def test_settle_freezes_what_exists_and_raises_the_young_threshold() -> None:
    kept = [[] for _ in range(1_000)]  # containers the collector tracks
    settled = gc.get_freeze_count()
    heap.settle()
    assert gc.get_freeze_count() >= settled + len(kept)
    assert gc.get_threshold()[0] == heap.YOUNG_THRESHOLD


def test_the_middleware_settles_again_after_the_first_requests_and_only_then() -> None:
    app = heap.HeapSettleMiddleware(_ok, marks=(3, 6))
    asyncio.run(_serve(app, 2))
    before = gc.get_freeze_count()
    built_lazily = [[] for _ in range(500)]
    asyncio.run(_serve(app, 1))  # the third request
    after_first_mark = gc.get_freeze_count()
    assert after_first_mark >= before + len(built_lazily)
    asyncio.run(_serve(app, 2))
    assert gc.get_freeze_count() == after_first_mark  # no mark at 4 or 5
    more = [[] for _ in range(500)]
    asyncio.run(_serve(app, 10))  # the sixth, then no mark left
    assert gc.get_freeze_count() >= after_first_mark + len(more)
    assert app._marks == []
