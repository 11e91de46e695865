"""Reads, and writes, wait in line for one of a server process's few places (a line each;
uploads take none); a place is given up as the answer starts, or when the request fails."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from app.config import Settings
from app.core.request_lines import RequestLinesMiddleware
from app.main import create_app


class _Counting:
    """An application that notes how many requests it works on at once."""

    def __init__(self) -> None:
        self.now = 0
        self.most = 0
        self.streaming = asyncio.Event()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.now += 1
        self.most = max(self.most, self.now)
        try:
            await asyncio.sleep(0.01)
            if scope["path"] == "/fail":
                raise RuntimeError("the handler failed")
            if scope["path"] == "/held":  # a read still working on its answer
                await self.streaming.wait()
            await send({"type": "http.response.start", "status": 200, "headers": []})
            if scope["path"] == "/export":  # a slow client reading a long answer
                await self.streaming.wait()
            await send({"type": "http.response.body", "body": b"ok"})
        finally:
            self.now -= 1


async def _request(app: Any, method: str = "GET", path: str = "/") -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b""}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app({"type": "http", "method": method, "path": path}, receive, send)
    return sent


@pytest.mark.parametrize("limit", [1, 2, 3])
def test_reads_wait_for_one_of_the_places_and_all_are_answered(limit: int) -> None:
    inner = _Counting()
    app = RequestLinesMiddleware(inner, limit=limit)

    async def many() -> list[list[dict[str, Any]]]:
        return await asyncio.gather(*(_request(app, method) for method in ["GET", "HEAD"] * 5))

    answers = asyncio.run(many())
    assert inner.most == limit
    assert all(sent[-1]["body"] == b"ok" for sent in answers)


def test_writes_have_their_own_line_and_uploads_take_no_place() -> None:
    inner = _Counting()
    app = RequestLinesMiddleware(inner, limit=1, exempt_prefixes=["/imports/"])

    async def many(method: str, path: str = "/") -> None:
        await asyncio.gather(*(_request(app, method, path) for _ in range(4)))

    asyncio.run(many("POST"))
    assert inner.most == 1
    asyncio.run(many("POST", "/imports/upr-info"))
    assert inner.most == 4

    async def writes_while_a_read_holds_its_place() -> None:
        read = asyncio.create_task(_request(app, path="/held"))
        await asyncio.sleep(0.05)
        await asyncio.wait_for(many("PUT"), 1)  # the read's place is not the writes'
        assert not read.done()
        inner.streaming.set()
        await read

    inner.most = 0
    asyncio.run(writes_while_a_read_holds_its_place())
    assert inner.most == 2


def test_a_place_is_given_up_as_the_answer_starts_and_when_a_request_fails() -> None:
    inner = _Counting()
    app = RequestLinesMiddleware(inner, limit=1)

    async def scenario() -> None:
        export = asyncio.create_task(_request(app, path="/export"))
        await asyncio.sleep(0.05)  # the export has started its answer and is still sending
        with pytest.raises(RuntimeError, match="the handler failed"):
            await asyncio.wait_for(_request(app, path="/fail"), 1)
        answered = await asyncio.wait_for(_request(app), 1)  # not held by the export or /fail
        assert answered[-1]["body"] == b"ok"
        assert not export.done()
        inner.streaming.set()
        await export

    asyncio.run(scenario())


def test_the_line_works_in_each_event_loop_the_application_meets() -> None:
    app = RequestLinesMiddleware(_Counting(), limit=1)

    async def two() -> None:
        await asyncio.wait_for(asyncio.gather(_request(app), _request(app)), 1)

    for _ in range(2):  # a semaphore that waited in a closed loop would fail here
        asyncio.run(two())


def test_the_service_takes_its_places_from_the_settings(db_url: str) -> None:
    app = create_app(Settings(database_url=db_url, environment="test", concurrency=3))
    (lines,) = [m for m in app.user_middleware if m.cls is RequestLinesMiddleware]
    assert lines.kwargs["limit"] == 3
    assert "/api/v1/imports/" in lines.kwargs["exempt_prefixes"]
