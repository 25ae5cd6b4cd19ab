"""Request body size limits (413 problem before anything is parsed or stored): JSON bodies
up to `MAX_JSON_BYTES`, multipart uploads (imports) up to `MAX_MULTIPART_BYTES`. Counted on
the stream too, so a chunked body without Content-Length cannot slip past."""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ktxh_gateway import limits
from ktxh_gateway.problems import PROBLEM, TITLES, TYPE_BASE


class _TooLarge(Exception):
    pass


def _limit_for(scope: Scope) -> int:
    headers = dict(scope.get("headers") or [])
    content_type = headers.get(b"content-type", b"").decode("latin-1").lower()
    if content_type.startswith("multipart/form-data"):
        return limits.MAX_MULTIPART_BYTES
    return limits.MAX_JSON_BYTES


async def _problem(scope: Scope, send: Send, limit: int) -> None:
    slug, title = TITLES[413]
    body = json.dumps({
        "type": TYPE_BASE + slug, "title": title, "status": 413,
        "detail": f"Nội dung gửi lên vượt quá giới hạn {limit // (1024 * 1024)} MB",
        "instance": scope.get("path", ""),
    }, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": 413, "headers": [
        (b"content-type", PROBLEM.encode()), (b"content-length", str(len(body)).encode()),
        (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


class BodySizeLimit:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        limit = _limit_for(scope)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _problem(scope, send, limit)
            return
        seen = 0
        exceeded = False
        replaced = False

        async def counted_receive() -> Message:
            nonlocal seen, exceeded
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    exceeded = True
                    raise _TooLarge
            return message

        async def guarded_send(message: Message) -> None:
            # the framework turns an error while reading the body into its own 400: answer 413
            nonlocal replaced
            if exceeded and message["type"] == "http.response.start" and not replaced:
                replaced = True
                await _problem(scope, send, limit)
                return
            if replaced:
                return
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except _TooLarge:
            if not replaced:
                await _problem(scope, send, limit)


__all__: list[Any] = ["BodySizeLimit"]
