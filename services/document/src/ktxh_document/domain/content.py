"""What a file really is, from its first bytes (magic numbers), never from its name.

Allowed: PDF, DOCX, XLSX, PNG, JPEG. Executables (Windows ``MZ``, Linux ``ELF``, Mach-O,
scripts with ``#!``) and everything else are refused with a Vietnamese message.
Pure domain: standard library only.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from ktxh_platform.domain import FieldViolation, InvalidArgument

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PNG = "image/png"
JPEG = "image/jpeg"

ALLOWED_LABELS = "PDF, Word (.docx), Excel (.xlsx), PNG, JPEG"

# The main part's content type in [Content_Types].xml of an OOXML package.
_OOXML_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.ms-word.document.macroEnabled.main+xml": None,  # .docm: macros, refused
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml": None,  # .xlsm: macros, refused
}

_EXECUTABLE_MAGIC = (
    (b"MZ", "tệp chạy Windows (.exe/.dll)"),
    (b"\x7fELF", "tệp chạy Linux (ELF)"),
    (b"\xfe\xed\xfa\xce", "tệp chạy macOS"),
    (b"\xfe\xed\xfa\xcf", "tệp chạy macOS"),
    (b"\xcf\xfa\xed\xfe", "tệp chạy macOS"),
    (b"\xce\xfa\xed\xfe", "tệp chạy macOS"),
    (b"#!", "tệp lệnh (script)"),
)

EXTENSIONS = {PDF: ".pdf", DOCX: ".docx", XLSX: ".xlsx", PNG: ".png", JPEG: ".jpg"}


@dataclass(frozen=True)
class DetectedType:
    content_type: str
    label: str


def _refuse(message: str) -> InvalidArgument:
    return InvalidArgument([FieldViolation("file", message)], message)


def detect_content_type(path: Path, file_name: str = "") -> DetectedType:
    """The allowed type of the file at ``path``, or ``InvalidArgument`` on the field ``file``."""

    with path.open("rb") as f:
        head = f.read(8)
    shown = f"Tệp {file_name!r}" if file_name else "Tệp"
    if not head:
        raise _refuse(f"{shown} rỗng")
    for magic, what in _EXECUTABLE_MAGIC:
        if head.startswith(magic):
            raise _refuse(
                f"{shown} là {what}, không được phép tải lên (dù tên tệp là gì). "
                f"Chỉ nhận: {ALLOWED_LABELS}"
            )
    if head.startswith(b"%PDF-"):
        return DetectedType(PDF, "PDF")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return DetectedType(PNG, "PNG")
    if head.startswith(b"\xff\xd8\xff"):
        return DetectedType(JPEG, "JPEG")
    if head.startswith(b"PK\x03\x04"):
        kind = _ooxml_type(path)
        if kind == DOCX:
            return DetectedType(DOCX, "Word (.docx)")
        if kind == XLSX:
            return DetectedType(XLSX, "Excel (.xlsx)")
        raise _refuse(
            f"{shown} là tệp nén (zip) không phải văn bản Word/Excel hợp lệ "
            f"(hoặc có chứa macro). Chỉ nhận: {ALLOWED_LABELS}"
        )
    raise _refuse(f"{shown} không thuộc loại được phép. Chỉ nhận: {ALLOWED_LABELS}")


def _ooxml_type(path: Path) -> str | None:
    import re

    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            if "[Content_Types].xml" not in names:
                return None
            types = z.read("[Content_Types].xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    found = set(re.findall(r'ContentType="([^"]+)"', types))
    for main, kind in _OOXML_MAIN.items():
        if main in found:
            return kind
    return None


class FileTooLarge(InvalidArgument):
    """The upload is larger than the configured limit (gRPC RESOURCE_EXHAUSTED, HTTP 413)."""

    def __init__(self, limit_bytes: int) -> None:
        mib = limit_bytes / (1024 * 1024)
        message = f"Tệp quá lớn: tối đa {mib:g} MB"
        super().__init__([FieldViolation("file", message)], message)
        self.limit_bytes = limit_bytes
