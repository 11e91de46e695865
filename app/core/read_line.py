"""How many reads a server process works on at once (pure ASGI middleware).

Python runs one thread at a time. Eight searches at once, in eight of the thread pool's
threads, each took about eight times as long as one alone, and switching between them cost
the process a fifth of its throughput (`benchmarks/load_bench.py`, one worker, eight
clients: 93 searches a second, against 125 for one client). Reads (GET and HEAD) therefore
wait in line, in the order they came, for one of `limit` places: two by default, so that while
one thread waits for the database the other runs. A place is given up as soon as the answer
starts, so a slow client downloading an export holds none.

Writes do not wait in line: they are few, some take long (an import tags thousands of texts),
and a write can wait for another's database lock; writes holding every place while waiting
for a lock whose holder waits for a place would stall the process (seen with the thread pool
itself cut to two: SQLite writes then timed out). A read never waits for a lock.

More throughput comes from more worker processes (`uprtc serve --workers N`), not from more
threads in one.
"""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Message, Receive, Scope, Send

READ_METHODS = frozenset({"GET", "HEAD"})


class ReadConcurrencyMiddleware:
    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit
        # One line per event loop: a semaphore belongs to the loop it first waited in, and an
        # application object can outlive its loop (tests start one per client).
        self._lines: dict[asyncio.AbstractEventLoop, asyncio.Semaphore] = {}

    def _line(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        line = self._lines.get(loop)
        if line is None:
            self._lines = {k: v for k, v in self._lines.items() if not k.is_closed()}
            line = self._lines[loop] = asyncio.Semaphore(self.limit)
        return line

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in READ_METHODS:
            await self.app(scope, receive, send)
            return
        line = self._line()
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
