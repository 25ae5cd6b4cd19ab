"""The real limits of the REST API, declared once so the OpenAPI document states what the
server accepts (docs/security.md, "Input limits"):

* integers fit the proto field they travel in (`INT32`, `UINT32`, `INT64`...);
* text has a length and never contains control characters (NUL, C0 except tab/newline/CR,
  DEL) or lone surrogates (not encodable as UTF-8): those are 422 naming the field;
* dates are ISO `YYYY-MM-DD` only (no Unix timestamps such as `0`);
* request bodies: JSON at most `MAX_JSON_BYTES`; multipart uploads (imports, documents) at
  most the gateway's `max_upload_bytes` (`KTXH_GATEWAY_MAX_UPLOAD_BYTES`, default
  `MAX_UPLOAD_BYTES`) plus `MULTIPART_OVERHEAD` (413, `body_limits.BodySizeLimit`).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from fastapi import Path, Query
from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError

INT32 = (-(2**31), 2**31 - 1)
UINT32 = (0, 2**32 - 1)
INT64 = (-(2**63), 2**63 - 1)
UINT64 = (0, 2**64 - 1)

MAX_JSON_BYTES = 1024 * 1024  # 1 MB: the largest catalog item is far smaller
# A province's whole decision (200 indicators x 170 units = 34,000 targets, ~10 MB of JSON)
# is saved in one request: the assignment-decision routes accept up to this.
MAX_DECISION_JSON_BYTES = 32 * 1024 * 1024
# Bulk figures (`/api/v1/data-values`, JSON or CSV) and historical figures too: 10,000 rows
# are ~1.5 MB.
LARGE_JSON_PREFIXES = ("/api/v1/assignment-decisions", "/api/v1/data-values",
                       "/api/v1/historical-figures")
MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # default largest file (import or document); configurable
MULTIPART_OVERHEAD = 64 * 1024  # the form's framing and small fields around the file
MAX_MULTIPART_BYTES = MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD  # with the default


def file_too_large(limit: int) -> str:
    """The one Vietnamese message of a file over the upload limit."""
    megabytes = limit / (1024 * 1024)
    if megabytes >= 1:
        return f"Tệp quá lớn: tối đa {megabytes:g} MB"
    return f"Tệp quá lớn: tối đa {max(1, limit // 1024)} KB"

# JSON Schema (ECMA-262, Rust and Python regex alike): no C0 control but \t \n \r, no DEL.
# Lone surrogate halves are refused too (not encodable as UTF-8), but a pattern cannot name
# them portably, so only the validator states that.
TEXT_PATTERN = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$"
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _clean_text(value: str) -> str:
    if _FORBIDDEN.search(value):
        raise PydanticCustomError(
            "control_characters",
            "Không được chứa ký tự điều khiển (NUL, mã dưới 0x20) hoặc ký tự không hợp lệ",
        )
    return value


def _iso_day(value: Any) -> Any:
    if isinstance(value, str) and not _ISO_DAY.match(value):
        raise PydanticCustomError("date_parsing", "Ngày không hợp lệ (dạng YYYY-MM-DD)")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise PydanticCustomError("date_parsing", "Ngày không hợp lệ (dạng YYYY-MM-DD)")
    return value


def text(max_length: int, *, min_length: int = 0) -> Any:
    """A text field of at most `max_length` characters without control characters."""
    return Annotated[
        str,
        AfterValidator(_clean_text),
        Field(min_length=min_length, max_length=max_length,
              json_schema_extra={"pattern": TEXT_PATTERN}),
    ]


def integer(bounds: tuple[int, int]) -> Any:
    return Annotated[int, Field(ge=bounds[0], le=bounds[1])]


Day = Annotated[date, BeforeValidator(_iso_day)]
Text200 = text(200)
Text1000 = text(1000)
# Opaque page tokens are URL-safe base64.
PAGE_TOKEN_PATTERN = r"^[A-Za-z0-9_=-]*$"


def clean(value: str) -> str:
    """The control-character check of `text`, for path and query parameters."""
    return _clean_text(value)


def query_text(max_length: int, **options: Any) -> Any:
    """A query parameter of at most `max_length` characters without control characters."""
    return Annotated[
        str, AfterValidator(_clean_text),
        Query(max_length=max_length, json_schema_extra={"pattern": TEXT_PATTERN}, **options),
    ]


def path_text(max_length: int, **options: Any) -> Any:
    return Annotated[
        str, AfterValidator(_clean_text),
        Path(min_length=1, max_length=max_length, json_schema_extra={"pattern": TEXT_PATTERN},
             **options),
    ]
