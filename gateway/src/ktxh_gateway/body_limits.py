"""Request body size limits, the gateway's one mechanism (413 problem before anything is parsed
or stored): JSON bodies up to `MAX_JSON_BYTES`; multipart uploads (catalog imports, documents)
up to the configured `max_upload_bytes` (`KTXH_GATEWAY_MAX_UPLOAD_BYTES`) plus the form's
framing, refused with the field `file` named. Counted on the stream too, so a chunked body
without Content-Length cannot slip past: reading stops at the limit, nothing is spooled."""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ktxh_gateway import limits
from ktxh_gateway.problems import PROBLEM, TITLES, TYPE_BASE


class _TooLarge(Exception):
    pass


def _is_multipart(scope: Scope) -> bool:
    headers = dict(scope.get("headers") or [])
    content_type = headers.get(b"content-type", b"").decode("latin-1").lower()
    return content_type.startswith("multipart/form-data")


async def _problem(scope: Scope, send: Send, detail: dict[str, Any]) -> None:
    slug, title = TITLES[413]
    body = json.dumps({
        "type": TYPE_BASE + slug, "title": title, "status": 413, **detail,
        "instance": scope.get("path", ""),
    }, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": 413, "headers": [
        (b"content-type", PROBLEM.encode()), (b"content-length", str(len(body)).encode()),
        (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_upload_bytes: int = limits.MAX_UPLOAD_BYTES) -> None:
        self.app = app
        self.max_upload_bytes = max_upload_bytes
        message = limits.file_too_large(max_upload_bytes)
        self._upload_problem = {"detail": message,
                                "errors": [{"field": "file", "message": message}]}
        self._json_problem = {"detail": "Nội dung gửi lên vượt quá giới hạn "
                                        f"{limits.MAX_JSON_BYTES // (1024 * 1024)} MB"}
        self._decision_problem = {"detail": "Nội dung gửi lên vượt quá giới hạn "
                                            f"{limits.MAX_DECISION_JSON_BYTES // (1024 * 1024)} MB"}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        if _is_multipart(scope):
            limit = self.max_upload_bytes + limits.MULTIPART_OVERHEAD
            problem = self._upload_problem
        elif scope.get("path", "").startswith(limits.LARGE_JSON_PREFIXES):
            limit, problem = limits.MAX_DECISION_JSON_BYTES, self._decision_problem
        else:
            limit, problem = limits.MAX_JSON_BYTES, self._json_problem
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _problem(scope, send, problem)
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
                await _problem(scope, send, problem)
                return
            if replaced:
                return
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except _TooLarge:
            if not replaced:
                await _problem(scope, send, problem)


__all__: list[Any] = ["BodySizeLimit"]
