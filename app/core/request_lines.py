"""How many requests a server process works on at once (pure ASGI middleware).

Python runs one thread at a time. Eight searches at once, in eight of the thread pool's
threads, each took about eight times as long as one alone, and switching between them cost
the process a fifth of its throughput (`benchmarks/load_bench.py`, one worker, eight
clients: 93 searches a second, against 125 for one client); eight writes at once made the
slowest of them wait half a second. So requests wait in line, in the order they came, for one
of `limit` places: two by default, so that while one thread waits for the database the other
runs. A place is given up as soon as the answer starts, so a slow client downloading an
export holds none.

Reads (GET, HEAD) and writes have a line each: a write can wait seconds for another
process's database lock (SQLite), and reads, which never wait for a lock, go on meanwhile.
A request takes one place once and keeps it to its answer, and a write holding a lock
already has its place, so no write waits for a place held by one waiting for its lock (what
cutting the thread pool itself to two did: the commit, a second trip to the pool, found
no thread free while the writes holding both waited for its lock). File uploads
(`exempt_prefixes`: imports tag thousands of texts, for minutes) take no place.

More throughput comes from more worker processes (`uprtc serve --workers N`), not from more
threads in one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from starlette.types import ASGIApp, Message, Receive, Scope, Send

READ_METHODS = frozenset({"GET", "HEAD"})


class RequestLinesMiddleware:
    def __init__(self, app: ASGIApp, limit: int, exempt_prefixes: Sequence[str] = ()) -> None:
        self.app = app
        self.limit = limit
        self.exempt_prefixes = tuple(exempt_prefixes)
        # The lines of each event loop: a semaphore belongs to the loop it first waited in,
        # and an application object can outlive its loop (tests start one per client).
        self._lines: dict[tuple[asyncio.AbstractEventLoop, bool], asyncio.Semaphore] = {}

    def _line(self, reading: bool) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        line = self._lines.get((loop, reading))
        if line is None:
            self._lines = {k: v for k, v in self._lines.items() if not k[0].is_closed()}
            line = self._lines[loop, reading] = asyncio.Semaphore(self.limit)
        return line

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(self.exempt_prefixes):
            await self.app(scope, receive, send)
            return
        line = self._line(scope["method"] in READ_METHODS)
        await line.acquire()
        holding = True

        def give_up() -> None:
            nonlocal holding
            if holding:
                holding = False
                line.release()

        async def send_then_give_up(message: Message) -> None:
            if message["type"] == "http.response.start":
                give_up()
            await send(message)

        try:
            await self.app(scope, receive, send_then_give_up)
        finally:
            give_up()
