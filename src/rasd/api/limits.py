"""Limits that protect the one server process: request bodies over a size (413) and too many
heavy calls from one client (429)."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import Request

from rasd.api.errors import ApiError, error_response

DEFAULT_MAX_BODY = 5_000_000
DEFAULT_HEAVY_PER_MINUTE = 30

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class _TooLarge(Exception):
    pass


class BodyLimit:
    """Refuses request bodies over ``max_bytes`` with 413, declared or streamed (chunked)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_bytes
        for key, value in scope.get("headers", []):
            if key == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0
                if declared > limit:
                    await self._refuse(scope, receive, send)
                    return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _TooLarge
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except _TooLarge:
            if not started:
                await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        mb = self.max_bytes / 1e6
        await error_response(413, "too_large", f"request body over the limit of {mb:g} MB")(
            scope, receive, send)


class RateLimit:
    """At most ``per_minute`` heavy calls (analysis) per client address in any 60 s window."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self.calls: dict[str, deque[float]] = defaultdict(deque)
        self.lock = threading.Lock()

    def __call__(self, request: Request) -> None:
        if self.per_minute <= 0:
            return
        client = request.client.host if request.client else "?"
        now = time.monotonic()
        with self.lock:
            calls = self.calls[client]
            while calls and now - calls[0] >= 60:
                calls.popleft()
            if len(calls) >= self.per_minute:
                wait = int(60 - (now - calls[0])) + 1
                raise ApiError(429, "rate_limited",
                               f"more than {self.per_minute} analysis calls a minute from "
                               f"this client; retry in {wait} s", {"Retry-After": str(wait)})
            calls.append(now)
            if len(self.calls) > 10_000:  # forget idle clients
                for key in [k for k, v in self.calls.items() if not v]:
                    del self.calls[key]
