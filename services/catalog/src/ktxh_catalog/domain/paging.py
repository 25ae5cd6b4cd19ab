"""Opaque page tokens of the list use cases (an offset, base64url without padding)."""

from __future__ import annotations

import base64

from ktxh_catalog.domain.errors import InvalidArgument


def encode_token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode().rstrip("=")


def decode_token(token: str) -> int:
    if not token:
        return 0
    try:
        padded = token + "=" * (-len(token) % 4)
        kind, value = base64.urlsafe_b64decode(padded.encode()).decode().split(":", 1)
        if kind != "o" or int(value) < 0:
            raise ValueError
        return int(value)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidArgument.single("page_token", "Mã trang không hợp lệ") from exc
