"""Opaque page tokens of list use cases: an offset, base64url without padding.

One encoding for every service, so a client (and the gateway's `page_token` pattern) sees one
shape. A token with padding (issued before padding was dropped) still reads."""

from __future__ import annotations

import base64

from ktxh_platform.domain.errors import InvalidArgument


def encode_token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode().rstrip("=")


def decode_token(token: str) -> int:
    """The offset a token stands for; an empty token is the first page."""
    if not token:
        return 0
    try:
        padded = token.rstrip("=") + "=" * (-len(token.rstrip("=")) % 4)
        kind, value = base64.urlsafe_b64decode(padded.encode()).decode().split(":", 1)
        if kind != "o" or int(value) < 0:
            raise ValueError
        return int(value)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidArgument.single("page_token", "Mã trang không hợp lệ") from exc
