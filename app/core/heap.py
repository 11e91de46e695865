"""The garbage collector of a long-running server process.

A full collection walks every container object the collector tracks. What start-up builds
(modules, routes, mappers, templates) lives as long as the process, and so does what the first
requests build lazily (each route's dependency and validation objects, the tagger, the search
index, compiled statements): walked again and again, it cost ~15-30 ms every ~2 s under load.
`settle()` moves what exists out of the collector's sight (`gc.freeze`); it runs after start-up
and again after the first `REFREEZE_AFTER` requests, when the lazy state is built. What a
request leaves behind in reference cycles at that moment is kept for good: a few requests'
worth, once.

Young collections also run ten times less often than CPython's default (700 allocations): a
request allocates thousands of objects, nearly all freed by reference counting.
"""

from __future__ import annotations

import gc

from starlette.types import ASGIApp, Receive, Scope, Send

YOUNG_THRESHOLD = 7_000
REFREEZE_AFTER = (500, 5_000)


def settle() -> None:
    """Collect once, then keep every object alive now out of later collections."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)


class HeapSettleMiddleware:
    """`settle()` again once the first requests have built what the process keeps."""

    def __init__(self, app: ASGIApp, marks: tuple[int, ...] = REFREEZE_AFTER) -> None:
        self.app = app
        self._marks = list(marks)
        self._served = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._marks and scope["type"] == "http":
            self._served += 1
            if self._served >= self._marks[0]:
                self._marks.pop(0)
                settle()
        await self.app(scope, receive, send)
