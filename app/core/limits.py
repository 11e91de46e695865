"""A ceiling on request bodies, enforced before any handler reads them (pure ASGI middleware).

A declared Content-Length over the limit is refused before a byte of the body is read; a body
without one (chunked) is counted as it streams in and refused as soon as it passes the limit.
Either way the answer is 413 application/problem+json naming the limit and the setting."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.errors import problem


@dataclass(frozen=True)
class BodyLimit:
    max_bytes: int
    setting: str  # the environment variable that sets it, named in the 413 answer


class BodyTooLarge(Exception):
    """Raised from `receive` when a streamed body passes its limit (caught by the middleware)."""


def _human(size: int) -> str:
    for unit, factor in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    return f"{size} bytes"


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # the server refuses a malformed header; the counter still applies
    return None


class BodySizeLimitMiddleware:
    """`default` applies to every request; `upload` (a larger limit) to the unsafe requests
    whose path starts with one of `upload_prefixes` (the staff file uploads)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        default: BodyLimit,
        upload: BodyLimit,
        upload_prefixes: Iterable[str] = (),
    ) -> None:
        self.app = app
        self.default = default
        self.upload = upload
        self.upload_prefixes = tuple(upload_prefixes)

    def limit_for(self, scope: Scope) -> BodyLimit:
        if scope.get("method") in {"POST", "PUT", "PATCH"} and str(scope["path"]).startswith(
            self.upload_prefixes
        ):
            return self.upload
        return self.default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        declared = _declared_length(scope)
        if declared is not None and declared > limit.max_bytes:
            await self._refuse(limit, scope, receive, send)
            return

        received = 0
        exceeded = False
        started = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit.max_bytes:
                    exceeded = True
                    raise BodyTooLarge()
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded:
                return  # whatever the app made of the failed read: the 413 is the answer
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not exceeded:
                raise
            # BodyTooLarge, or whatever the app turned it into: the 413 below answers it
        if exceeded and not started:
            await self._refuse(limit, scope, receive, send)

    @staticmethod
    async def _refuse(limit: BodyLimit, scope: Scope, receive: Receive, send: Send) -> None:
        detail = (
            f"The request body is larger than the limit of {limit.max_bytes} bytes "
            f"({_human(limit.max_bytes)}, set by {limit.setting})"
        )
        response = problem(413, "Content too large", detail, headers={"Connection": "close"})
        await response(scope, receive, send)
